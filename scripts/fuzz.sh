#!/usr/bin/env bash
# Builds the libFuzzer target over parse → catalog → analysis → emission and runs it, then
# type-checks the Swift emitted for every corpus input sqlgen accepts (scripts/fuzz-compile-check.py).
#   scripts/fuzz.sh [seconds]      (default 600; `make test` runs a 60-second smoke)
# Fails on a crash, a sanitizer report, emitted Swift holding a CR or NUL, or Swift that does not compile.
# SwiftPM cannot link an executable with -sanitize=fuzzer (it renames main), so the
# library modules are built by SwiftPM with the sanitizers and linked here with swiftc.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
scratch=.build-fuzz
swift build -c release --scratch-path "$scratch" --target SQLGenCore \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >/dev/null
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
objects=()
for module in SQLGenCore Yams CYaml OrderedCollections InternalCollectionsUtilities; do
  while IFS= read -r -d '' object; do objects+=("$object"); done < <(find "$bin/$module.build" -name '*.o' -print0)
done
swiftc -O -sanitize=fuzzer,address -parse-as-library Fuzz/SQLGenFuzzer.swift -I "$bin/Modules" -I "$bin" \
  -I Sources/CPgQuery -I "$scratch/checkouts/Yams/Sources/CYaml/include" -Xcc -I/usr/include/postgresql "${objects[@]}" -lpg_query -o "$scratch/sqlgen-fuzzer"

corpus="$scratch/corpus"
mkdir -p "$corpus"
# Seeds: the committed corpus (line endings, escapes, hostile names), every test fixture, and each
# schema paired with the CRM's queries.
cp Fuzz/corpus/* "$corpus/"
i=0
for file in Tests/SQLGenCoreTests/Fixtures/schemas/*/*.sql schema/*.up.sql; do
  cp "$file" "$corpus/seed-$((i++))"
done
for query in Tests/SQLGenCoreTests/Fixtures/queries/shop/queries/*.sql; do
  { cat Tests/SQLGenCoreTests/Fixtures/queries/shop/schema.sql; printf '\n-- queries\n'; cat "$query"; } >"$corpus/seed-$((i++))"
done
for query in queries/*/*.sql; do
  { cat schema/*.up.sql; printf '\n-- queries\n'; cat "$query"; } >"$corpus/seed-$((i++))"
done
ASAN_OPTIONS=detect_leaks=0 "$scratch/sqlgen-fuzzer" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
  -dict=Fuzz/sqlgen.dict -print_final_stats=1 -artifact_prefix="$scratch/" "$corpus"

# Then the Swift emitted for every corpus input that sqlgen accepts must compile.
python3 scripts/fuzz-compile-check.py "$corpus"
