import Testing

@testable import SQLGenCore

@Suite struct CatalogTableTests {
    /// A foreign key to a table that does not exist is PostgreSQL's error; to the table itself it is
    /// not; after a DO block, which may have made the table, it is a warning.
    @Test func referencesNeedTheirTable() {
        let (_, diagnostics) = buildCatalog(
            """
            CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b (id), parent int REFERENCES a (id));
            CREATE TABLE c (id int, FOREIGN KEY (id) REFERENCES missing (id));
            ALTER TABLE c ADD CONSTRAINT later FOREIGN KEY (id) REFERENCES also_missing (id);
            ALTER TABLE c ADD COLUMN a_id int REFERENCES a (id);
            DO $$ BEGIN EXECUTE 'CREATE TABLE made (id int PRIMARY KEY)'; END $$;
            CREATE TABLE d (made_id int REFERENCES made (id));
            """)
        #expect(
            diagnostics.filter { $0.severity == .error }.map(\.message) == [
                "relation \"b\" does not exist", "relation \"missing\" does not exist",
                "relation \"also_missing\" does not exist",
            ])
        #expect(
            diagnostics.contains { $0.severity == .warning && $0.message.hasPrefix("relation \"made\" does not exist") }
        )
    }

    /// A migration's temporary tables serve its later DDL and never reach queries or models.
    @Test func temporaryTablesStayInTheirSession() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TEMP TABLE scratch (x int);
            CREATE TABLE pg_temp.scratch2 (y int);
            ALTER TABLE scratch ADD COLUMN z text;
            CREATE TABLE kept (id int);
            DROP TABLE scratch;
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.schemas["pg_temp"]?.tables.keys.elements == ["scratch2"])
        #expect(catalog.schemas["public"]?.tables.keys.elements == ["kept"])
        let (_, queryDiagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: "-- name: Scratch :many\nSELECT y FROM scratch2;")], catalog: catalog,
            tenancy: nil)
        #expect(queryDiagnostics.map(\.message) == ["relation \"scratch2\" does not exist"])
    }

    @Test func createTableResolvesEveryKindOfColumnType() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE t (
                a serial, b bigserial, c smallserial, d int GENERATED ALWAYS AS IDENTITY,
                e varchar(40), f character varying, g numeric(12, 2), h decimal, i text[], j integer[][],
                k timestamp with time zone, l timestamp, m time, n timetz, o interval, p date, q bool,
                r double precision, s real, t float, u jsonb, v json, w uuid, x bytea, y inet, z cidr,
                aa char(3), ab "char", ac name, ad int4, ae int8, af int2, ag oid, ah tsvector, ai bit(3), aj money,
                ak int GENERATED ALWAYS AS (d * 2) STORED, al _text
            );
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            catalog.requireTable("public", "t")?.columnSummary == [
                "a integer NOT NULL", "b bigint NOT NULL", "c smallint NOT NULL", "d integer NOT NULL",
                "e character varying", "f character varying", "g numeric", "h numeric", "i text[]", "j integer[]",
                "k timestamp with time zone", "l timestamp without time zone", "m time without time zone",
                "n time with time zone", "o interval", "p date", "q boolean", "r double precision", "s real",
                "t double precision", "u jsonb", "v json", "w uuid", "x bytea", "y inet", "z cidr", "aa character",
                "ab \"char\"", "ac name", "ad integer", "ae bigint", "af smallint", "ag oid", "ah tsvector", "ai bit",
                "aj money", "ak integer", "al text[]",
            ])
        let table = catalog.requireTable("public", "t")
        #expect(table?.column(named: "e")?.type.modifiers == [40])
        #expect(table?.column(named: "d")?.isIdentity == true)
        #expect(table?.column(named: "ak")?.isGenerated == true)
        #expect(table?.column(named: "a")?.hasDefault == true)
    }

    @Test func foreignKeysMayReferenceAnyPrimaryOrUniqueKeyInAnyOrder() {
        let (_, diagnostics) = buildCatalog(
            """
            CREATE TABLE a (x int, y int, z int PRIMARY KEY, UNIQUE (x, y));
            CREATE TABLE u (v int);
            CREATE UNIQUE INDEX u_v ON u (v);
            CREATE TABLE b (
                x int, y int, z int REFERENCES a, v int REFERENCES u (v),
                FOREIGN KEY (y, x) REFERENCES a (y, x)
            );
            """)
        #expect(errors(diagnostics) == [])
    }

    @Test func keysOfPartitionedTablesThatIncludeThePartitionKeyAreAccepted() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE p (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);
            CREATE UNIQUE INDEX p_k_id ON p (k, id);
            CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.requireTable("public", "p")?.partitionColumns == ["k"])
    }

    @Test func columnTypesChangeWhereACastOrUsingConvertsTheValues() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE c (a int, b int[], d text, e varchar(10), f timestamp, g int[]);
            ALTER TABLE c ALTER a TYPE bigint, ALTER b TYPE bigint[], ALTER d TYPE int USING d::int,
                ALTER e TYPE varchar(20), ALTER f TYPE timestamptz, ALTER g TYPE text;
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            catalog.requireTable("public", "c")?.columnSummary == [
                "a bigint", "b bigint[]", "d integer", "e character varying", "f timestamp with time zone", "g text",
            ])
    }

    @Test func identityGenerationFollowsCreateAndAlterTable() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE always (id int GENERATED ALWAYS AS IDENTITY, b int GENERATED BY DEFAULT AS IDENTITY);
            CREATE TABLE dumped (id integer NOT NULL);
            ALTER TABLE dumped ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME dumped_id_seq);
            CREATE TABLE switched (id int GENERATED BY DEFAULT AS IDENTITY, b int GENERATED ALWAYS AS IDENTITY);
            ALTER TABLE switched ALTER id SET GENERATED ALWAYS, ALTER b SET GENERATED BY DEFAULT;
            CREATE TABLE dropped (id int GENERATED ALWAYS AS IDENTITY);
            ALTER TABLE dropped ALTER id DROP IDENTITY;
            """)
        #expect(errors(diagnostics) == [])
        func always(_ table: String, _ column: String) -> Bool? {
            catalog.requireTable("public", table)?.column(named: column)?.isIdentityAlways
        }
        #expect(always("always", "id") == true)
        #expect(always("always", "b") == false)
        #expect(always("dumped", "id") == true)
        #expect(catalog.requireTable("public", "dumped")?.column(named: "id")?.isIdentity == true)
        #expect(always("switched", "id") == true)
        #expect(always("switched", "b") == false)
        #expect(always("dropped", "id") == false)
        #expect(catalog.requireTable("public", "dropped")?.column(named: "id")?.isIdentity == false)
    }

    @Test func primaryKeysMakeColumnsNotNullAlsoAsTableConstraints() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE a (id int PRIMARY KEY, note text NULL);
            CREATE TABLE b (x int, y int, z int UNIQUE, PRIMARY KEY (x, y));
            CREATE TABLE c (id int, CONSTRAINT c_pk PRIMARY KEY (id), ref int REFERENCES a (id), CHECK (ref > 0));
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.requireTable("public", "a")?.columnSummary == ["id integer NOT NULL", "note text"])
        #expect(
            catalog.requireTable("public", "b")?.columnSummary == [
                "x integer NOT NULL", "y integer NOT NULL", "z integer",
            ])
        #expect(catalog.requireTable("public", "b")?.primaryKey == ["x", "y"])
        #expect(catalog.requireTable("public", "b")?.uniqueKeys == [["z"]])
        #expect(catalog.requireTable("public", "c")?.columnSummary == ["id integer NOT NULL", "ref integer"])
    }

    @Test func likeInheritsAndPartitionOfCopyColumns() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE base (id int NOT NULL, name text);
            CREATE TABLE copy (LIKE base, extra bool);
            CREATE TABLE child (extra date, name text NOT NULL) INHERITS (base);
            CREATE TABLE events (id bigint, at date NOT NULL, payload jsonb) PARTITION BY RANGE (at);
            CREATE TABLE events_2026 PARTITION OF events (payload NOT NULL) FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            catalog.requireTable("public", "copy")?.columnSummary == [
                "id integer NOT NULL", "name text", "extra boolean",
            ])
        #expect(
            catalog.requireTable("public", "child")?.columnSummary == [
                "id integer NOT NULL", "name text NOT NULL", "extra date",
            ])
        #expect(catalog.requireTable("public", "events")?.kind == .partitionedTable)
        #expect(
            catalog.requireTable("public", "events_2026")?.columnSummary == [
                "id bigint", "at date NOT NULL", "payload jsonb NOT NULL",
            ])
    }

    @Test func schemaQualifiedNamesAndSearchPath() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE SCHEMA app;
            CREATE TYPE app.mood AS ENUM ('ok');
            CREATE TABLE app.t (m app.mood);
            SET search_path TO app, public;
            CREATE TABLE u (m mood, t_ref int);
            CREATE SCHEMA inner_schema CREATE TABLE inside (id int);
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.requireTable("app", "t")?.columnSummary == ["m mood"])
        #expect(catalog.requireTable("app", "u")?.columnSummary == ["m mood", "t_ref integer"])
        #expect(catalog.requireTable("inner_schema", "inside") != nil)
    }

    @Test func alterTableChangesColumnsAndConstraints() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE t (a int, b text, c text, d int);
            ALTER TABLE t ADD COLUMN e uuid NOT NULL, DROP COLUMN c;
            ALTER TABLE t ADD COLUMN IF NOT EXISTS e int;
            ALTER TABLE t ALTER COLUMN b TYPE varchar(10), ALTER COLUMN b SET NOT NULL;
            ALTER TABLE t ALTER COLUMN e DROP NOT NULL;
            ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a);
            ALTER TABLE t RENAME COLUMN d TO renamed;
            ALTER TABLE t RENAME TO t2;
            ALTER TABLE IF EXISTS missing ADD COLUMN x int;
            ALTER TABLE t2 DROP COLUMN IF EXISTS nothing;
            CREATE SCHEMA other;
            ALTER TABLE t2 SET SCHEMA other;
            ALTER TABLE other.t2 ALTER COLUMN a SET DEFAULT 1, ENABLE ROW LEVEL SECURITY;
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.requireTable("public", "t") == nil)
        #expect(catalog.requireTable("public", "t2") == nil)
        #expect(
            catalog.requireTable("other", "t2")?.columnSummary == [
                "a integer NOT NULL", "b character varying NOT NULL", "renamed integer", "e uuid",
            ])
        #expect(catalog.requireTable("other", "t2")?.primaryKey == ["a"])
    }

    @Test func alterTableRecursesIntoChildren() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE parent (id int);
            CREATE TABLE kid () INHERITS (parent);
            ALTER TABLE parent ADD COLUMN note text;
            ALTER TABLE parent ALTER COLUMN id SET NOT NULL;
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.requireTable("public", "kid")?.columnSummary == ["id integer NOT NULL", "note text"])
    }

    @Test(arguments: [
        ("CREATE TABLE t (a int);\nCREATE TABLE t (b int);", "test.sql:2:14: error: relation \"t\" already exists"),
        ("CREATE TABLE t (\n  a int,\n  a text\n);", "test.sql:3:3: error: column \"a\" specified more than once"),
        ("CREATE TABLE t (\n  a texx\n);", "test.sql:2:5: error: type \"texx\" does not exist"),
        ("CREATE TABLE nope.t (a int);", "test.sql:1:14: error: schema \"nope\" does not exist"),
        ("CREATE TABLE t (a int, PRIMARY KEY (b));", "test.sql:1:24: error: column \"b\" named in key does not exist"),
        (
            "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY);",
            "test.sql:1:36: error: multiple primary keys for table \"t\" are not allowed"
        ),
        ("CREATE TABLE t (LIKE missing);", "test.sql:1:22: error: relation \"missing\" does not exist"),
        (
            "CREATE TABLE a (x int, y int UNIQUE);\nCREATE TABLE b (x int REFERENCES a (x));",
            "test.sql:2:23: error: there is no unique constraint matching given keys for referenced table \"a\""
        ),
        (
            "CREATE TABLE p (id int PRIMARY KEY, k int NOT NULL) PARTITION BY HASH (k);",
            "test.sql:1:17: error: unique constraint on partitioned table must include all partitioning columns: the key of table \"p\" lacks column \"k\", which is part of the partition key"
        ),
        (
            "CREATE TABLE p (id int UNIQUE, k int) PARTITION BY RANGE (k);",
            "test.sql:1:24: error: unique constraint on partitioned table must include all partitioning columns: the key of table \"p\" lacks column \"k\", which is part of the partition key"
        ),
        (
            "CREATE TABLE p (id int, k int) PARTITION BY LIST (k);\nCREATE UNIQUE INDEX ON p (id);",
            "test.sql:2:24: error: unique constraint on partitioned table must include all partitioning columns: the key of table \"p\" lacks column \"k\", which is part of the partition key"
        ),
        (
            "CREATE TABLE c (x text);\nALTER TABLE c ALTER x TYPE text[];",
            "test.sql:2:28: error: column \"x\" cannot be cast automatically to type text[]: add USING x::text[]"
        ),
        (
            "CREATE TABLE c (x bool);\nALTER TABLE c ALTER x TYPE int;",
            "test.sql:2:28: error: column \"x\" cannot be cast automatically to type integer: add USING x::integer"
        ),
        (
            "CREATE TABLE a (x int);\nCREATE TABLE b (x int REFERENCES a);",
            "test.sql:2:23: error: there is no primary key for referenced table \"a\""
        ),
        (
            "CREATE TABLE a (x int, y int, UNIQUE (x, y));\nCREATE TABLE b (x int, y int);\nALTER TABLE b ADD CONSTRAINT f FOREIGN KEY (x) REFERENCES a (x);",
            "test.sql:3:19: error: there is no unique constraint matching given keys for referenced table \"a\""
        ),
        ("CREATE TABLE t () INHERITS (missing);", "test.sql:1:29: error: relation \"missing\" does not exist"),
        ("ALTER TABLE missing ADD COLUMN a int;", "test.sql:1:13: error: relation \"missing\" does not exist"),
        (
            "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN a int;",
            "test.sql:2:26: error: column \"a\" of relation \"t\" already exists"
        ),
        (
            "CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN b;",
            "test.sql:2:1: error: column \"b\" of relation \"t\" does not exist"
        ),
        (
            "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE nosuch;",
            "test.sql:2:35: error: type \"nosuch\" does not exist"
        ),
        (
            "CREATE TABLE t (a int PRIMARY KEY);\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;",
            "test.sql:2:1: error: column \"a\" is in a primary key"
        ),
        (
            "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN x TO y;",
            "test.sql:2:1: error: column \"x\" does not exist"
        ),
        (
            "CREATE TABLE a (x int);\nCREATE TABLE b (x int);\nALTER TABLE a RENAME TO b;",
            "test.sql:3:1: error: relation \"b\" already exists"
        ),
        (
            "CREATE TABLE t (a int);\nALTER TABLE t SET SCHEMA nope;",
            "test.sql:2:1: error: schema \"nope\" does not exist"
        ),
    ])
    func errorsCarryPostgresWordingAndPosition(sql: String, expected: String) {
        let (_, diagnostics) = buildCatalog(sql)
        #expect(errors(diagnostics) == [expected])
    }
}
