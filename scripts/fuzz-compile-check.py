#!/usr/bin/env python3
"""Checks that the Swift sqlgen emits for fuzz inputs compiles.

Each input (schema, a line `-- queries`, queries: the fuzzer's format) is given to
`sqlgen generate --single-file`; when sqlgen reports no error, the file it wrote is
type-checked against SQLGenRuntime with swiftc. Swift that does not compile after
sqlgen said nothing is a bug: the input is copied to .build-fuzz/compile-failures/.

    scripts/fuzz-compile-check.py [corpus folder] [--limit N] [--jobs N]
"""
import argparse
import hashlib
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent


SEEN = set()
SEEN_LOCK = threading.Lock()


def names_only_its_own_types(queries, errors):
    """Whether every compiler error is a type the SQL names for a column (`AS "meta: PostMeta"`),
    which the user's own code declares: not a fault of the generated Swift."""
    named = set(re.findall(rb'"[^"\n]*?:\s*([A-Za-z_][A-Za-z0-9_.]*)[^"\n]*"', queries))
    lines = [line for line in errors.splitlines() if ": error: " in line]
    missing = [re.search(r"cannot find type '([^']+)' in scope", line) for line in lines]
    return bool(lines) and all(m and m.group(1).encode() in named for m in missing)


def check(path, sqlgen, modules, work):
    # The bytes as the fuzzer saw them: sqlgen itself must refuse NUL and invalid UTF-8 with a diagnostic.
    schema, _, queries = path.read_bytes().partition(b"\n-- queries\n")
    folder = pathlib.Path(tempfile.mkdtemp(dir=work))
    try:
        (folder / "schema.sql").write_bytes(schema)
        (folder / "queries.sql").write_bytes(queries)
        (folder / "sqlgen.yaml").write_text(
            "version: 1\nsql:\n  - schema: schema.sql\n    queries: queries.sql\n", encoding="utf-8")
        out = folder / "Generated.swift"
        run = subprocess.run(
            [sqlgen, "generate", "--quiet", "--config", str(folder / "sqlgen.yaml"), "--single-file", str(out)],
            capture_output=True, text=True, timeout=60)
        if run.returncode != 0 or not out.exists():
            return ("diagnosed", path, "")
        warned = bool(run.stderr.strip())
        # Many inputs generate the same Swift: type-check each text once.
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        with SEEN_LOCK:
            if digest in SEEN:
                return ("duplicate", path, "")
            SEEN.add(digest)
        compile_run = subprocess.run(
            ["swiftc", "-typecheck", "-swift-version", "6", str(out), "-I", modules,
             "-I", str(ROOT / "Sources/CLibPQ"), "-Xcc", "-I/usr/include/postgresql"],
            capture_output=True, text=True, timeout=300)
        if compile_run.returncode == 0:
            if b"\r" in out.read_bytes():
                return ("failed", path, "the generated Swift holds a carriage return")
            return ("compiled", path, "")
        if names_only_its_own_types(queries, compile_run.stderr):
            return ("own types", path, "")
        return ("warned" if warned else "failed", path, compile_run.stderr[-2000:])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(ROOT / ".build-fuzz/corpus"))
    parser.add_argument("--limit", type=int, default=0, help="check only the first N inputs (by name)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    subprocess.run(["swift", "build", "--product", "sqlgen"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["swift", "build", "--target", "SQLGenRuntime"], cwd=ROOT, check=True, capture_output=True)
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout.strip()
    sqlgen = os.path.join(bin_path, "sqlgen")
    modules = os.path.join(bin_path, "Modules")
    inputs = sorted(p for p in pathlib.Path(args.corpus).iterdir() if p.is_file())
    if args.limit:
        inputs = inputs[:args.limit]
    failures_dir = ROOT / ".build-fuzz/compile-failures"
    counts = {"compiled": 0, "duplicate": 0, "diagnosed": 0, "own types": 0, "warned": 0, "failed": 0}
    with tempfile.TemporaryDirectory() as work, concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for outcome, path, detail in pool.map(lambda p: check(p, sqlgen, modules, work), inputs):
            counts[outcome] += 1
            if outcome in ("failed", "warned"):
                failures_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, failures_dir / path.name)
                print(f"{outcome.upper()}: {path.name}\n{detail}", file=sys.stderr)
    print(f"{len(inputs)} inputs: {counts['compiled']} compiled, {counts['duplicate']} generated Swift already checked, "
          f"{counts['diagnosed']} stopped by a diagnostic, {counts['own types']} naming Swift types of the user's, "
          f"{counts['warned']} did not compile after a warning, {counts['failed']} did not compile silently")
    # Swift that does not compile is a bug whether or not sqlgen warned first.
    return 1 if counts["failed"] or counts["warned"] else 0


if __name__ == "__main__":
    sys.exit(main())
