import Foundation
import Testing

@testable import SQLGenCore

/// The MTenant CRM's own queries (`queries/`), analysed with the repository's
/// `sqlgen.yaml`, and each one's types checked against PostgreSQL's describe
/// of the prepared statement on a database built from `schema/`.
@Suite(.serialized) struct RepositoryQueriesTests {
    static let root = CatalogOracleTests.repositoryRoot

    static func load() throws -> (Configuration, Catalog, [AnalyzedQuery], [Diagnostic]) {
        let text = try String(contentsOfFile: root + "/sqlgen.yaml", encoding: .utf8)
        let (parsed, configDiagnostics) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: root)
        guard let configuration = parsed, let entry = configuration.entries.first else {
            throw PostgresTestError(description: "sqlgen.yaml: \(configDiagnostics)")
        }
        let schema = try SQLFileLoader.load(paths: entry.schema, relativeTo: root, migrations: true)
        let (catalog, schemaDiagnostics) = Pipeline.buildCatalog(from: schema)
        let queryFiles = try SQLFileLoader.load(paths: entry.queries, relativeTo: root, migrations: false)
        let (queries, diagnostics) = QueryCompiler.compile(queryFiles, catalog: catalog, tenancy: entry.tenancy)
        return (configuration, catalog, queries, schemaDiagnostics + diagnostics)
    }

    @Test func everyServiceHasQueriesAndAllAnalyse() throws {
        let (_, _, queries, diagnostics) = try Self.load()
        #expect(errors(diagnostics) == [])
        let services = Set(queries.map { $0.file.split(separator: "/").dropFirst().first.map(String.init) ?? "" })
        #expect(services == ["auth", "tenant", "contact", "deal", "communication"])
        #expect(queries.filter { $0.file.hasPrefix("queries/tenant/tenants") }.allSatisfy { $0.scope == .global })
        #expect(queries.filter { $0.file.hasPrefix("queries/contact") }.allSatisfy { $0.scope == .tenant })
    }

    @Test func typesMatchPostgresDescribe() throws {
        let (_, _, queries, _) = try Self.load()
        let server = try PostgresTestConnection.freshDatabase("repository_queries")
        for file in try SQLFileLoader.load(paths: ["schema"], relativeTo: Self.root, migrations: true) {
            try server.execute(file.text)
        }
        try server.execute("SET search_path TO tenant_template, public")
        var mismatches: [String] = []
        for query in queries {
            do {
                let description = try server.describe(query.sql)
                let ours =
                    query.parameters.map(\.type.formatted) + query.columns.map { "\($0.name) \($0.type.formatted)" }
                let theirs = description.parameterTypes + description.columns.map { "\($0.name) \($0.type)" }
                if ours != theirs { mismatches.append("\(query.name): ours \(ours), PostgreSQL \(theirs)") }
            } catch {
                mismatches.append("\(query.name): PostgreSQL rejected it: \(error)")
            }
        }
        #expect(mismatches == [])
    }
}
