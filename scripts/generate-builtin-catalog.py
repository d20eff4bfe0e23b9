#!/usr/bin/env python3
"""Reads PostgreSQL's built-in catalog from a running server and writes it as
a compact Swift source file that sqlgen loads at start-up.

Run it against a PostgreSQL 15 server (the throwaway one works):

    scripts/with-test-db.sh python3 scripts/generate-builtin-catalog.py

It creates a scratch database, installs the extensions sqlgen knows about so
that their types and functions are recorded too (tagged with the extension's
name), and writes Sources/SQLGenCore/Catalog/Builtin/BuiltinCatalogData.swift.
The output is committed; rerun this script when moving to another major
version of PostgreSQL.
"""
import itertools
import os
import subprocess
import sys

EXTENSIONS = ["citext", "pgcrypto", "uuid-ossp", "hstore", "pg_trgm", "unaccent", "fuzzystrmatch", "ltree"]
DATABASE = "sqlgen_builtin_catalog"
OUTPUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "SQLGenCore", "Catalog", "Builtin",
                      "BuiltinCatalogData.swift")

# Objects of pg_catalog, plus the members of the extensions above. `ext` is
# the extension's name or an empty string.
MEMBERSHIP = """
  LEFT JOIN (SELECT d.objid, e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.classid = '{cls}'::regclass) m
    ON m.objid = {alias}.oid
"""

TYPES = """
SELECT 'T', t.oid, t.typname, format_type(t.oid, NULL), t.typcategory, t.typispreferred::int, t.typtype,
       t.typelem, t.typarray, t.typbasetype, coalesce(m.extname, '')
FROM pg_type t
""" + MEMBERSHIP.format(cls="pg_type", alias="t") + """
WHERE (t.typnamespace = 'pg_catalog'::regnamespace AND (t.typrelid = 0 OR t.typname IN ('record')))
   OR (m.extname IS NOT NULL AND t.typrelid = 0)
   OR (t.typnamespace = 'pg_catalog'::regnamespace AND t.typcategory = 'A'
       AND (SELECT e.typrelid FROM pg_type e WHERE e.oid = t.typelem) = 0)
ORDER BY t.oid
"""

FUNCTIONS = """
SELECT 'F', p.oid, p.proname, array_to_string(p.proargtypes::oid[], ' '), p.prorettype, p.proretset::int, p.prokind,
       p.proisstrict::int, p.provariadic, p.pronargdefaults,
       coalesce(array_to_string(p.proallargtypes, ' '), ''), coalesce(array_to_string(p.proargmodes, ''), ''),
       coalesce(array_to_string(p.proargnames, ' ', '?'), ''), coalesce(m.extname, '')
FROM pg_proc p
""" + MEMBERSHIP.format(cls="pg_proc", alias="p") + """
WHERE p.pronamespace = 'pg_catalog'::regnamespace OR m.extname IS NOT NULL
ORDER BY p.proname, p.oid
"""

OPERATORS = """
SELECT 'O', o.oprname, o.oprleft, o.oprright, o.oprresult, coalesce(m.extname, '')
FROM pg_operator o
""" + MEMBERSHIP.format(cls="pg_operator", alias="o") + """
WHERE o.oprnamespace = 'pg_catalog'::regnamespace OR m.extname IS NOT NULL
ORDER BY o.oprname, o.oid
"""

# The columns of the system catalogs and views (pg_catalog's tables and views, information_schema's
# views), each with its type as a result column reports it (a domain as its base type) and NOT NULL.
RELATIONS = """
SELECT 'R', n.nspname, c.relname, c.relkind, a.attname,
       CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, a.attnotnull::int
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum
"""

CASTS = """
SELECT 'C', c.castsource, c.casttarget, c.castcontext FROM pg_cast c ORDER BY c.castsource, c.casttarget
"""

