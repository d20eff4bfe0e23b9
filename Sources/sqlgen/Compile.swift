import ArgumentParser
import Foundation
import SQLGenCore

/// `sqlgen compile`: analyses every query and prints the analysis; writes nothing.
struct Compile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse the queries and print what goes in and comes out of each; writes no files.",
        usage: "sqlgen compile [<options>] [--format text|json] [--database-url <url>]",
        discussion: """
            Examples:
              sqlgen compile --format json
              sqlgen compile --schema schema/ --queries queries/ --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    @Option(
        name: .long,
        help: "After analysis, prepare every query on this PostgreSQL server and report types it sees differently.")
    var databaseURL: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --database-url: the search path to prepare the queries with, comma-separated (default: the template and shared schemas).",
            valueName: "schemas"))
    var searchPath: String?

    func run() async throws {
        let configuration = try input.load()
        var all: [AnalyzedQuery] = []
        var failed = false
        var lastCatalog = Catalog()
        for entry in configuration.entries {
            guard let analysis = try Analysis.run(entry, base: configuration.baseDirectory) else {
                failed = true
                continue
            }
            all.append(contentsOf: analysis.queries)
            lastCatalog = analysis.catalog
            if let url = databaseURL ?? configuration.databaseURL {
                let searchPath =
                    self.searchPath.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                    ?? entry.tenancy.map { [$0.templateSchema] + $0.sharedSchemas } ?? ["public"]
                let problems = await LiveDatabaseCheck(url: url, searchPath: searchPath).check(analysis.queries)
                Diagnostics.print(problems)
                if problems.containsErrors { failed = true }
            }
        }
        if failed { throw ExitCode(1) }
        let report = CompileReport(queries: all, catalog: lastCatalog)
        switch format {
        case .json:
            FileHandle.standardOutput.write(Data(report.json.utf8))
        case .text:
            for query in all {
                print("\(query.file):\(query.line): \(query.name) :\(query.command.rawValue) [\(query.scope.rawValue)]")
                for parameter in query.parameters {
                    print(
                        "  $\(parameter.number) \(parameter.name) \(parameter.type.formatted)\(parameter.nullable ? " NULL" : "")"
                    )
                }
                for column in query.columns {
                    print("  -> \(column.name) \(column.type.formatted)\(column.nullable ? " NULL" : "")")
                }
                if let dynamic = query.dynamic {
                    let sorts =
                        dynamic.sortKeys.isEmpty ? "" : "; sorted by " + dynamic.sortKeys.joined(separator: ", ")
                    print(
                        "  \(dynamic.variants.count) variants (\(dynamic.conditions.count) optional condition\(dynamic.conditions.count == 1 ? "" : "s")\(sorts))"
                    )
                }
            }
        }
    }
}

/// One `sql` entry analysed by the pipeline, its diagnostics printed.
enum Analysis {
    /// The catalog and analysed queries, or nil when there were errors (printed).
    /// With `absolutePaths`, diagnostics name their files by absolute path (the build plugin's runs).
    static func run(_ entry: SQLEntryConfiguration, base: String, absolutePaths: Bool = false) throws -> (
        catalog: Catalog, queries: [AnalyzedQuery]
    )? {
        let analysis = Pipeline.analyze(entry, base: base)
        Diagnostics.print(analysis.diagnostics, absoluteAgainst: absolutePaths ? base : nil)
        return analysis.result
    }
}
