#!/usr/bin/env bash
# Tenancy benchmark: 64 tasks on a tenant pool of 16 connections, point selects by primary
# key through generated code, each for a Zipf-random tenant out of 1,000 or for a single
# tenant, beside `pgbench -S -M prepared -c 16` on the same server as the ceiling; rounds
# alternate, medians and ratios are printed. Then tenants created per second from the CRM
# template (schema/); then SCALE_TENANTS (10,000) tenants of a one-table template: created per second,
# migrateAll with nothing to apply, and migrateAll adding a column to every one. The same random load with reads run under the tenant's search path (the switch
# and path check riding along) instead of with qualified names shows what qualifying buys, and the
# same with tenant roles (the second wall: each statement in BEGIN, SET LOCAL role, COMMIT) its cost.
#   ROUNDS=5 SECONDS_PER_RUN=5 TENANTS=1000 scripts/bench-tenancy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd Benchmarks && swift build -c release --product TenancyBenchmarks >/dev/null)
bin=$(cd Benchmarks && swift build -c release --show-bin-path)
export BENCH_BIN="$bin" ROUNDS=${ROUNDS:-5} SECONDS_PER_RUN=${SECONDS_PER_RUN:-5} TENANTS=${TENANTS:-1000}
export ROWS=${ROWS:-1000} PROVISION=${PROVISION:-100} SCALE_TENANTS=${SCALE_TENANTS:-10000}
# Shared buffers that hold every tenant's table and pgbench's (PostgreSQL's default of 128 MB does not:
# a random tenant's pages would be read from the kernel's cache on every other query).
export POSTGRES_SETTINGS=${POSTGRES_SETTINGS:-"shared_buffers = 1GB"}
scripts/with-test-db.sh bash -c '
  set -euo pipefail
  for db in bench crm; do
    psql -X -q -c "CREATE DATABASE $db"
    psql -X -q -d $db -f schema/000001_tenant_registry.up.sql >/dev/null
  done
  url="postgresql:///bench?host=$PGHOST&port=$PGPORT&user=$PGUSER"
  "$BENCH_BIN/TenancyBenchmarks" setup "$url" "$TENANTS" "$ROWS"
  "$BENCH_BIN/TenancyBenchmarks" grant-roles "$url" >/dev/null
  pgbench -i -q -s 10 bench >/dev/null 2>&1
  psql -X -q -d bench -c "VACUUM ANALYZE"
  for round in $(seq 1 "$ROUNDS"); do
    echo "random $("$BENCH_BIN/TenancyBenchmarks" run "$url" random "$SECONDS_PER_RUN" "$TENANTS" "$ROWS")"
    echo "single $("$BENCH_BIN/TenancyBenchmarks" run "$url" single "$SECONDS_PER_RUN" "$TENANTS" "$ROWS")"
    tps=$(pgbench -S -M prepared -c 16 -j 2 -T "$SECONDS_PER_RUN" bench 2>/dev/null | sed -n "s/^tps = \([0-9.]*\).*/\1/p" | head -1)
    echo "pgbench ${tps%.*}"
    echo "path $("$BENCH_BIN/TenancyBenchmarks" run "$url" random-path "$SECONDS_PER_RUN" "$TENANTS" "$ROWS")"
    echo "wall $("$BENCH_BIN/TenancyBenchmarks" run "$url" random-wall "$SECONDS_PER_RUN" "$TENANTS" "$ROWS")"
  done
  crm="postgresql:///crm?host=$PGHOST&port=$PGPORT&user=$PGUSER"
  echo "provision $("$BENCH_BIN/TenancyBenchmarks" provision "$crm" "$PROVISION" schema)"
  psql -X -q -c "CREATE DATABASE scale"
  psql -X -q -d scale -f schema/000001_tenant_registry.up.sql >/dev/null
  "$BENCH_BIN/TenancyBenchmarks" scale "postgresql:///scale?host=$PGHOST&port=$PGPORT&user=$PGUSER" "$SCALE_TENANTS" 4
' | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    name, value = line.split()
    runs.setdefault(name, []).append(int(value))
median = {name: statistics.median(values) for name, values in runs.items()}
print("point select by primary key, 64 tasks, pool of 16 (queries/s, median of %d rounds)" % len(runs["random"]))
for name, label in (("random", "random tenant (Zipf over 1,000)"), ("single", "single tenant"), ("pgbench", "pgbench -S -M prepared -c 16"), ("path", "random, under the search path"), ("wall", "random, tenant roles (second wall)")):
    print("  %-34s %8.0f   %s" % (label, median[name], runs[name]))
print("  random / single tenant: %.2fx" % (median["random"] / median["single"]))
print("  random / pgbench:       %.2fx" % (median["random"] / median["pgbench"]))
print("  qualified names / search path, random tenants: %.2fx" % (median["random"] / median["path"]))
print("  tenant roles / search path, random tenants:     %.2fx" % (median["wall"] / median["path"]))
print("tenants created from the CRM template, 4 at a time: %d per second" % median["provision"])
print("%s tenants of a one-table template:" % __import__("os").environ["SCALE_TENANTS"])
print("  created, 4 at a time:                %8d per second" % median["scale_provision"])
print("  migrateAll with nothing to apply:    %8.2f s" % (median["scale_noop_ms"] / 1000))
print("  migrateAll adding a column to each:  %8.2f s (4 at a time)" % (median["scale_migrate_ms"] / 1000))
'