# Values that make strict functions return NULL for non-NULL arguments (to_char of an infinite
# timestamp, array_upper of an empty array, a missing JSON key): by type name, polymorphic arguments
# probed as int4 and int4[].
EDGE_VALUES = {
    "int2": ["0", "1", "-1", "32767", "-32768"],
    "int4": ["0", "1", "-1", "2147483647", "-2147483648"],
    "int8": ["0", "1", "-1", "9223372036854775807", "-9223372036854775808"],
    "numeric": ["0", "1", "-1", "0.5", "NaN", "Infinity", "-Infinity"],
    "float4": ["0", "1", "-1", "NaN", "Infinity", "-Infinity"],
    "float8": ["0", "1", "-1", "NaN", "Infinity", "-Infinity"],
    "text": ["", "a", " ", "abc", "YYYY-MM", "%", "1", "{}", "a.b", "month", "epoch"],
    "bool": ["t", "f"],
    "date": ["infinity", "-infinity", "2000-02-29"],
    "timestamp": ["infinity", "-infinity", "2000-02-29 12:34:56"],
    "timestamptz": ["infinity", "-infinity", "2000-02-29 12:34:56+00"],
    "interval": ["0", "1 day", "-1 year", "1 mon"],
    "time": ["00:00", "24:00", "12:34:56"],
    "timetz": ["00:00+00", "12:34:56-07"],
    "bytea": ["\\x", "\\x00ff"],
    "json": ["{}", "[]", "null", "\"\"", "{\"a\": 1}", "[1]", "1"],
    "jsonb": ["{}", "[]", "null", "\"\"", "{\"a\": 1}", "[1]", "1"],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
    "_int4": ["{}", "{1}", "{NULL}", "{{1,2},{3,4}}"],
    "_int8": ["{}", "{1}", "{NULL}"],
    "_text": ["{}", "{a}", "{NULL}", "{\"\"}"],
    "inet": ["0.0.0.0", "::1", "10.0.0.0/8"],
    "cidr": ["10.0.0.0/8", "::/0"],
}
for same in ("varchar", "bpchar", "name", "citext"):
    EDGE_VALUES[same] = EDGE_VALUES["text"]
POLYMORPHIC = {"anyelement": "int4", "anycompatible": "int4", "anynonarray": "int4",
               "anyarray": "_int4", "anycompatiblearray": "_int4"}

PROBED = """
SELECT p.oid, n.nspname, p.proname, array_to_string(ARRAY(SELECT t.typname FROM unnest(p.proargtypes) WITH ORDINALITY a(oid, i)
       JOIN pg_type t ON t.oid = a.oid ORDER BY a.i), ' ')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proisstrict AND p.prokind = 'f' AND NOT p.proretset AND p.provolatile IN ('i', 's') AND p.pronargs > 0
  AND p.provariadic = 0 AND p.prorettype <> 'void'::regtype
  AND (p.pronamespace = 'pg_catalog'::regnamespace OR p.oid IN
       (SELECT objid FROM pg_depend WHERE classid = 'pg_proc'::regclass AND deptype = 'e'))
ORDER BY p.oid
"""

PROBE_FUNCTION = """
CREATE TABLE sqlgen_probe_nulls (oid oid PRIMARY KEY);
CREATE FUNCTION sqlgen_probe(f oid, calls text[]) RETURNS void LANGUAGE plpgsql AS $probe$
DECLARE
  c text;
  r boolean;
BEGIN
  FOREACH c IN ARRAY calls LOOP
    BEGIN
      EXECUTE 'SELECT (' || c || ') IS NULL' INTO r;
      IF r THEN
        INSERT INTO sqlgen_probe_nulls VALUES (f) ON CONFLICT DO NOTHING;
        RETURN;
      END IF;
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
  END LOOP;
END
$probe$;
"""


