import Foundation
import Testing

@testable import SQLGenCore

/// Extensions sqlgen has no catalog for, declared in `sqlgen.yaml`: read at their lines, added to the
/// catalog, and typed as the server types them (the semver extension on the throwaway server).
@Suite(.serialized) struct ExtensionDeclarationTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/extensions"

    static let configuration = """
        version: 1
        sql:
          - schema: schema.sql
            queries: releases.sql
            extensions:
              semver:
                types:
                  semver: { swift_type: SemanticVersion, import: Versions, category: S }
                functions:
                  - get_semver_major(semver) returns integer strict
                  - to_semver(text) returns semver strict
                  - is_semver(text) returns boolean strict
                  - max(semver) returns semver aggregate
                operators:
                  - semver = semver returns boolean strict
                  - semver > semver returns boolean strict
        """

    static func entry(_ text: String = configuration) throws -> SQLEntryConfiguration {
        let (configuration, diagnostics) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: folder)
        #expect(errors(diagnostics) == [])
        return try #require(configuration?.entries.first)
    }

    @Test func configurationDeclaresTypesFunctionsAndOperators() throws {
        let entry = try Self.entry()
        let semver = try #require(entry.extensions.first)
        #expect(semver.name == "semver")
        #expect(
            semver.types == [
                DeclaredType(
                    name: "semver", swiftType: "SemanticVersion", importModule: "Versions", category: UInt8(ascii: "S"),
                    location: SourceLocation(path: "sqlgen.yaml", line: 8, column: 11))
            ])
        #expect(semver.functions.map(\.text).first == "get_semver_major(semver) returns integer strict")
        #expect(semver.functions.first?.location == SourceLocation(path: "sqlgen.yaml", line: 10, column: 13))
        #expect(semver.operators.count == 2)
        // The declared Swift type is an override by type, after the ones written.
        #expect(
            entry.swift.overrides == [
                TypeOverride(databaseType: "semver", swiftType: "SemanticVersion", importModule: "Versions")
            ])
    }

    @Test(arguments: [
        (
            "types: { semver: { swift: X } }",
            "sqlgen.yaml:6:28: error: unknown key 'swift' in type 'semver' (expected swift_type, import or category)"
        ),
        (
            "types: { semver: { category: s } }",
            "sqlgen.yaml:6:38: error: 'category' must be one capital letter, as pg_type.typcategory (U, S, N...)"
        ),
        (
            "casts: []",
            "sqlgen.yaml:6:9: error: unknown key 'casts' in extension 'semver' (expected types, functions or operators)"
        ),
        ("types: [semver]", "sqlgen.yaml:6:16: error: the 'types' of extension 'semver' must be a mapping"),
    ])
    func configurationErrorsPointAtTheirKey(_ body: String, _ expected: String) {
        let text = """
            version: 1
            sql:
              - schema: schema.sql
                extensions:
                  semver:
                    \(body)
            """
        let (_, diagnostics) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: ".")
        #expect(errors(diagnostics) == [expected])
    }

    @Test(arguments: [
        (
            "functions: [\"major(semvr) returns int\"]",
            "sqlgen.yaml:7:21: error: type \"semvr\" in 'major(semvr) returns int' does not exist (declare it under the extension's 'types', or name a built-in type)"
        ),
        (
            "functions: [\"major semver returns int\"]",
            "sqlgen.yaml:7:21: error: cannot read function 'major semver returns int': expected 'name(type, ...) returns type', with 'setof' before a set's type, and 'strict' or 'aggregate' last"
        ),
        (
            "operators: [\"semver semver returns bool\"]",
            "sqlgen.yaml:7:21: error: cannot read operator 'semver semver returns bool': expected 'left op right returns type' (or 'op right returns type'), with 'strict' last"
        ),
        (
            "operators: [\"semver ~> semver\"]",
            "sqlgen.yaml:7:21: error: cannot read 'semver ~> semver': expected 'left op right returns type' (or 'op right returns type'), with 'strict' last"
        ),
    ])
    func signatureErrorsPointAtTheirLine(_ body: String, _ expected: String) throws {
        let text = """
            version: 1
            sql:
              - schema: schema.sql
                extensions:
                  semver:
                    types: { semver: }
                    \(body)
            """
        let (configuration, diagnostics) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: ".")
        #expect(errors(diagnostics) == [])
        let entry = try #require(configuration?.entries.first)
        #expect(entry.extensions.first?.types.first?.swiftType == "Swift.String")
        let (_, declared) = BuiltinCatalog.shared.declaring(entry.extensions)
        #expect(errors(declared) == [expected])
    }

    @Test func anExtensionSqlgenKnowsNeedsNoDeclaration() {
        let (_, diagnostics) = BuiltinCatalog.shared.declaring([
            ExtensionDeclaration(name: "citext", location: SourceLocation(path: "sqlgen.yaml", line: 4, column: 5))
        ])
        #expect(
            errors(diagnostics) == [
                "sqlgen.yaml:4:5: error: extension \"citext\" is known to sqlgen: its types, functions and operators need no declaration"
            ])
    }

    @Test func undeclaredOrUncreatedExtensionTypesSayWhatToDo() throws {
        let schema = "CREATE EXTENSION semver;\nCREATE TABLE r (v semver);"
        let (_, undeclared) = buildCatalog(schema)
        #expect(
            errors(undeclared) == [
                "test.sql:2:19: error: type \"semver\" does not exist (the schema installs extension \"semver\", which sqlgen has no catalog for: declare its types under 'extensions' in sqlgen.yaml, or cast such columns to text in queries)"
            ])
        let entry = try Self.entry()
        let (_, uncreated) = Pipeline.buildCatalog(
            from: [SourceFile(path: "test.sql", text: "CREATE TABLE r (v semver);")], extensions: entry.extensions)
        #expect(
            errors(uncreated) == [
                "test.sql:1:19: error: type \"semver\" does not exist (sqlgen.yaml declares it as a type of extension \"semver\", which no schema file creates: add CREATE EXTENSION semver)"
            ])
        let (catalog, created) = Pipeline.buildCatalog(
            from: [SourceFile(path: "test.sql", text: schema)], extensions: entry.extensions)
        #expect(created == [])
        #expect(catalog.requireTable("public", "r")?.columnSummary == ["v semver"])
    }

    @Test func anUndeclaredOperatorIsPostgresError() throws {
        let entry = try Self.entry()
        let analysis = Pipeline.analyze(entry, base: Self.folder)
        #expect(errors(analysis.diagnostics) == [])
        let catalog = try #require(analysis.result?.catalog)
        let (_, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: "-- name: Q :many\nSELECT id FROM releases WHERE version < $1;")],
            catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == ["q.sql:2:39: error: operator does not exist: semver < unknown"])
    }

    @Test func aDeclarationWithoutStrictMayReturnNull() throws {
        var semver = ExtensionDeclaration(name: "semver")
        semver.types = [DeclaredType(name: "semver")]
        semver.functions = [DeclaredSignature(text: "get_semver_major(semver) returns integer")]
        semver.operators = [
            DeclaredSignature(text: "semver > semver returns boolean"),
            DeclaredSignature(text: "semver = semver returns boolean strict"),
        ]
        let (catalog, schema) = Pipeline.buildCatalog(
            from: [SourceFile(path: "s.sql", text: "CREATE EXTENSION semver; CREATE TABLE r (v semver NOT NULL);")],
            extensions: [semver])
        #expect(schema == [])
        let (queries, diagnostics) = QueryCompiler.compile(
            [
                SourceFile(
                    path: "q.sql",
                    text: "-- name: Q :one\nSELECT v > v AS gt, v = v AS eq, get_semver_major(v) AS major FROM r;")
            ], catalog: catalog, tenancy: nil)
        #expect(diagnostics == [])
        #expect(queries.first?.columns.map(\.nullable) == [true, false, true])
    }

    /// Every fixture query prepared on the server with the real extension: sqlgen's parameter and
    /// column types are the server's, and what it calls never NULL is so.
    @Test func declaredObjectsAreTypedAsTheServerTypesThem() throws {
        let entry = try Self.entry()
        let analysis = Pipeline.analyze(entry, base: Self.folder)
        #expect(errors(analysis.diagnostics) == [])
        let queries = try #require(analysis.result?.queries)
        #expect(queries.count == 8)
        let server = try PostgresTestConnection.freshDatabase("sqlgen_declared_extension")
        try server.execute(try String(contentsOfFile: Self.folder + "/schema.sql", encoding: .utf8))
        for query in queries {
            let described = try server.describe(query.sql)
            #expect(query.parameters.map(\.type.formatted) == described.parameterTypes, "\(query.name)")
            #expect(query.columns.map(\.type.formatted) == described.columns.map(\.type), "\(query.name)")
        }
        let nullability = Dictionary(
            uniqueKeysWithValues: queries.map { query in
                (query.name, query.columns.map { "\($0.name)\($0.nullable ? "?" : "!")" })
            })
        #expect(nullability["ReleasesAfter"] == ["version!", "major!"])
        #expect(nullability["PreviousMajors"] == ["major?"])
        #expect(nullability["NewestRelease"] == ["newest?"])
        #expect(nullability["ParseVersion"] == ["parsed!", "valid!"])
        #expect(nullability["SupportedVersions"] == ["supported!"])
        // What the analysis calls never NULL is not NULL on rows with NULLs and an empty table.
        try server.execute("INSERT INTO releases (package, version) VALUES ('a', '1.0.0'), ('b', '2.1.0')")
        let rows = try server.execute("SELECT version, get_semver_major(version) FROM releases WHERE version > '0.1.0'")
        #expect(rows.count == 2 && rows.allSatisfy { $0.allSatisfy { $0 != nil } })
        #expect(try server.execute("SELECT get_semver_major(previous) FROM releases").contains([nil]))
        try server.execute("DELETE FROM releases")
        #expect(try server.execute("SELECT max(version) FROM releases") == [[nil]])
    }
}
