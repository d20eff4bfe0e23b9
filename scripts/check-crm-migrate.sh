#!/usr/bin/env bash
# Drives `mtenant-crm migrate` as a deploy script would, against a database of its own on the
# throwaway server that scripts/with-test-db.sh started: status, dry run, a canary, a run, and a
# second run refused while another holds the migration lock.
set -euo pipefail
: "${SQLGEN_TEST_DATABASE_URL:?run this through scripts/with-test-db.sh}"
cd "$(dirname "$0")/../Examples/MTenantCRM"
binary="$(swift build --show-bin-path)/mtenant-crm"
database=crm_migrate_cli
psql -q -X -v ON_ERROR_STOP=1 "$SQLGEN_TEST_DATABASE_URL" \
    -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
export DATABASE_URL="${SQLGEN_TEST_DATABASE_URL%/*}/$database"
fail() { echo "check-crm-migrate: $*" >&2; exit 1; }

"$binary" seed --contacts 5 >/dev/null
status=$("$binary" migrate --status)
grep -q "^3 tenants; latest migration 3" <<<"$status" || fail "status: $status"
grep -q "3 at version 3" <<<"$status" || fail "status: $status"
grep -q "nothing to apply" <<<"$status" || fail "status: $status"

# A tenant whose row says it is one migration behind: the dry run names it and changes nothing.
psql -q -X -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "UPDATE tenant_globex.schema_migrations SET version = 2"
dry=$("$binary" migrate --dry-run --where plan=free)
grep -q "would apply 3 to 1 tenants (globex)" <<<"$dry" || fail "dry run: $dry"
[ "$(psql -X -A -t "$DATABASE_URL" -c "SELECT version FROM tenant_globex.schema_migrations")" = 2 ] \
    || fail "the dry run changed globex"
# A canary that selects nobody changes nothing.
"$binary" migrate --tenant nobody >/dev/null
[ "$(psql -X -A -t "$DATABASE_URL" -c "SELECT version FROM tenant_globex.schema_migrations")" = 2 ] \
    || fail "a run for another tenant changed globex"

# A second deploy while one holds the lock fails at once and says who holds it.
psql -q -X "$DATABASE_URL" -v ON_ERROR_STOP=1 \
    -c "SELECT pg_advisory_lock(hashtextextended('sqlgen.migrate-all:public.tenants', 0))" -c "SELECT pg_sleep(30)" \
    >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do
    locked=$(psql -X -A -t "$DATABASE_URL" -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
    [ "$locked" = 1 ] && break
    sleep 0.1
done
if refused=$("$binary" migrate 2>&1); then fail "a second run was not refused: $refused"; fi
grep -q "another migration run of public.tenants holds its lock: backend" <<<"$refused" || fail "refusal: $refused"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
psql -q -X "$SQLGEN_TEST_DATABASE_URL" -c \
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$database' AND pid <> pg_backend_pid()" \
    >/dev/null

# Globex's row says 2, but its schema has migration 3 already: the run fails for globex, marks it
# dirty and exits non-zero; later runs skip it until it is repaired.
if run=$("$binary" migrate 2>/dev/null); then fail "a failing tenant did not fail the run: $run"; fi
grep -q "3 tenants: 0 migrated, 2 up to date, 1 failed or dirty" <<<"$run" || fail "run: $run"
grep -q "globex: migration 3 failed: type \"communication_channel\" already exists" <<<"$run" || fail "run: $run"
status=$("$binary" migrate --status)
grep -q "dirty: globex (tenant_globex) at version 3" <<<"$status" || fail "status: $status"
if run=$("$binary" migrate --tenant globex 2>/dev/null); then fail "a dirty tenant was not skipped: $run"; fi
grep -q "globex: skipped: dirty at version 3" <<<"$run" || fail "run: $run"

# The repair: undo what was in the way (here, migration 3's down file), mark globex clean, migrate.
sed 's/tenant_template/tenant_globex/g' ../../schema/000003_communications.down.sql \
    | psql -q -X -v ON_ERROR_STOP=1 "$DATABASE_URL"
"$binary" migrate --repair globex | grep -q "globex: marked clean at version 2" || fail "repair"
run=$("$binary" migrate 2>/dev/null)
grep -q "3 tenants: 1 migrated, 2 up to date, 0 failed or dirty" <<<"$run" || fail "run: $run"
[ "$(psql -X -A -t "$DATABASE_URL" -c "SELECT version || ':' || dirty FROM tenant_globex.schema_migrations")" = 3:false ] \
    || fail "globex was not migrated"
psql -q -X "$SQLGEN_TEST_DATABASE_URL" -c "DROP DATABASE $database WITH (FORCE)"
echo "check-crm-migrate: status, dry run, canary, lock, dirty tenant, repair and run behave"