def probe_calls(schema, name, argument_types):
    """The calls that probe one function: every combination of its arguments' edge values, or, when
    that is too many, each argument through its values with the others at their first ones."""
    values = []
    for type_name in argument_types:
        concrete = POLYMORPHIC.get(type_name, type_name)
        if concrete not in EDGE_VALUES:
            return []
        values.append([f"'{v.replace(chr(39), chr(39) * 2)}'::pg_catalog.{concrete}" for v in EDGE_VALUES[concrete]])
    combinations = 1
    for options in values:
        combinations *= len(options)
    if combinations <= 400:
        chosen = list(itertools.product(*values))
    else:
        chosen = []
        for position, options in enumerate(values):
            for option in options:
                for base in (0, 1):
                    call = [v[min(base, len(v) - 1)] for v in values]
                    call[position] = option
                    chosen.append(tuple(call))
    quoted = '"' + name.replace('"', '""') + '"'
    return [f"{schema}.{quoted}({', '.join(call)})" for call in chosen]


def null_for_non_null(database):
    """'N' rows: the strict built-in functions that returned NULL for some non-NULL arguments here."""
    psql(database, PROBE_FUNCTION)
    script = ["SET statement_timeout = '2s';", "SET client_min_messages = error;"]
    for row in psql(database, PROBED):
        oid, schema, name, argument_types = row.split("\t")
        calls = probe_calls(schema, name, argument_types.split(" "))
        if not calls:
            continue
        array = "ARRAY[" + ", ".join("'" + c.replace("'", "''") + "'" for c in calls) + "]::text[]"
        script.append(f"SELECT sqlgen_probe({oid}, {array});")
    path = os.path.join("/tmp", f"{database}-probe.sql")
    with open(path, "w") as out:
        out.write("\n".join(script) + "\n")
    # A probe that runs out of time loses only its own function (psql goes on with the next line).
    probed = subprocess.run(["psql", "-X", "-q", "-o", "/dev/null", "-d", database, "-f", path],
                            check=True, capture_output=True, text=True)
    timeouts = probed.stderr.count("canceling statement due to statement timeout")
    if timeouts:
        print(f"{timeouts} probes ran out of time", file=sys.stderr)
    os.remove(path)
    return [f"N\t{oid}" for oid in psql(database, "SELECT oid FROM sqlgen_probe_nulls ORDER BY oid")]


def psql(database, sql):
    result = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
        check=True, capture_output=True, text=True)
    return [line for line in result.stdout.split("\n") if line]


def main():
    psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE}")
    psql("postgres", f"CREATE DATABASE {DATABASE}")
    try:
        for extension in EXTENSIONS:
            psql(DATABASE, f'CREATE EXTENSION IF NOT EXISTS "{extension}" SCHEMA public')
        version = psql(DATABASE, "SHOW server_version")[0].split()[0]
        lines = []
        for query in (TYPES, FUNCTIONS, OPERATORS, CASTS, RELATIONS):
            lines.extend(psql(DATABASE, query))
        lines.extend(null_for_non_null(DATABASE))
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE}")
    for line in lines:
        if '"""' in line or "\\" in line:
            sys.exit(f"unexpected characters in catalog row: {line!r}")
    with open(OUTPUT, "w") as out:
        out.write("// Generated by scripts/generate-builtin-catalog.py from PostgreSQL "
                  f"{version}. Do not edit.\n")
        out.write("// Rows: T type, F function, O operator, C cast, R a column of a system catalog or view, N a\n"
                  "// strict function that returned NULL for non-NULL arguments when probed with edge values;\n"
                  "// fields separated by tabs.\n\n")
        out.write(f'let builtinCatalogServerVersion = "{version}"\n\n')
        out.write('let builtinCatalogRows = #"""\n')
        out.write("\n".join(lines))
        out.write('\n"""#\n')
    # Laid out as the repository's `swift format` configuration lays it out, so a rerun changes only data.
    subprocess.run(["swift", "format", "--in-place", OUTPUT], check=False)
    print(f"wrote {len(lines)} rows from PostgreSQL {version} to {os.path.normpath(OUTPUT)}")


if __name__ == "__main__":
    main()
