#!/usr/bin/env bash
# Runtime benchmark 1 of the runtime issue: a point select by primary key on one
# connection, sequential, over the unix socket, by a C program calling libpq's
# PQexecPrepared (the floor), by SQLGenRuntime's async API (a QueryStatement, as generated code runs
# it, and a statement type of its own), and by PostgresNIO with a
# PostgresPreparedStatement on one leased connection; rounds alternate, medians and
# ratios are printed. Then, on one connection: fetching and decoding 50,000 rows of eight mixed
# columns into models beside PostgresNIO (and the bare fetch by C in text and in binary format, and
# pipelined inserts by C with text and with binary parameters),
# the point select and the decode also through sqlgen's PostgresNIO executor (Integrations/SQLGenPostgresNIO),
# COPY of COPY_ROWS rows (binary, and forced to text) beside psql's \copy of the same rows from
# CSV and PostgresNIO's multi-row INSERTs, and BATCH_ROWS inserts as one pipelined batch beside
# one statement at a time.
#   ROUNDS=5 QUERIES=20000 COPY_ROWS=100000 BATCH_ROWS=5000 scripts/bench-runtime.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd Benchmarks && swift build -c release >/dev/null)
bin=$(cd Benchmarks && swift build -c release --show-bin-path)
gcc -O2 -o "$bin/point_select" Benchmarks/c/point_select.c -I/usr/include/postgresql -lpq
gcc -O2 -o "$bin/result_format" Benchmarks/c/result_format.c -I/usr/include/postgresql -lpq
gcc -O2 -o "$bin/param_format" Benchmarks/c/param_format.c -I/usr/include/postgresql -lpq
export BENCH_BIN="$bin" ROUNDS=${ROUNDS:-5} QUERIES=${QUERIES:-20000} COPY_ROWS=${COPY_ROWS:-100000} BATCH_ROWS=${BATCH_ROWS:-5000}
scripts/with-test-db.sh bash -c '
  set -euo pipefail
  rows=50000
  psql -X -q -c "CREATE TABLE bench_items (id int PRIMARY KEY, name text NOT NULL, price numeric(12,2) NOT NULL, created_at timestamptz NOT NULL)"
  psql -X -q -c "INSERT INTO bench_items SELECT n, '"'"'item '"'"' || n, n * 1.25, now() - n * interval '"'"'1 minute'"'"' FROM generate_series(1, $rows) n"
  psql -X -q -c "VACUUM ANALYZE bench_items"
  psql -X -q -c "CREATE TABLE bench_wide (id int PRIMARY KEY, name text NOT NULL, price numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, active bool NOT NULL, quantity bigint NOT NULL, score float8 NOT NULL, code uuid NOT NULL)"
  psql -X -q -c "INSERT INTO bench_wide SELECT n, '"'"'item '"'"' || n, n * 1.25, now() - n * interval '"'"'1 minute'"'"', n % 3 = 0, n::bigint * 1000003, n / 7.0, md5(n::text)::uuid FROM generate_series(1, $rows) n"
  psql -X -q -c "VACUUM ANALYZE bench_wide"
  url="postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$PGUSER"
  psql -X -q -c "CREATE TABLE bench_copy (id int, name text, price numeric(12,2), created_at timestamptz)"
  csv=$(mktemp /tmp/sqlgen-copy.XXXXXX.csv)
  python3 -c "
