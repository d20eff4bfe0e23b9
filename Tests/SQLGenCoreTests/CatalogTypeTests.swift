import Testing

@testable import SQLGenCore

@Suite struct CatalogTypeTests {
    @Test func aTypeOfAnExtensionWithoutCatalogNamesTheExtension() {
        let (_, diagnostics) = buildCatalog(
            """
            CREATE EXTENSION IF NOT EXISTS vector;
            CREATE EXTENSION citext;
            CREATE TABLE items (id int, embedding vector(3), name citext);
            """)
        let messages = diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(messages.count == 1)
        #expect(
            messages.first?.hasPrefix("type \"vector\" does not exist (the schema installs extension \"vector\",")
                == true)
        // Without such an extension the message is PostgreSQL's alone.
        let plain = buildCatalog("CREATE TABLE items (id int, embedding vector(3));").1
        #expect(plain.filter { $0.severity == .error }.map(\.message) == ["type \"vector\" does not exist"])
    }

    @Test func enumsKeepLabelOrderThroughAlterType() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
            ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';
            ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
            ALTER TYPE mood ADD VALUE 'meh';
            ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
            """)
        #expect(errors(diagnostics) == [])
        #expect(
            catalog.userType(QualifiedName(name: "mood"))?.kind
                == .enumeration(["blue", "ok", "happy", "ecstatic", "meh"]))
    }

    @Test func compositeTypesKeepTheirFields() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TYPE address AS (street text, zip varchar(10), tags text[]);
            ALTER TYPE address RENAME ATTRIBUTE zip TO postal_code;
            CREATE TABLE people (id int, home address, past address[]);
            """)
        #expect(errors(diagnostics) == [])
        guard case .composite(let fields) = catalog.userType(QualifiedName(name: "address"))?.kind else {
            Issue.record("address is not a composite type")
            return
        }
        #expect(
            fields.map { "\($0.name) \($0.type.formatted)" } == [
                "street text", "postal_code character varying", "tags text[]",
            ])
        #expect(
            catalog.requireTable("public", "people")?.columnSummary == ["id integer", "home address", "past address[]"])
    }

    @Test func domainsKeepBaseTypeAndNotNull() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE DOMAIN email AS text NOT NULL CHECK (VALUE LIKE '%@%');
            CREATE DOMAIN maybe_email AS text;
            CREATE DOMAIN work_email AS email;
            CREATE TABLE u (a email, b maybe_email, c work_email);
            """)
        #expect(errors(diagnostics) == [])
        let table = catalog.requireTable("public", "u")
        #expect(table?.columnSummary == ["a email", "b maybe_email", "c work_email"])
        #expect(
            catalog.userType(QualifiedName(name: "email"))?.kind
                == .domain(base: SQLType(name: "text", displayName: "text", builtinOID: 25), isNotNull: true))
        let neverNull = table?.columns.map { catalog.isNeverNull($0) }
        #expect(neverNull == [true, false, true])
    }

    @Test func renamingAndMovingATypeUpdatesItsUsers() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE TYPE stage AS ENUM ('a');
            CREATE TABLE deals (s stage, h stage[]);
            ALTER TYPE stage RENAME TO deal_stage;
            CREATE SCHEMA crm;
            ALTER TYPE deal_stage SET SCHEMA crm;
            """)
        #expect(errors(diagnostics) == [])
        let column = catalog.requireTable("public", "deals")?.columns.first
        #expect(column?.type.schema == "crm")
        #expect(column?.type.name == "deal_stage")
        #expect(catalog.requireTable("public", "deals")?.columnSummary == ["s deal_stage", "h deal_stage[]"])
    }

    @Test func extensionsBringTheirTypes() {
        let (catalog, diagnostics) = buildCatalog(
            """
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE EXTENSION "uuid-ossp";
            CREATE EXTENSION pgcrypto;
            CREATE EXTENSION IF NOT EXISTS citext;
            CREATE SCHEMA ext;
            CREATE EXTENSION hstore SCHEMA ext;
            CREATE TABLE t (e citext NOT NULL, h ext.hstore);
            """)
        #expect(errors(diagnostics) == [])
        #expect(catalog.requireTable("public", "t")?.columnSummary == ["e citext NOT NULL", "h hstore"])
    }

    @Test func unknownExtensionIsAWarningNamingIt() {
        let (_, diagnostics) = buildCatalog("CREATE EXTENSION postgis;")
        #expect(errors(diagnostics) == [])
        #expect(
            diagnostics.map(\.description) == [
                "test.sql:1:1: warning: extension \"postgis\" is not known to sqlgen; its types, functions and operators are not available to queries until they are declared under 'extensions' in sqlgen.yaml"
            ])
    }

    @Test(arguments: [
        (
            "CREATE TYPE m AS ENUM ('a');\nCREATE TYPE m AS ENUM ('b');",
            "test.sql:2:1: error: type \"m\" already exists"
        ),
        ("CREATE TYPE m AS ENUM ('a', 'a');", "test.sql:1:1: error: enum label \"a\" used more than once"),
        ("ALTER TYPE nope ADD VALUE 'x';", "test.sql:1:1: error: type \"nope\" does not exist"),
        (
            "CREATE TYPE m AS ENUM ('a');\nALTER TYPE m ADD VALUE 'a';",
            "test.sql:2:1: error: enum label \"a\" already exists"
        ),
        (
            "CREATE TYPE m AS ENUM ('a');\nALTER TYPE m ADD VALUE 'b' AFTER 'z';",
            "test.sql:2:1: error: \"z\" is not an existing enum label"
        ),
        (
            "CREATE TYPE m AS ENUM ('a');\nALTER TYPE m RENAME VALUE 'z' TO 'y';",
            "test.sql:2:1: error: \"z\" is not an existing enum label"
        ),
        ("CREATE DOMAIN d AS nosuch;", "test.sql:1:20: error: type \"nosuch\" does not exist"),
        ("CREATE TYPE c AS (a int, b nosuch);", "test.sql:1:28: error: type \"nosuch\" does not exist"),
        ("CREATE TABLE t (e citext);", "test.sql:1:19: error: type \"citext\" does not exist"),
        (
            "CREATE EXTENSION citext;\nCREATE EXTENSION citext;",
            "test.sql:2:1: error: extension \"citext\" already exists"
        ),
        ("CREATE TABLE t (a int);\nCREATE TYPE t AS ENUM ('x');", "test.sql:2:1: error: type \"t\" already exists"),
    ])
    func errorsCarryPostgresWordingAndPosition(sql: String, expected: String) {
        let (_, diagnostics) = buildCatalog(sql)
        #expect(errors(diagnostics) == [expected])
    }
}
