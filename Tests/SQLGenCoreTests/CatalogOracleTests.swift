import Foundation
import Testing

@testable import SQLGenCore

/// Applies the same migrations to PostgreSQL and to sqlgen's catalog, and
/// checks that both see the same relations, columns, types (as `format_type`
/// prints them) and NOT NULL flags, the same enum labels and the same domains.
/// Where they differ, PostgreSQL is right.
@Suite(.serialized) struct CatalogOracleTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtureRoot = repositoryRoot + "/Tests/SQLGenCoreTests/Fixtures/schemas"

    static var fixtureNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtureRoot)) ?? []).sorted()
    }

    @Test func repositorySchemaMatchesPostgres() throws {
        try compare(schemaPath: Self.repositoryRoot + "/schema", database: "oracle_mtenant_crm")
    }

    @Test(arguments: fixtureNames)
    func fixtureSchemaMatchesPostgres(fixture: String) throws {
        try compare(schemaPath: Self.fixtureRoot + "/" + fixture, database: "oracle_" + fixture)
    }

    @Test func fixturesArePresent() {
        #expect(Self.fixtureNames.count >= 4)
    }

    private func compare(schemaPath: String, database: String) throws {
        let files = try SQLFileLoader.load(paths: [schemaPath], relativeTo: Self.repositoryRoot, migrations: true)
        #expect(!files.isEmpty)
        let (catalog, diagnostics) = Pipeline.buildCatalog(from: files)
        #expect(errors(diagnostics) == [])

        let server = try PostgresTestConnection.freshDatabase(database)
        for file in files {
            do {
                try server.execute(file.text)
            } catch {
                Issue.record("PostgreSQL rejected \(file.path): \(error)")
                return
            }
        }
        let schemas = try server.execute(
            """
            SELECT string_agg(quote_ident(nspname), ', ' ORDER BY nspname) FROM pg_namespace
            WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
            """)
        try server.execute("SET search_path TO \(schemas.first?.first.flatMap { $0 } ?? "public")")

        let unknownViews = Set(catalog.allTables.filter { !$0.columnsKnown }.map { "\($0.schema).\($0.name)" })
        let serverColumns = try server.execute(
            """
            SELECT n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, NULL), a.attnotnull::text
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND a.attnum > 0 AND NOT a.attisdropped
              AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
              -- Sequences a serial or identity column owns are not tracked; CREATE SEQUENCE ones are.
              AND (c.relkind <> 'S' OR NOT EXISTS (
                  SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype IN ('a', 'i')))
            ORDER BY 1, 2, a.attnum
            """
        ).map { row in row.map { $0 ?? "" }.joined(separator: " | ") }
            .filter { row in
                let parts = row.components(separatedBy: " | ")
                return !unknownViews.contains(parts[0] + "." + parts[1])
            }
        let ourColumns = catalog.allTables.filter(\.columnsKnown).sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
            .flatMap { table in
                table.columns.map { column in
                    let isTable = table.kind == .table || table.kind == .partitionedTable || table.kind == .sequence
                    return [
                        table.schema, table.name, Self.relkind(table.kind), column.name, column.type.formatted,
                        String(isTable && column.isNotNull),
                    ].joined(separator: " | ")
                }
            }
        expectSameLines(ours: ourColumns, postgres: serverColumns, what: "columns")

        let serverEnums = try server.execute(
            """
            SELECT n.nspname || '.' || t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
            FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
            GROUP BY n.nspname, t.typname ORDER BY 1
            """
        ).compactMap { $0.first ?? nil }
        let serverDomains = try server.execute(
            """
            SELECT n.nspname || '.' || t.typname || ': ' || format_type(t.typbasetype, NULL) || ' ' || t.typnotnull::text
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd'
              AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1
            """
        ).compactMap { $0.first ?? nil }
        var ourEnums: [String] = []
        var ourDomains: [String] = []
        for schema in catalog.schemas.values {
            for type in schema.types.values {
                switch type.kind {
                case .enumeration(let labels):
                    ourEnums.append("\(type.schema).\(type.name): " + labels.joined(separator: ", "))
                case .domain(let base, let notNull):
                    ourDomains.append("\(type.schema).\(type.name): \(base.formatted) \(notNull)")
                case .composite: break
                }
            }
        }
        expectSameLines(ours: ourEnums.sorted(), postgres: serverEnums, what: "enums")
        expectSameLines(ours: ourDomains.sorted(), postgres: serverDomains, what: "domains")
    }

    private static func relkind(_ kind: RelationKind) -> String {
        switch kind {
        case .table: "r"
        case .partitionedTable: "p"
        case .view: "v"
        case .materializedView: "m"
        case .sequence: "S"
        }
    }

    /// Compares two line lists and, when they differ, records the lines each side has alone.
    private func expectSameLines(ours: [String], postgres: [String], what: String) {
        guard ours.sorted() != postgres.sorted() else { return }
        let onlyOurs = ours.filter { !postgres.contains($0) }
        let onlyPostgres = postgres.filter { !ours.contains($0) }
        Issue.record(
            """
            \(what) differ from PostgreSQL's
            only in sqlgen's catalog:
            \(onlyOurs.map { "  + " + $0 }.joined(separator: "\n"))
            only in PostgreSQL:
            \(onlyPostgres.map { "  - " + $0 }.joined(separator: "\n"))
            """)
    }
}
