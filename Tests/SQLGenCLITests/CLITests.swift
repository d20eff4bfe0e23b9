import CLibPQ
import Foundation
import Testing

/// Runs the built `sqlgen` executable the way users and tools do, and checks
/// its output streams and exit codes.
@Suite(.serialized) struct CLITests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func sqlgen(_ arguments: [String], in directory: String = repositoryRoot) throws -> Run {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [binary.appendingPathComponent("sqlgen").path]
        candidates.append(binary.deletingLastPathComponent().appendingPathComponent("sqlgen").path)
        candidates.append(repositoryRoot + "/.build/debug/sqlgen")
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CLITestError(description: "sqlgen executable not found next to the tests")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    struct CLITestError: Error, CustomStringConvertible {
        var description: String
    }

    @Test func compileJSONPrintsOnlyTheDocumentOnStdout() throws {
        let run = try Self.sqlgen(["compile", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(document?["version"] as? Int == 1)
        let queries = document?["queries"] as? [[String: Any]] ?? []
        #expect(queries.count > 50)
        #expect(
            queries.first.map { Set($0.keys) }
                == ["name", "command", "file", "line", "sql", "scope", "tables", "params", "columns"])
        #expect(queries.allSatisfy { ($0["file"] as? String)?.hasPrefix("queries/") ?? false })
    }

    /// The overview is one paragraph, wrapped by the terminal's width, not by the source's line breaks.
    @Test func generateHelpWrapsItsOverviewAsOneParagraph() throws {
        let run = try Self.sqlgen(["generate", "--help"])
        #expect(run.status == 0)
        let overview = run.stdout.components(separatedBy: "\n\n").first { $0.contains("Writes Models.swift") } ?? ""
        let lines = overview.split(separator: "\n")
        // Every line but the last of a wrapped paragraph fills most of the width.
        for line in lines.dropLast() { #expect(line.count > 60, "a short line mid-paragraph: \(line)") }
    }

    @Test func schemaAndQueryPathsWorkWithoutAConfigFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CREATE TABLE notes (id int PRIMARY KEY, body text);\n".write(
            to: directory.appendingPathComponent("schema.sql"), atomically: true, encoding: .utf8)
        try "-- name: GetNote :one\nSELECT id, body FROM notes WHERE id = $1;\n".write(
            to: directory.appendingPathComponent("queries.sql"), atomically: true, encoding: .utf8)
        let run = try Self.sqlgen(
            ["compile", "--format", "json", "--schema", "schema.sql", "--queries", "queries.sql"], in: directory.path)
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"scope\": \"unscoped\""))
        #expect(run.stdout.contains("\"file\": \"queries.sql\""))
    }

    @Test func sqlErrorsExitOneWithCompilerStyleDiagnostics() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CREATE TABLE notes (id int PRIMARY KEY, body text);\n".write(
            to: directory.appendingPathComponent("schema.sql"), atomically: true, encoding: .utf8)
        try "-- name: GetNote :one\nSELECT id FROM notes WHERE bdy = $1;\n".write(
            to: directory.appendingPathComponent("queries.sql"), atomically: true, encoding: .utf8)
        let run = try Self.sqlgen(
            ["compile", "--format", "json", "--schema", "schema.sql", "--queries", "queries.sql"], in: directory.path)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "queries.sql:2:28: error: column \"bdy\" does not exist\nSELECT id FROM notes WHERE bdy = $1;\n                           ^\n"
        )
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Self.sqlgen(["compile", "--format", "yaml"]).status == 2)
        #expect(try Self.sqlgen(["frobnicate"]).status == 2)
        #expect(try Self.sqlgen(["compile", "--config", "missing.yaml"]).status == 2)
        #expect(try Self.sqlgen(["--version"]).status == 0)
    }

    @Test func databaseURLReportsTypesTheServerSeesDifferently() throws {
        guard let base = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            Issue.record("SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`")
            return
        }
        let admin = PQconnectdb(base)
        defer { PQfinish(admin) }
        #expect(PQstatus(admin) == CONNECTION_OK)
        PQclear(PQexec(admin, "DROP DATABASE IF EXISTS cli_live_check WITH (FORCE)"))
        PQclear(PQexec(admin, "CREATE DATABASE cli_live_check"))
        let url = base.replacingOccurrences(of: "/postgres", with: "/cli_live_check")
        let database = PQconnectdb(url)
        defer { PQfinish(database) }
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.repositoryRoot + "/schema").sorted()
        where file.hasSuffix(".up.sql") {
            let text = try String(contentsOfFile: Self.repositoryRoot + "/schema/" + file, encoding: .utf8)
            let result = PQexec(database, text)
            #expect(PQresultStatus(result) == PGRES_COMMAND_OK)
            PQclear(result)
        }
        let matching = try Self.sqlgen(["compile", "--database-url", url])
        #expect(matching.status == 0)
        #expect(matching.stderr == "")

        PQclear(PQexec(database, "ALTER TABLE tenant_template.companies ALTER COLUMN industry TYPE text"))
        let drifted = try Self.sqlgen(["compile", "--database-url", url])
        #expect(drifted.status == 1)
        #expect(
            drifted.stderr.contains(
                "queries/contact/companies.sql:6:1: error: query \"GetCompany\": column \"industry\" is character varying to sqlgen but text on the database"
            ))

        // A column the server names differently, at the same place and of the same type, is a warning.
        PQclear(PQexec(database, "ALTER TABLE tenant_template.companies RENAME COLUMN phone TO telephone"))
        let renamed = try Self.sqlgen(["compile", "--database-url", url])
        #expect(
            renamed.stderr.contains("queries/contact/companies.sql:6:1: warning: query \"GetCompany\": column ")
                && renamed.stderr.contains(
                    "is named \"phone\" by sqlgen but \"telephone\" by the database"),
            "\(renamed.stderr)")
    }

    /// A server that cannot be reached, or a URL libpq cannot read, is one error naming libpq's reason,
    /// and exit code 1; the analysis is not printed as if it had been checked.
    @Test func databaseURLThatCannotConnectIsAnError() throws {
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        let refused = try Self.sqlgen(["compile", "--database-url", "postgresql://127.0.0.1:1/postgres"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("error: cannot connect to the database: connection to server at \"127.0.0.1\""))
        #expect(refused.stdout == "")

        let unreadable = try Self.sqlgen(["compile", "--database-url", "postgresql://127.0.0.1:1/postgres?nonsense=1"])
        #expect(unreadable.status == 1)
        #expect(
            unreadable.stderr.contains(
                "error: cannot connect to the database: invalid URI query parameter: \"nonsense\""))
    }
}

