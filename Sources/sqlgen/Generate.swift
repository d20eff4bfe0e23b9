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
            let files: [SourceFile]
            do {
                files = try SQLFileLoader.load(
                    paths: entry.schema, relativeTo: configuration.baseDirectory, migrations: true)
            } catch {
                Diagnostics.print([error])
                throw ExitCode(1)
            }
            let (catalog, diagnostics) = Pipeline.buildCatalog(from: files)
            Diagnostics.print(diagnostics)
            if diagnostics.containsErrors {
                failed = true
                continue
            }
            if !quiet { print(CatalogSummary(catalog: catalog, fileCount: files.count).text) }
        }
        if failed { throw ExitCode(1) }
    }
}

/// A one-line account of what the catalog holds.
struct CatalogSummary {
    let catalog: Catalog
    let fileCount: Int

    var text: String {
        let schemas = catalog.schemas.values
        let relations = schemas.flatMap { $0.tables.values }
        let tables = relations.filter { $0.kind == .table || $0.kind == .partitionedTable }.count
        let views = relations.count - tables
        let types = schemas.reduce(0) { $0 + $1.types.count }
        let functions = schemas.reduce(0) { $0 + $1.functions.values.reduce(0) { $0 + $1.count } }
        return
            "catalog: \(fileCount) files, \(schemas.count) schemas, \(tables) tables, \(views) views, \(types) types, \(functions) functions"
    }
}
