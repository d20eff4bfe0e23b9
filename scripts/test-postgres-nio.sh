#!/usr/bin/env bash
# Builds the PostgresNIO integration (Integrations/SQLGenPostgresNIO, its own package: PostgresNIO
# and the build plugin) and runs its tests against the throwaway server that
# scripts/with-test-db.sh started (SQLGEN_TEST_DATABASE_URL).
set -euo pipefail
: "${SQLGEN_TEST_DATABASE_URL:?run this through scripts/with-test-db.sh}"
cd "$(dirname "$0")/../Integrations/SQLGenPostgresNIO"
swift build --build-tests
swift test --skip-build
