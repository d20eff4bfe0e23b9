#!/usr/bin/env bash
# Tenancy benchmark: 64 tasks on a tenant pool of 16 connections, point selects by primary
# key through generated code, each for a Zipf-random tenant out of 1,000 or for a single
# tenant, beside `pgbench -S -M prepared -c 16` on the same server as the ceiling; rounds
# alternate, medians and ratios are printed. Then tenants created per second from the CRM
# template (schema/); then SCALE_TENANTS (10,000) tenants of a one-table template: created per second,
# migrateAll with nothing to apply, and migrateAll adding a column to every one. The same random load with reads run under the tenant's search path (the switch
# and path check riding along) instead of with qualified names shows what qualifying buys, and the
# same with tenant roles (the second wall: each statement in BEGIN, SET LOCAL role, COMMIT) its cost.
# Then WIDE_TENANTS (10,000) tenants of 1,000 accounts in a database of their own: the random load over
# 1,000 and over all of them beside Benchmarks/c/tenant_ceiling.c (C, 16 connections, each serving its
# sixteenth of the tenants: the server's ceiling) over the same, alternating; the memory of the
# runtime and of one server backend after touching 1,000 and 10,000 tenants; and a tenant of
# MOVE_ROWS accounts moved to the second throwaway server (time and write freeze).
#   ROUNDS=5 SECONDS_PER_RUN=5 TENANTS=1000 scripts/bench-tenancy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd Benchmarks && swift build -c release --product TenancyBenchmarks >/dev/null)
bin=$(cd Benchmarks && swift build -c release --show-bin-path)
export BENCH_BIN="$bin" ROUNDS=${ROUNDS:-5} SECONDS_PER_RUN=${SECONDS_PER_RUN:-5} TENANTS=${TENANTS:-1000}
export ROWS=${ROWS:-1000} PROVISION=${PROVISION:-100} SCALE_TENANTS=${SCALE_TENANTS:-10000}
export WIDE_TENANTS=${WIDE_TENANTS:-10000} MOVE_ROWS=${MOVE_ROWS:-100000}
ceiling=$(mktemp -d)/tenant_ceiling
gcc -O2 -o "$ceiling" Benchmarks/c/tenant_ceiling.c -I"$(pg_config --includedir)" -lpq -lpthread
export CEILING="$ceiling"
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
  psql -X -q -c "DROP DATABASE scale"
  psql -X -q -c "CREATE DATABASE wide"
  psql -X -q -d wide -f schema/000001_tenant_registry.up.sql >/dev/null
  wide="postgresql:///wide?host=$PGHOST&port=$PGPORT&user=$PGUSER"
  "$BENCH_BIN/TenancyBenchmarks" setup "$wide" "$WIDE_TENANTS" 1000
  psql -X -q -d wide -c "VACUUM ANALYZE"
  for round in $(seq 1 "$ROUNDS"); do
    echo "wide_random_1000 $("$BENCH_BIN/TenancyBenchmarks" run "$wide" random "$SECONDS_PER_RUN" 1000 1000)"
    echo "wide_ceiling_1000 $("$CEILING" "host=$PGHOST port=$PGPORT dbname=wide" qualified-home "$SECONDS_PER_RUN" 1000)"
    echo "wide_random_all $("$BENCH_BIN/TenancyBenchmarks" run "$wide" random "$SECONDS_PER_RUN" "$WIDE_TENANTS" 1000)"
    echo "wide_ceiling_all $("$CEILING" "host=$PGHOST port=$PGPORT dbname=wide" qualified-home "$SECONDS_PER_RUN" "$WIDE_TENANTS")"
    tps=$(pgbench -S -M prepared -c 16 -j 2 -T "$SECONDS_PER_RUN" bench 2>/dev/null | sed -n "s/^tps = \([0-9.]*\).*/\1/p" | head -1)
    echo "wide_pgbench ${tps%.*}"
  done
  "$BENCH_BIN/TenancyBenchmarks" memory "$wide" 1000
  "$BENCH_BIN/TenancyBenchmarks" memory "$wide" "$WIDE_TENANTS"
  psql -X -q -c "CREATE DATABASE moving"
  psql -X -q -d moving -f schema/000001_tenant_registry.up.sql -f schema/000004_tenant_placement.up.sql >/dev/null
  "$BENCH_BIN/TenancyBenchmarks" move "postgresql:///moving?host=$PGHOST&port=$PGPORT&user=$PGUSER" "$SQLGEN_TEST_SECOND_DATABASE_URL" "$MOVE_ROWS"
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
wide = __import__("os").environ["WIDE_TENANTS"]
print("random-tenant point selects in a database of %s tenants of 1,000 accounts (queries/s, median of %d rounds):" % (wide, len(runs["wide_random_1000"])))
for name, label in (("wide_random_1000", "sqlgen, Zipf over 1,000 of them"), ("wide_ceiling_1000", "C ceiling (qualified-home), 1,000"), ("wide_random_all", "sqlgen, Zipf over all " + wide), ("wide_ceiling_all", "C ceiling (qualified-home), all"), ("wide_pgbench", "pgbench -S -M prepared -c 16")):
    print("  %-36s %8.0f   %s" % (label, median[name], runs[name]))
print("  all / 1,000 tenants:        %.2fx" % (median["wide_random_all"] / median["wide_random_1000"]))
print("  all tenants / C ceiling:    %.2fx (goal 0.9x)" % (median["wide_random_all"] / median["wide_ceiling_all"]))
print("  1,000 tenants / C ceiling:  %.2fx (goal 0.9x)" % (median["wide_random_1000"] / median["wide_ceiling_1000"]))
print("  all tenants / pgbench -S:   %.2fx (goal 1.0x)" % (median["wide_random_all"] / median["wide_pgbench"]))
for count in ("1000", wide):
    print("after touching %s tenants: runtime process +%d KiB, one server backend +%d KiB" % (count, median["memory_process_kib_" + count], median["memory_backend_kib_" + count]))
rows = __import__("os").environ["MOVE_ROWS"]
print("moving a tenant of %s rows to the second server: %d ms, writes frozen %d ms" % (rows, median["move_ms_" + rows], median["move_freeze_ms_" + rows]))
'