extension CLITests {
    static func project(schema: String, queries: String, config: String? = nil) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try schema.write(to: directory.appendingPathComponent("schema.sql"), atomically: true, encoding: .utf8)
        try queries.write(to: directory.appendingPathComponent("queries.sql"), atomically: true, encoding: .utf8)
        try (config ?? "version: 1\nsql:\n  - schema: schema.sql\n    queries: queries.sql\n    output: Generated\n")
            .write(
                to: directory.appendingPathComponent("sqlgen.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func vetReportsRulesUnlessIgnored() throws {
        let schema = "CREATE TABLE notes (id int PRIMARY KEY, body text, author text);\n"
        let flagged = try Self.project(
            schema: schema,
            queries:
                "-- name: ClearNotes :exec\nUPDATE notes SET body = '';\n-- name: NoteByAuthor :one\nSELECT id FROM notes WHERE author = $1;\n"
        )
        defer { try? FileManager.default.removeItem(at: flagged) }
        let run = try Self.sqlgen(["vet"], in: flagged.path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("queries.sql:1:1: warning: [update-without-where]"))
        #expect(run.stderr.contains("queries.sql:3:1: warning: [one-without-unique-key]"))

        let ignored = try Self.project(
            schema: schema,
            queries:
                "-- vet: ignore update-without-where\n-- name: ClearNotes :exec\nUPDATE notes SET body = '';\n-- name: NoteByID :one\nSELECT id FROM notes WHERE id = $1;\n"
        )
        defer { try? FileManager.default.removeItem(at: ignored) }
        let clean = try Self.sqlgen(["vet"], in: ignored.path)
        #expect(clean.status == 0)
        #expect(clean.stderr == "")
        #expect(clean.stdout == "vet: 2 queries checked, no rule broken\n")
    }

    @Test func diffFailsWhenGeneratedCodeIsStale() throws {
        let directory = try Self.project(
            schema: "CREATE TABLE notes (id int PRIMARY KEY, body text);\n",
            queries: "-- name: GetNote :one\nSELECT id, body FROM notes WHERE id = $1;\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try Self.sqlgen(["generate"], in: directory.path).status == 0)
        let models = try String(contentsOf: directory.appendingPathComponent("Generated/Models.swift"), encoding: .utf8)
        #expect(models.hasPrefix("// Generated by sqlgen"))
        let current = try Self.sqlgen(["diff"], in: directory.path)
        #expect(current.status == 0)
        #expect(current.stdout == "diff: the generated code is up to date\n")
        // A second generate with nothing changed rewrites nothing.
        #expect(try Self.sqlgen(["generate"], in: directory.path).stdout.contains(", 0 changed"))

        try "-- name: GetNote :one\nSELECT id, body, id + 1 AS next FROM notes WHERE id = $1;\n".write(
            to: directory.appendingPathComponent("queries.sql"), atomically: true, encoding: .utf8)
        let stale = try Self.sqlgen(["diff"], in: directory.path)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("--- Generated/QueriesQueries.swift"))
        #expect(
            stale.stdout.contains(
                "-    public func getNote(id: Swift.Int32) async throws(SQLGenRuntime.SQLGenError) -> Note?"))
        #expect(stale.stdout.contains("+        public var next: Swift.Int32"))
    }

