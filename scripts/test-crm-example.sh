#!/usr/bin/env bash
# Builds the MTenant CRM example (Examples/MTenantCRM, its own package: Hummingbird and the build
# plugin) and runs its end-to-end tests over HTTP against the throwaway server that
# scripts/with-test-db.sh started (SQLGEN_TEST_DATABASE_URL), once as it is and once with tenant
# roles (CRM_TENANT_ROLE_PREFIX), then drives `mtenant-crm migrate` (scripts/check-crm-migrate.sh).
set -euo pipefail
: "${SQLGEN_TEST_DATABASE_URL:?run this through scripts/with-test-db.sh}"
cd "$(dirname "$0")/../Examples/MTenantCRM"
swift build --build-tests
swift test --skip-build
# Again with the second wall: every tenant statement under its tenant's own role.
CRM_TENANT_ROLE_PREFIX=crmw_ swift test --skip-build
roles=$(psql -X -A -t "$SQLGEN_TEST_DATABASE_URL" -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'crmw\_tenant\_%'")
[ "$roles" -ge 2 ] || { echo "test-crm-example: the run with tenant roles made $roles of them" >&2; exit 1; }
../../scripts/check-crm-migrate.sh
