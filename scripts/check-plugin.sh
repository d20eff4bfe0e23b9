#!/usr/bin/env bash
# Checks the build plugin from a package that uses it (Examples/PluginDemo):
# the generated code builds and runs against the database, a second build with
# nothing changed does not run sqlgen again, a changed query file does, and
# the command plugin writes the files into the target.
set -euo pipefail
cd "$(dirname "$0")/../Examples/PluginDemo"
scratch=.build-plugin-check

log=$(swift build --scratch-path "$scratch" 2>&1) || { echo "$log"; exit 1; }
grep -q "sqlgen: generating PluginDemo" <<<"$log" || { echo "$log"; echo "FAIL: the first build did not run sqlgen"; exit 1; }

# A build with nothing changed must not run sqlgen because of its inputs: the plugin
# declares them. SwiftPM sometimes relinks the plugin's tool on a no-change build of a
# package that depends on sqlgen by path, and a new tool rightly reruns it; so a rerun
# counts as a failure only when the tool was not relinked, and within four builds one
# must do neither.
steady=0
for attempt in 1 2 3 4; do
  log=$(swift build --scratch-path "$scratch" 2>&1) || { echo "$log"; exit 1; }
  if grep -q "sqlgen: generating" <<<"$log" && ! grep -q "Linking sqlgen-tool" <<<"$log"; then
    echo "$log"; echo "FAIL: a build with nothing changed ran sqlgen again"; exit 1
  fi
  if ! grep -q "sqlgen: generating" <<<"$log"; then steady=1; break; fi
done
[ "$steady" -eq 1 ] || { echo "FAIL: every no-change build reran sqlgen"; exit 1; }

PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "DROP TABLE IF EXISTS todos; DROP TYPE IF EXISTS priority" -f Sources/PluginDemo/schema.sql
output=$("$scratch/debug/PluginDemo" "$DATABASE_URL")
grep -q "added 1: Try sqlgen" <<<"$output" || { echo "$output"; echo "FAIL: the generated queries did not run"; exit 1; }

touch Sources/PluginDemo/queries.sql
log=$(swift build --scratch-path "$scratch" 2>&1) || { echo "$log"; exit 1; }
grep -q "sqlgen: generating PluginDemo" <<<"$log" || { echo "$log"; echo "FAIL: a changed query file did not rerun sqlgen"; exit 1; }

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -R Package.swift Sources "$copy/"
sed -i 's#path: "../.."#path: "'"$PWD/../.."'"#' "$copy/Package.swift"
(cd "$copy" && swift package --allow-writing-to-package-directory generate-sql-code >/dev/null 2>&1) \
  || { echo "FAIL: the command plugin failed"; exit 1; }
[ -f "$copy/Sources/PluginDemo/Generated/Models.swift" ] || { echo "FAIL: the command plugin wrote no Generated/Models.swift"; exit 1; }
echo "plugin checks: 4 passed, 0 failed"