    @Test func initWritesAStarterOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try Self.sqlgen(["init"], in: directory.path).status == 0)
        let text = try String(contentsOf: directory.appendingPathComponent("sqlgen.yaml"), encoding: .utf8)
        #expect(text.contains("version: 1"))
        #expect(!text.contains("https://"))
        #expect(try Self.sqlgen(["init"], in: directory.path).status == 1)
        #expect(try Self.sqlgen(["init", "--force"], in: directory.path).status == 0)
        // Outside a target's folder nothing else is written.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sqlgen.yaml"])
    }

    /// In `Sources/<Target>/`, init writes the plugin's starter and the one Swift file SwiftPM needs there,
    /// and says what the target needs in Package.swift.
    @Test func initInATargetFolderWritesWhatTheBuildPluginNeeds() throws {
        let package = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-cli-\(UUID().uuidString)")
        let target = package.appendingPathComponent("Sources/Blog")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: package) }
        let run = try Self.sqlgen(["init"], in: target.path)
        #expect(run.status == 0)
        #expect(run.stdout.contains("exclude: [\"sqlgen.yaml\", \"schema\", \"queries\"]"))
        #expect(run.stdout.contains("plugins: [.plugin(name: \"SQLGenPlugin\", package: \"swift-sqlgen\")]"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["Blog.swift", "sqlgen.yaml"])
        let config = try String(contentsOf: target.appendingPathComponent("sqlgen.yaml"), encoding: .utf8)
        #expect(config.contains("  - schema: schema "))
        #expect(!config.contains("output:"))
        // A target that has Swift files of its own gets no stub.
        try FileManager.default.removeItem(at: target.appendingPathComponent("Blog.swift"))
        try "struct Mine {}\n".write(to: target.appendingPathComponent("Mine.swift"), atomically: true, encoding: .utf8)
        #expect(try Self.sqlgen(["init", "--force"], in: target.path).status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["Mine.swift", "sqlgen.yaml"])
    }
}

extension CLITests {
    static let tenantSchema = """
        CREATE SCHEMA tenant_template;
        CREATE TABLE public.tenants (id int PRIMARY KEY, schema_name text NOT NULL);
        CREATE TABLE tenant_template.notes (id int PRIMARY KEY, body text);
        """

    static func tenancyConfig(_ tenancy: String) -> String {
        "version: 1\nsql:\n  - schema: schema.sql\n    queries: queries.sql\n    output: Generated\n    tenancy:\n"
            + tenancy
    }

