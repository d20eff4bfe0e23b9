import Foundation
import Testing

@testable import SQLGenCore

/// A `pg_dump` file read as a schema: the postgres15 corpus's schema is applied on the throwaway server,
/// filled with its adversarial rows (so the dump has COPY data with tabs, `\N` and backslashes),
/// dumped by PostgreSQL 15's own `pg_dump`, and the dump must give the relations the original schema
/// gives and analyse every corpus query to the same types and nullability.
@Suite(.serialized) struct PgDumpSchemaTests {
    static func dump(of corpus: QueryCorpusTests.Corpus) throws -> String {
        let database = "pg_dump_\(corpus.name)"
        let server = try PostgresTestConnection.freshDatabase(database)
        _ = try server.execute(String(contentsOfFile: corpus.root + "/schema.sql", encoding: .utf8))
        _ = try server.execute(String(contentsOfFile: corpus.root + "/adversarial.sql", encoding: .utf8))
        _ = try server.execute(#"INSERT INTO comments (ticket_id, author, body) VALUES (3, 'tab\there', 'back\slash')"#)
        let bindir = ProcessInfo.processInfo.environment["SQLGEN_PG_BINDIR"] ?? "/usr/lib/postgresql/15/bin"
        let url = try PostgresTestConnection.serverURL().replacingOccurrences(of: "/postgres", with: "/\(database)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bindir + "/pg_dump")
        process.arguments = ["--no-password", url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// Every relation but the sequences pg_dump spells out for serial columns, with its columns'
    /// types and NOT NULLs.
    static func relations(_ catalog: Catalog) -> [String] {
        catalog.allTables.filter { $0.kind != .sequence }.flatMap { table in
            table.columns.map { "\(table.schema).\(table.name).\($0.name) \($0.type.formatted) \($0.isNotNull)" }
        }.sorted()
    }

    @Test func aDumpGivesTheSchemasRelationsAndQueryTypes() throws {
        let corpus = QueryCorpusTests.Corpus.postgres15
        let text = try Self.dump(of: corpus)
        #expect(text.contains("COPY public.tickets"))
        #expect(text.contains("\\."))
        let file = SourceFile(path: "dump.sql", text: text)
        let (dumped, diagnostics) = Pipeline.buildCatalog(from: [file])
        #expect(errors(diagnostics) == [])
        #expect(diagnostics.contains { $0.severity == .note && $0.message.hasPrefix("COPY ... FROM stdin") })
        #expect(diagnostics.contains { $0.severity == .note && $0.message.hasPrefix("psql meta-command \\restrict") })
        let (original, queries, _) = try QueryCorpusTests.load(corpus)
        #expect(Self.relations(dumped) == Self.relations(original))

        let queryFiles = try SQLFileLoader.load(
            paths: [corpus.root + "/queries"], relativeTo: corpus.root, migrations: false)
        let (fromDump, queryDiagnostics) = QueryCompiler.compile(queryFiles, catalog: dumped, tenancy: nil)
        #expect(errors(queryDiagnostics) == [])
        #expect(fromDump.count == queries.count)
        for (ours, theirs) in zip(fromDump, queries) {
            #expect(
                ours.columns.map { "\($0.name) \($0.type.formatted) \($0.nullable)" }
                    == theirs.columns.map { "\($0.name) \($0.type.formatted) \($0.nullable)" }, "\(ours.name)")
            #expect(ours.parameters.map(\.type.formatted) == theirs.parameters.map(\.type.formatted), "\(ours.name)")
        }
    }

    /// What a dump of a whole database adds around its objects.
    @Test func aDumpsSchemaOwnershipAndSettingsAreAccepted() {
        let text = """
            SELECT pg_catalog.set_config('search_path', '', false);
            CREATE SCHEMA public;
            ALTER SCHEMA public OWNER TO pg_database_owner;
            COMMENT ON SCHEMA public IS 'standard public schema';
            CREATE TABLE public.t (id integer NOT NULL);
            ALTER TABLE public.t OWNER TO app;
            GRANT SELECT ON TABLE public.t TO reader;
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            """
        let (catalog, diagnostics) = Pipeline.buildCatalog(from: [SourceFile(path: "dump.sql", text: text)])
        #expect(errors(diagnostics) == [])
        #expect(diagnostics.contains { $0.severity == .note && $0.message.contains("CREATE SCHEMA public skipped") })
        #expect(catalog.schemas["public"]?.tables["t"]?.columns.map(\.name) == ["id"])
        let again = Pipeline.buildCatalog(
            from: [SourceFile(path: "twice.sql", text: "CREATE TABLE t (id int);\nCREATE SCHEMA public;")])
        #expect(
            again.diagnostics.filter { $0.severity == .error }.map(\.message) == ["schema \"public\" already exists"])
    }

    @Test func metaCommandsAndCopyDataKeepPositions() {
        let text =
            "\\connect shop\nCREATE TABLE t (id int);\nCOPY t (id) FROM stdin;\n1\n\\N\n\\.\nCREATE TABLE u (x nope);\n"
        let parsed = SQLParser.parse(SourceFile(path: "dump.sql", text: text))
        #expect(parsed.statements.count == 2)
        var builder = CatalogBuilder(viewColumnResolver: QueryAnalyzerViewResolver())
        builder.apply(parsed)
        // The unknown type is reported at its own line and column, after the blanked lines.
        #expect(
            builder.diagnostics.filter { $0.severity == .error }.map(\.description).first?.hasPrefix(
                "dump.sql:7:19: error: type \"nope\" does not exist") == true)
        #expect(
            parsed.diagnostics.map(\.message) == [
                "psql meta-command \\connect skipped", "COPY ... FROM stdin and its data skipped: a schema has no rows",
            ])
    }
}
