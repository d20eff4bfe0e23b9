import ArgumentParser
import Foundation
import SQLGenCore

/// `sqlgen generate`: reads the schema and queries and writes the Swift code.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the catalog from the schema migrations and generate code.")

    @OptionGroup var input: InputOptions

    @Flag(name: .long, help: "Print nothing but diagnostics.")
    var quiet = false

    func run() throws {
        let configuration = try input.load()
        var failed = false
        for entry in configuration.entries {
            guard let analysis = try Analysis.run(entry, base: configuration.baseDirectory) else {
                failed = true
                continue
            }
            if !quiet {
                print(CatalogSummary(catalog: analysis.catalog).text + ", \(analysis.queries.count) queries analysed")
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// A one-line account of what the catalog holds.
struct CatalogSummary {
    let catalog: Catalog

    var text: String {
        let schemas = catalog.schemas.values
        let relations = schemas.flatMap { $0.tables.values }
        let tables = relations.filter { $0.kind == .table || $0.kind == .partitionedTable }.count
        let views = relations.count - tables
        let types = schemas.reduce(0) { $0 + $1.types.count }
        let functions = schemas.reduce(0) { $0 + $1.functions.values.reduce(0) { $0 + $1.count } }
        return
            "catalog: \(schemas.count) schemas, \(tables) tables, \(views) views, \(types) types, \(functions) functions"
    }
}