    /// A misspelled template schema is one error at its line in sqlgen.yaml, not an error per query; so is
    /// a registry table the schema lacks.
    @Test func tenancySettingsTheSchemaLacksAreOneErrorAtTheirLine() throws {
        let queries = "-- name: GetNote :one\nSELECT body FROM notes WHERE id = $1;\n"
        let misspelled = try Self.project(
            schema: Self.tenantSchema, queries: queries + queries.replacingOccurrences(of: "GetNote", with: "Other"),
            config: Self.tenancyConfig("      template_schema: tenant_templat\n      shared_schemas: [public]\n"))
        defer { try? FileManager.default.removeItem(at: misspelled) }
        let run = try Self.sqlgen(["compile"], in: misspelled.path)
        #expect(run.status == 1)
        #expect(
            run.stderr
                == """
                sqlgen.yaml:7:24: error: template_schema "tenant_templat" is not a schema the migrations create (they create "public", "tenant_template")
                      template_schema: tenant_templat
                                       ^

                """)

        let registry = try Self.project(
            schema: Self.tenantSchema, queries: queries,
            config: Self.tenancyConfig("      template_schema: tenant_template\n      registry_table: public.tenant\n"))
        defer { try? FileManager.default.removeItem(at: registry) }
        let registryRun = try Self.sqlgen(["compile"], in: registry.path)
        #expect(registryRun.status == 1)
        #expect(
            registryRun.stderr.hasPrefix(
                "sqlgen.yaml:8:23: error: registry_table \"public.tenant\" is not a table the migrations create"))

        let fine = try Self.project(
            schema: Self.tenantSchema, queries: queries,
            config: Self.tenancyConfig("      template_schema: tenant_template\n      registry_table: public.tenants\n")
        )
        defer { try? FileManager.default.removeItem(at: fine) }
        #expect(try Self.sqlgen(["compile"], in: fine.path).status == 0)
    }

    /// Against a database without the template schema, `--database-url` says which search path it
    /// prepared with; `--search-path` or the URL's own `options=-csearch_path=...` choose another.
    @Test func databaseURLSaysWhichSearchPathItUsed() throws {
        guard let base = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            Issue.record("SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`")
            return
        }
        let admin = PQconnectdb(base)
        defer { PQfinish(admin) }
        PQclear(PQexec(admin, "DROP DATABASE IF EXISTS cli_search_path WITH (FORCE)"))
        PQclear(PQexec(admin, "CREATE DATABASE cli_search_path"))
        let url = base.replacingOccurrences(of: "/postgres", with: "/cli_search_path")
        let database = PQconnectdb(url)
        defer { PQfinish(database) }
        // A provisioned database: the tenants' schemas, no template.
        let setup = PQexec(database, "CREATE SCHEMA acme; CREATE TABLE acme.notes (id int PRIMARY KEY, body text);")
        #expect(PQresultStatus(setup) == PGRES_COMMAND_OK)
        PQclear(setup)
        let project = try Self.project(
            schema: Self.tenantSchema, queries: "-- name: GetNote :one\nSELECT body FROM notes WHERE id = $1;\n",
            config: Self.tenancyConfig("      template_schema: tenant_template\n"))
        defer { try? FileManager.default.removeItem(at: project) }

        let plain = try Self.sqlgen(["compile", "--database-url", url], in: project.path)
        #expect(plain.status == 1)
        #expect(
            plain.stderr.contains(
                "warning: the database has no schema \"tenant_template\": queries are prepared with search_path tenant_template, public; choose one with --search-path"
            ))
        #expect(
            plain.stderr.contains(
                "error: query \"GetNote\" fails on the database (search_path tenant_template, public): relation \"notes\" does not exist"
            ))

        let flagged = try Self.sqlgen(
            ["compile", "--database-url", url, "--search-path", "acme,public"], in: project.path)
        #expect(flagged.status == 0)
        #expect(flagged.stderr == "")

        let separator = url.contains("?") ? "&" : "?"
        let inURL = try Self.sqlgen(
            ["compile", "--database-url", url + separator + "options=-csearch_path%3Dacme"], in: project.path)
        #expect(inURL.status == 0)
        #expect(inURL.stderr == "")
    }
}

