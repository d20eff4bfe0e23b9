#!/usr/bin/env bash
# Runtime benchmark 1 of the runtime issue: a point select by primary key on one
# connection, sequential, over the unix socket, by a C program calling libpq's
# PQexecPrepared (the floor), by SQLGenRuntime's async API, and by PostgresNIO with a
# PostgresPreparedStatement on one leased connection; rounds alternate, medians and
# ratios are printed.   ROUNDS=5 QUERIES=20000 scripts/bench-runtime.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd Benchmarks && swift build -c release >/dev/null)
bin=$(cd Benchmarks && swift build -c release --show-bin-path)
gcc -O2 -o "$bin/point_select" Benchmarks/c/point_select.c -I/usr/include/postgresql -lpq
export BENCH_BIN="$bin" ROUNDS=${ROUNDS:-5} QUERIES=${QUERIES:-20000}
scripts/with-test-db.sh bash -c '
  set -euo pipefail
  rows=50000
  psql -X -q -c "CREATE TABLE bench_items (id int PRIMARY KEY, name text NOT NULL, price numeric(12,2) NOT NULL, created_at timestamptz NOT NULL)"
  psql -X -q -c "INSERT INTO bench_items SELECT n, '"'"'item '"'"' || n, n * 1.25, now() - n * interval '"'"'1 minute'"'"' FROM generate_series(1, $rows) n"
  psql -X -q -c "VACUUM ANALYZE bench_items"
  url="postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$PGUSER"
  for round in $(seq 1 "$ROUNDS"); do
    echo "c $("$BENCH_BIN/point_select" "$url" "$QUERIES" "$rows")"
    echo "sqlgen $("$BENCH_BIN/RuntimeBenchmarks" sqlgen "$url" "$QUERIES" "$rows")"
    echo "postgresnio $("$BENCH_BIN/RuntimeBenchmarks" nio "$url" "$QUERIES" "$rows")"
  done
' | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    name, value = line.split()
    runs.setdefault(name, []).append(int(value))
median = {name: statistics.median(values) for name, values in runs.items()}
print("point select by primary key, one connection, sequential (queries/s, median of %d rounds)" % len(runs["c"]))
for name in ("c", "sqlgen", "postgresnio"):
    print("  %-12s %8.0f   %s" % (name, median[name], runs[name]))
print("  sqlgen / C floor:     %.2fx" % (median["sqlgen"] / median["c"]))
print("  sqlgen / PostgresNIO: %.2fx" % (median["sqlgen"] / median["postgresnio"]))
'
