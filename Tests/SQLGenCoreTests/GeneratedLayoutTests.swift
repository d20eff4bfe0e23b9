import Foundation
import Testing

@testable import SQLGenCore

/// The generated Swift is laid out as `swift format` leaves it (with the repository's
/// `.swift-format`): formatting it changes nothing.
@Suite struct GeneratedLayoutTests {
    static let root = CatalogOracleTests.repositoryRoot

    /// Names at PostgreSQL's 63-byte limit, many parameters and columns: every list the emitter writes
    /// overflows a line.
    static let wideSchema = """
        CREATE TYPE an_enumeration_whose_name_is_long_enough_to_push_lines_past_the_limit AS ENUM ('a', 'b');
        CREATE TABLE a_table_whose_name_is_as_long_as_postgresql_allows_identifiers_x (
            id bigint PRIMARY KEY,
            the_first_column_with_a_remarkably_long_and_descriptive_name text NOT NULL,
            the_second_column_with_a_remarkably_long_and_descriptive_name integer,
            the_third_column_with_a_remarkably_long_and_descriptive_name_x jsonb NOT NULL,
            the_fourth_column_with_a_remarkably_long_and_descriptive_name an_enumeration_whose_name_is_long_enough_to_push_lines_past_the_limit,
            the_fifth_column_with_a_remarkably_long_and_descriptive_name_x timestamptz[]
        );
        """

    static let wideQueries = """
        -- name: FindTheRowsThatMatchEveryOneOfTheseRatherSpecificConditionsAtOnce :many
        SELECT * FROM a_table_whose_name_is_as_long_as_postgresql_allows_identifiers_x
        WHERE the_first_column_with_a_remarkably_long_and_descriptive_name = @the_first_column_with_a_remarkably_long_and_descriptive_name
          AND the_second_column_with_a_remarkably_long_and_descriptive_name = @the_second_column_with_a_remarkably_long_and_descriptive_name
          AND id > @id;

        -- name: GetOneRowByItsIdentifierAndReturnOnlyTheColumnsThatMatterHere :one
        SELECT id, the_fourth_column_with_a_remarkably_long_and_descriptive_name, the_first_column_with_a_remarkably_long_and_descriptive_name AS first FROM a_table_whose_name_is_as_long_as_postgresql_allows_identifiers_x WHERE id = $1;

        -- name: InsertManyRowsThroughCopyWithEveryColumnThatTheTableHasToOffer :copyfrom
        INSERT INTO a_table_whose_name_is_as_long_as_postgresql_allows_identifiers_x (id, the_first_column_with_a_remarkably_long_and_descriptive_name, the_second_column_with_a_remarkably_long_and_descriptive_name, the_third_column_with_a_remarkably_long_and_descriptive_name_x)
        VALUES ($1, $2, $3, $4);

        -- name: UpdateTheSecondColumnOfSeveralRowsInOnePipelinedRoundTripPlease :batchexec
        UPDATE a_table_whose_name_is_as_long_as_postgresql_allows_identifiers_x SET the_second_column_with_a_remarkably_long_and_descriptive_name = $1 WHERE id = $2;

        -- name: DeleteRowsWhoseFirstColumnMatchesAndReportHowManyWereRemovedNow :execrows
        DELETE FROM a_table_whose_name_is_as_long_as_postgresql_allows_identifiers_x WHERE the_first_column_with_a_remarkably_long_and_descriptive_name = $1 AND the_second_column_with_a_remarkably_long_and_descriptive_name = $2;
        """

    @Test("the goldens and code with very long names are unchanged by swift format")
    func formattingChangesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-layout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var expected: [String: String] = [:]
        for name in ["MTenantCRM", "EdgeCases"] {
            let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "Goldens/\(name)")
            for file in try FileManager.default.contentsOfDirectory(atPath: goldens.path) where file.hasSuffix(".swift")
            {
                expected["\(name)-\(file)"] = try String(
                    contentsOf: goldens.appendingPathComponent(file), encoding: .utf8)
            }
        }
        let (catalog, schemaDiagnostics) = buildCatalog(Self.wideSchema)
        #expect(errors(schemaDiagnostics) == [])
        let (queries, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "wide.sql", text: Self.wideQueries)], catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == [])
        #expect(queries.count == 5)
        var options = SwiftOptions()
        options.parameterStructThreshold = 10
        for file in SwiftEmitter(catalog: catalog, queries: queries, options: options, tenancy: nil).emit().files {
            expected["Wide-\(file.name)"] = file.contents
        }
        #expect(expected["Wide-WideQueries.swift"]?.contains("\n") == true)

        // Hostile names: keywords, the standard library's type names, collisions, odd enum labels.
        let hostile = Self.root + "/Tests/SQLGenCoreTests/Fixtures/emit/hostile_names"
        let hostileSchema = try SQLFileLoader.load(paths: ["schema.sql"], relativeTo: hostile, migrations: true)
        let (hostileCatalog, _) = Pipeline.buildCatalog(from: hostileSchema)
        let hostileQueries = try SQLFileLoader.load(paths: ["queries.sql"], relativeTo: hostile, migrations: false)
        let (analyzed, hostileDiagnostics) = QueryCompiler.compile(
            hostileQueries, catalog: hostileCatalog, tenancy: nil)
        #expect(errors(hostileDiagnostics) == [])
        for file in SwiftEmitter(catalog: hostileCatalog, queries: analyzed, options: SwiftOptions(), tenancy: nil)
            .emit().files
        {
            expected["Hostile-\(file.name)"] = file.contents
        }

        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, contents) in expected {
            try contents.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "swift", "format", "--in-place", "--recursive", "--configuration", Self.root + "/.swift-format",
            folder.path,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for (name, contents) in expected.sorted(by: { $0.key < $1.key }) {
            let formatted = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            if formatted != contents {
                Issue.record("swift format changes \(name):\n\(GoldenFileTests.diff(contents, formatted))")
            }
        }
    }
}