extension CLITests {
    /// `--database-url` prepares every variant of a dynamic query, and names the ones that fail.
    @Test func databaseURLChecksEveryVariantOfADynamicQuery() throws {
        guard let base = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            Issue.record("SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`")
            return
        }
        let admin = PQconnectdb(base)
        defer { PQfinish(admin) }
        PQclear(PQexec(admin, "DROP DATABASE IF EXISTS cli_dynamic_check WITH (FORCE)"))
        PQclear(PQexec(admin, "CREATE DATABASE cli_dynamic_check"))
        let url = base.replacingOccurrences(of: "/postgres", with: "/cli_dynamic_check")
        let database = PQconnectdb(url)
        defer { PQfinish(database) }
        // The database has drifted from the migrations: no `owner` column.
        let setup = PQexec(database, "CREATE TABLE notes (id int PRIMARY KEY, body text);")
        #expect(PQresultStatus(setup) == PGRES_COMMAND_OK)
        PQclear(setup)
        let project = try Self.project(
            schema: "CREATE TABLE notes (id int PRIMARY KEY, body text, owner int);\n",
            queries:
                "-- name: FindNotes :many\nSELECT id FROM notes WHERE sqlgen.optional(owner = @owner) ORDER BY sqlgen.sort(id);\n"
        )
        defer { try? FileManager.default.removeItem(at: project) }
        let run = try Self.sqlgen(["compile", "--database-url", url], in: project.path)
        #expect(run.status == 1)
        let failures = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        // The variants with the condition, ascending and descending, each named by what it is.
        #expect(
            failures == [
                #"queries.sql:1:1: error: query "FindNotes" (sorted by id, ascending) fails on the database (search_path public): column "owner" does not exist"#,
                #"queries.sql:1:1: error: query "FindNotes" (sorted by id, descending) fails on the database (search_path public): column "owner" does not exist"#,
            ])
        let report = try Self.sqlgen(["compile"], in: project.path)
        #expect(report.stdout.contains("  4 variants (1 optional condition; sorted by id)"))
    }
}

extension CLITests {
    /// Every command's help wraps within 80 columns, its usage line included.
    @Test func helpFitsEightyColumns() throws {
        for command in ["compile", "generate", "vet", "diff", "init"] {
            let help = try Self.sqlgen([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: sqlgen \(command)"))
            let long = help.stdout.split(separator: "\n").filter { $0.count > 80 }
            #expect(long.isEmpty, "\(command): \(long)")
        }
    }
}

extension CLITests {
    /// One file as schema and queries: its definitions build the catalog, its annotated statements are
    /// queries (an annotated DROP is run by its function, not applied to the catalog), and an
    /// unannotated DML statement is still an error.
    @Test func schemaAndQueriesInOneFile() throws {
        let text = """
            CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL);

            -- name: GetNote :one
            SELECT id, body FROM notes WHERE id = @id;

            -- name: DropNotes :exec
            DROP TABLE notes;

            CREATE TABLE tags (note_id bigint NOT NULL REFERENCES notes (id), tag text NOT NULL);

            -- name: NoteTags :many
            SELECT tag FROM tags WHERE note_id = @note_id;

            """
        let project = try Self.project(
            schema: "", queries: text,
            config: "version: 1\nsql:\n  - schema: queries.sql\n    queries: queries.sql\n    output: Generated\n")
        defer { try? FileManager.default.removeItem(at: project) }
        let run = try Self.sqlgen(["compile", "--format", "json"], in: project.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""name": "GetNote""#))
        #expect(run.stdout.contains(#""name": "NoteTags""#))
        #expect(run.stdout.contains(#""sql": "DROP TABLE notes""#))

        // Definitions beside queries build the catalog when only the queries name the file.
        let queriesOnly = try Self.project(
            schema: "CREATE TABLE unrelated (id int);\n", queries: text)
        defer { try? FileManager.default.removeItem(at: queriesOnly) }
        #expect(try Self.sqlgen(["compile"], in: queriesOnly.path).status == 0)

        let unannotated = try Self.project(
            schema: "", queries: text + "UPDATE notes SET body = '';\n",
            config: "version: 1\nsql:\n  - schema: queries.sql\n    queries: queries.sql\n    output: Generated\n")
        defer { try? FileManager.default.removeItem(at: unannotated) }
        let failed = try Self.sqlgen(["compile"], in: unannotated.path)
        #expect(failed.status == 1)
        #expect(
            failed.stderr.contains(
                #"queries.sql:13:1: error: query has no annotation: add "-- name: QueryName :command" above it"#))
    }
}