import sys
for n in range(1, $COPY_ROWS + 1):
    sys.stdout.write(\"%d,item %d,%.2f,2023-11-14 22:13:%02d+00\\n\" % (n, n, n / 4, n % 60))
" >"$csv"
  for round in $(seq 1 "$ROUNDS"); do
    echo "c $("$BENCH_BIN/point_select" "$url" "$QUERIES" "$rows")"
    echo "sqlgen $("$BENCH_BIN/RuntimeBenchmarks" sqlgen "$url" "$QUERIES" "$rows")"
    echo "sqlgen_statement_type $("$BENCH_BIN/RuntimeBenchmarks" sqlgenstatementtype "$url" "$QUERIES" "$rows")"
    echo "postgresnio $("$BENCH_BIN/RuntimeBenchmarks" nio "$url" "$QUERIES" "$rows")"
    echo "sqlgen_on_postgresnio $("$BENCH_BIN/RuntimeBenchmarks" sqlgennio "$url" "$QUERIES" "$rows")"
    echo "decode_ms $("$BENCH_BIN/RuntimeBenchmarks" decode "$url" 0 "$rows")"
    echo "decodeonecall_ms $("$BENCH_BIN/RuntimeBenchmarks" decodeonecall "$url" 0 "$rows")"
    echo "niodecode_ms $("$BENCH_BIN/RuntimeBenchmarks" niodecode "$url" 0 "$rows")"
    echo "sqlgenniodecode_ms $("$BENCH_BIN/RuntimeBenchmarks" sqlgenniodecode "$url" 0 "$rows")"
    echo "fetch_text_ms $("$BENCH_BIN/result_format" "$url" 1 | sed -n "s/^text //p")"
    echo "fetch_binary_ms $("$BENCH_BIN/result_format" "$url" 1 | sed -n "s/^binary //p")"
    params=$("$BENCH_BIN/param_format" "$url" 20000 1)
    echo "params_text_ms $(echo "$params" | sed -n "s/^text //p")"
    echo "params_binary_ms $(echo "$params" | sed -n "s/^binary //p")"
    echo "copy_ms $("$BENCH_BIN/RuntimeBenchmarks" copy "$url" "$COPY_ROWS" "$rows")"
    psql -X -q -c "TRUNCATE bench_copy"
    echo "copytext_ms $("$BENCH_BIN/RuntimeBenchmarks" copytext "$url" "$COPY_ROWS" "$rows")"
    echo "nioinsert_ms $("$BENCH_BIN/RuntimeBenchmarks" nioinsert "$url" "$COPY_ROWS" "$rows")"
    psql -X -q -c "TRUNCATE bench_copy"
    started=$(date +%s%N)
    psql -X -q -c "\\copy bench_copy FROM '"'"'$csv'"'"' CSV"
    echo "psqlcopy_ms $(( ($(date +%s%N) - started) / 1000000 ))"
    echo "batch_ms $("$BENCH_BIN/RuntimeBenchmarks" batch "$url" "$BATCH_ROWS" "$rows")"
    echo "onebyone_ms $("$BENCH_BIN/RuntimeBenchmarks" onebyone "$url" "$BATCH_ROWS" "$rows")"
  done
  rm -f "$csv"
' | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    name, value = line.split()
    runs.setdefault(name, []).append(int(value))
median = {name: statistics.median(values) for name, values in runs.items()}
print("point select by primary key, one connection, sequential (queries/s, median of %d rounds)" % len(runs["c"]))
for name in ("c", "sqlgen", "sqlgen_statement_type", "postgresnio", "sqlgen_on_postgresnio"):
    print("  %-21s %8.0f   %s" % (name, median[name], runs[name]))
print("  sqlgen / C floor:     %.2fx" % (median["sqlgen"] / median["c"]))
print("  sqlgen / a statement type of its own: %.2fx" % (median["sqlgen"] / median["sqlgen_statement_type"]))
print("  sqlgen / PostgresNIO: %.2fx" % (median["sqlgen"] / median["postgresnio"]))
print("  sqlgen on PostgresNIO / PostgresNIO: %.2fx" % (median["sqlgen_on_postgresnio"] / median["postgresnio"]))
print("bulk work on one connection (milliseconds, median)")
print("  decode 50,000 rows of 8 columns, SQLGenRuntime  %6d   %s" % (median["decode_ms"], runs["decode_ms"]))
print("  the same, one decodeColumns call per row        %6d   %s" % (median["decodeonecall_ms"], runs["decodeonecall_ms"]))
print("  the same, PostgresNIO                           %6d   %s" % (median["niodecode_ms"], runs["niodecode_ms"]))
print("  the same, sqlgen on PostgresNIO (its executor)  %6d   %s" % (median["sqlgenniodecode_ms"], runs["sqlgenniodecode_ms"]))
print("  the same rows fetched by C, text format         %6d   %s" % (median["fetch_text_ms"], runs["fetch_text_ms"]))
print("  the same rows fetched by C, binary format       %6d   %s" % (median["fetch_binary_ms"], runs["fetch_binary_ms"]))
print("  decode: PostgresNIO / SQLGenRuntime time: %.2fx" % (median["niodecode_ms"] / median["decode_ms"]))
print("  20,000 pipelined inserts by C, parameters in text   %6d   %s" % (median["params_text_ms"], runs["params_text_ms"]))
print("  the same, int and timestamptz parameters in binary  %6d   %s" % (median["params_binary_ms"], runs["params_binary_ms"]))
print("  COPY rows, SQLGenRuntime copy() (binary)     %6d   %s" % (median["copy_ms"], runs["copy_ms"]))
print("  COPY rows, SQLGenRuntime copy() forced text  %6d   %s" % (median["copytext_ms"], runs["copytext_ms"]))
print("  COPY rows, psql \\copy from CSV      %6d   %s" % (median["psqlcopy_ms"], runs["psqlcopy_ms"]))
print("  the same rows, PostgresNIO multi-row INSERTs of 1,000  %6d   %s" % (median["nioinsert_ms"], runs["nioinsert_ms"]))
print("  insert rows, one pipelined batch     %6d   %s" % (median["batch_ms"], runs["batch_ms"]))
print("  insert rows, one statement at a time %6d   %s" % (median["onebyone_ms"], runs["onebyone_ms"]))
print("  copy() / psql \\copy: %.2fx the time; batch / one by one: %.2fx the time" % (
    median["copy_ms"] / max(1, median["psqlcopy_ms"]), median["batch_ms"] / max(1, median["onebyone_ms"])))
'
