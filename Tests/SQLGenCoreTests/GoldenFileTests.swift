import Foundation
import Testing

@testable import SQLGenCore

/// The Swift generated for the MTenant CRM, compared file by file with the
/// goldens in `Tests/SQLGenCoreTests/Goldens/MTenantCRM`. After an intended
/// change, regenerate them with `make goldens` and review the diff.
@Suite struct GoldenFileTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Goldens/MTenantCRM"

    @Test func crmMatchesTheGoldens() throws {
        let (configuration, catalog, queries, diagnostics) = try RepositoryQueriesTests.load()
        #expect(errors(diagnostics) == [])
        guard let entry = configuration.entries.first else { return }
        let (files, emitDiagnostics) = SwiftEmitter(
            catalog: catalog, queries: queries, options: entry.swift, tenancy: entry.tenancy
        ).emit()
        #expect(emitDiagnostics.isEmpty)
        let expectedNames = try FileManager.default.contentsOfDirectory(atPath: Self.goldens).filter {
            $0.hasSuffix(".swift")
        }
        #expect(files.map(\.name).sorted() == expectedNames.sorted(), "run `make goldens` to regenerate")
        for file in files {
            let golden = (try? String(contentsOfFile: Self.goldens + "/" + file.name, encoding: .utf8)) ?? ""
            if golden != file.contents {
                Issue.record(
                    "\(file.name) differs from its golden (run `make goldens`):\n\(Self.diff(golden, file.contents))")
            }
        }
    }

    @Test func edgeCasesMatchTheGoldens() throws {
        let root = CatalogOracleTests.repositoryRoot
        let configPath = root + "/Tests/GeneratedEdgeCaseTests/sqlgen.yaml"
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let base = (configPath as NSString).deletingLastPathComponent
        let (parsed, _) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: base)
        guard let entry = parsed?.entries.first else {
            Issue.record("the edge-case configuration does not load")
            return
        }
        let schema = try SQLFileLoader.load(paths: entry.schema, relativeTo: base, migrations: true)
        let (catalog, schemaDiagnostics) = Pipeline.buildCatalog(from: schema)
        let queryFiles = try SQLFileLoader.load(paths: entry.queries, relativeTo: base, migrations: false)
        let (queries, diagnostics) = QueryCompiler.compile(queryFiles, catalog: catalog, tenancy: entry.tenancy)
        #expect(errors(schemaDiagnostics + diagnostics) == [])
        let files = SwiftEmitter(catalog: catalog, queries: queries, options: entry.swift, tenancy: nil).emit().files
        let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Goldens/EdgeCases"
        for file in files {
            let golden = (try? String(contentsOfFile: goldens + "/" + file.name, encoding: .utf8)) ?? ""
            if golden != file.contents {
                Issue.record(
                    "\(file.name) differs from its golden (run `make goldens`):\n\(Self.diff(golden, file.contents))")
            }
        }

        // Without the override, the point column has no mapping: a warning names the override to add.
        var options = entry.swift
        options.overrides.removeAll { $0.databaseType == "point" }
        let warnings = SwiftEmitter(catalog: catalog, queries: queries, options: options, tenancy: nil).emit()
            .diagnostics
        #expect(warnings.map(\.severity) == [.warning, .warning])
        #expect(
            warnings.first?.message.hasPrefix("column public.items.spot has type point, which has no Swift mapping")
                == true)
    }

    @Test func outputDoesNotDependOnTheOrderFilesAreRead() throws {
        let (configuration, catalog, queries, _) = try RepositoryQueriesTests.load()
        guard let entry = configuration.entries.first else { return }
        let first = SwiftEmitter(catalog: catalog, queries: queries, options: entry.swift, tenancy: entry.tenancy)
            .emit().files
        // The same queries, their files taken in the opposite order.
        var byFile: [String: [AnalyzedQuery]] = [:]
        for query in queries { byFile[query.file, default: []].append(query) }
        let reordered = byFile.keys.sorted(by: >).flatMap { byFile[$0] ?? [] }
        #expect(reordered.map(\.name) != queries.map(\.name))
        let second = SwiftEmitter(catalog: catalog, queries: reordered, options: entry.swift, tenancy: entry.tenancy)
            .emit().files
        #expect(first == second)
    }

    /// The first differing lines with a little context, as `-` golden and `+` generated.
    static func diff(_ old: String, _ new: String) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < min(oldLines.count, newLines.count), oldLines[index] == newLines[index] { index += 1 }
        var text = "@@ line \(index + 1) @@\n"
        for line in oldLines[max(0, index - 2)..<index] { text += "  \(line)\n" }
        for line in oldLines[index..<min(oldLines.count, index + 6)] { text += "- \(line)\n" }
        for line in newLines[index..<min(newLines.count, index + 6)] { text += "+ \(line)\n" }
        return text
    }
}
