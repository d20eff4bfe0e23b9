import Testing

@testable import SQLGenCore

@Suite struct CatalogObjectTests {
    @Test func viewsTakeTheirColumnsFromTheQuery() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, team_id int);
            CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL);
            CREATE VIEW user_teams AS
                SELECT u.id, u.email AS address, t.name, t.id::text AS team FROM users u LEFT JOIN teams t ON t.id = u.team_id;
            CREATE MATERIALIZED VIEW everyone (who) AS SELECT email FROM users;
            CREATE VIEW star AS SELECT * FROM teams;
            CREATE OR REPLACE VIEW star AS SELECT * FROM teams;
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            catalog.requireTable("public", "user_teams")?.columnSummary == [
                "id integer NOT NULL", "address text NOT NULL", "name text", "team text",
            ])
        #expect(catalog.requireTable("public", "everyone")?.kind == .materializedView)
        #expect(catalog.requireTable("public", "everyone")?.columnSummary == ["who text NOT NULL"])
        #expect(catalog.requireTable("public", "star")?.columnSummary == ["id integer NOT NULL", "name text NOT NULL"])
    }

    @Test func viewColumnsComeFromQueryAnalysis() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE t (a int, b text NOT NULL);
            CREATE VIEW counts AS SELECT b, count(*) AS n, sum(a) AS total, max(a) FROM t GROUP BY b;
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            catalog.requireTable("public", "counts")?.columnSummary == [
                "b text NOT NULL", "n bigint NOT NULL", "total bigint", "max integer",
            ])
    }

    @Test func viewsBeyondAnalysisAreKeptWithAWarning() {
        let (catalog, diagnostics) = buildCatalog(
            "CREATE TABLE t (a int);\nCREATE VIEW docs AS SELECT xmlelement(name item, a) AS doc FROM t;")
        #expect(errors(diagnostics) == [])
        #expect(diagnostics.map(\.severity) == [.warning])
        #expect(diagnostics.first?.location?.description == "test.sql:2:13")
        #expect(catalog.requireTable("public", "docs")?.columnsKnown == false)
    }

    @Test func functionsKeepSignaturesAndReturnTypes() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE items (id int, name text);
            CREATE FUNCTION add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + b';
            CREATE FUNCTION add(a numeric, b numeric) RETURNS numeric LANGUAGE sql AS 'SELECT a + b';
            CREATE FUNCTION named_items() RETURNS SETOF items LANGUAGE sql AS 'SELECT * FROM items';
            CREATE FUNCTION pairs(n int) RETURNS TABLE (k int, v text) LANGUAGE sql AS 'SELECT 1, ''x''';
            CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a - b';
            CREATE PROCEDURE cleanup(days int) LANGUAGE sql AS 'SELECT 1';
            COMMENT ON FUNCTION add(int, int) IS 'Adds.';
            """)
        #expect(errors(diagnostics) == [])
        let functions = catalog.schemas["public"]?.functions
        #expect(functions?["add"]?.count == 2)
        #expect(functions?["add"]?.first?.returnType?.formatted == "integer")
        #expect(functions?["add"]?.first?.comment == "Adds.")
        #expect(functions?["named_items"]?.first?.returnsSet == true)
        #expect(functions?["named_items"]?.first?.returnType?.formatted == "items")
        #expect(functions?["pairs"]?.first?.resultColumns.map(\.name) == ["k", "v"])
        #expect(functions?["pairs"]?.first?.returnType?.formatted == "record")
        #expect(functions?["cleanup"]?.first?.isProcedure == true)
    }

    @Test func dropRemovesObjectsAndRespectsDependencies() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE SCHEMA gone;
            CREATE TABLE gone.t (a int);
            CREATE TYPE mood AS ENUM ('x');
            CREATE TABLE uses (m mood, keep int);
            CREATE TABLE drop_me (a int);
            CREATE VIEW v AS SELECT a FROM drop_me;
            DROP VIEW v;
            DROP TABLE drop_me, IF_NOT_THERE_IS_AN_ERROR_BUT_NOT_WITH IF EXISTS;
            """)
        // The last statement is a syntax error: nothing from the file is applied.
        #expect(errors(diagnostics).count == 1)
        #expect(catalog.schemas["gone"] == nil)

        let (dropped, dropDiagnostics) = buildCatalog(
            """
            CREATE SCHEMA gone;
            CREATE TABLE gone.t (a int);
            CREATE TYPE mood AS ENUM ('x');
            CREATE TABLE uses (m mood, keep int);
            CREATE TABLE drop_me (a int);
            CREATE VIEW v AS SELECT a FROM drop_me;
            DROP VIEW v;
            DROP TABLE drop_me;
            DROP TABLE IF EXISTS never_was;
            DROP SCHEMA gone CASCADE;
            DROP TYPE mood CASCADE;
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
            DROP FUNCTION f();
            CREATE EXTENSION citext;
            DROP EXTENSION citext;
            DROP INDEX IF EXISTS some_index;
            """)
        #expect(errors(dropDiagnostics) == [])
        #expect(dropped.schemas["gone"] == nil)
        #expect(dropped.requireTable("public", "drop_me") == nil)
        #expect(dropped.requireTable("public", "v") == nil)
        #expect(dropped.requireTable("public", "uses")?.columnSummary == ["keep integer"])
        #expect(dropped.userType(QualifiedName(name: "mood")) == nil)
        #expect(dropped.schemas["public"]?.functions["f"] == nil)
        #expect(dropped.schemas["public"]?.extensions == [])
    }

    @Test func commentsAreKeptForDocComments() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE SCHEMA crm;
            CREATE TABLE crm.t (a int);
            CREATE TYPE crm.m AS ENUM ('x');
            COMMENT ON SCHEMA crm IS 'CRM data.';
            COMMENT ON TABLE crm.t IS 'A table.';
            COMMENT ON COLUMN crm.t.a IS 'A column.';
            COMMENT ON TYPE crm.m IS 'A type.';
            COMMENT ON COLUMN crm.t.a IS NULL;
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.schemas["crm"]?.comment == "CRM data.")
        #expect(catalog.requireTable("crm", "t")?.comment == "A table.")
        #expect(catalog.requireTable("crm", "t")?.columns.first?.comment == nil)
        #expect(catalog.schemas["crm"]?.types["m"]?.comment == "A type.")
    }

    @Test func ignoredAndOpaqueStatements() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TABLE t (a int);
            CREATE INDEX t_a ON t (a);
            CREATE UNIQUE INDEX CONCURRENTLY t_a2 ON t (a);
            CREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();
            ALTER TABLE t ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON t USING (a > 0);
            GRANT SELECT ON t TO PUBLIC;
            REVOKE ALL ON t FROM PUBLIC;
            CREATE SEQUENCE s;
            INSERT INTO t VALUES (1);
            BEGIN; COMMIT;
            DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN b int'; END $$;
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            diagnostics.map(\.description) == [
                "test.sql:12:1: warning: DO is not understood by sqlgen's catalog; changes it makes to the schema are not seen"
            ])
        #expect(catalog.requireTable("public", "t")?.columnSummary == ["a integer"])
    }

    @Test(arguments: [
        ("DROP TABLE nope;", "test.sql:1:1: error: table \"nope\" does not exist"),
        (
            "CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t;\nDROP TABLE v;",
            "test.sql:3:1: error: \"v\" is not a table"
        ),
        ("DROP TYPE nope;", "test.sql:1:11: error: type \"nope\" does not exist"),
        (
            "CREATE TYPE m AS ENUM ('x');\nCREATE TABLE t (a m);\nDROP TYPE m;",
            "test.sql:3:11: error: cannot drop type m because other objects depend on it"
        ),
        (
            "CREATE SCHEMA s;\nCREATE TABLE s.t (a int);\nDROP SCHEMA s;",
            "test.sql:3:1: error: cannot drop schema s because other objects depend on it"
        ),
        ("DROP SCHEMA nope;", "test.sql:1:1: error: schema \"nope\" does not exist"),
        ("COMMENT ON TABLE nope IS 'x';", "test.sql:1:1: error: relation \"nope\" does not exist"),
        (
            "CREATE TABLE t (a int);\nCOMMENT ON COLUMN t.b IS 'x';",
            "test.sql:2:1: error: column \"b\" of relation \"t\" does not exist"
        ),
        (
            "CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT b FROM t;",
            "test.sql:2:25: error: column \"b\" does not exist"
        ),
        ("CREATE VIEW v AS SELECT a FROM nope;", "test.sql:1:32: error: relation \"nope\" does not exist"),
        (
            "CREATE TABLE a (x int);\nCREATE TABLE b (x int);\nCREATE VIEW v AS SELECT x FROM a, b;",
            "test.sql:3:25: error: column reference \"x\" is ambiguous"
        ),
        (
            "CREATE FUNCTION f(a nosuch) RETURNS int LANGUAGE sql AS 'SELECT 1';",
            "test.sql:1:21: error: type \"nosuch\" does not exist"
        ),
        (
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';",
            "test.sql:2:1: error: function \"f\" already exists with same argument types"
        ),
    ])
    func errorsCarryPostgresWordingAndPosition(sql: String, expected: String) {
        let (_, diagnostics) = buildCatalog(sql)
        #expect(errors(diagnostics) == [expected])
    }
}
