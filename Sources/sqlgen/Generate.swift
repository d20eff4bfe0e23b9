import ArgumentParser
import Foundation
import SQLGenCore

/// `sqlgen generate`: reads the schema and queries and writes the Swift code.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse the schema and queries and write the Swift code.",
        usage: "sqlgen generate [<options>] [--output <folder>] [--quiet]",
        discussion: """
            Writes Models.swift and one <File>Queries.swift per query file into each entry's \
            output folder; a file is rewritten only when its contents change.
            """)

    @OptionGroup var input: InputOptions

    @Option(
        name: .long,
        help: "Write everything into this one file instead of the output folder (used by the build plugin).")
    var singleFile: String?

    @Option(
        name: .long,
        help: "For the build plugin: a file the models go to; given several times, the models are spread over them.")
    var modelsOutput: [String] = []

    @Option(
        name: .long,
        help: "For the build plugin: QUERY_FILE=SWIFT_FILE, the file one query file's code goes to.")
    var queryOutput: [String] = []

    @Option(name: .long, help: "The folder to write into, overriding the entry's 'output'.")
    var output: String?

    @Flag(name: .long, help: "Print nothing but diagnostics.")
    var quiet = false

    func run() throws {
        let configuration = try input.load()
        if !modelsOutput.isEmpty {
            let outputs: PluginOutputs
            do {
                outputs = try PluginOutputs(models: modelsOutput, queryOutputs: queryOutput)
            } catch {
                Diagnostics.print([error])
                throw ExitCode(2)
            }
            try generateForPlugin(configuration, outputs: outputs)
            return
        }
        var failed = false
        for entry in configuration.entries {
            guard let (analysis, files) = try Self.emit(entry, base: configuration.baseDirectory) else {
                failed = true
                continue
            }
            do {
                if let singleFile {
                    let text = GeneratedFileWriter.singleFile(files)
                    if FileManager.default.contents(atPath: singleFile) != Data(text.utf8) {
                        guard FileManager.default.createFile(atPath: singleFile, contents: Data(text.utf8)) else {
                            throw Diagnostic(.error, "cannot write \(singleFile)")
                        }
                    }
                } else {
                    // --output is relative to the working folder; the entry's output to the configuration's.
                    guard let output = self.output ?? entry.output else {
                        throw Diagnostic(.error, "the 'sql' entry has no 'output' folder to write to")
                    }
                    let folder =
                        self.output != nil
                        ? SQLFileLoader.absolutePath(output, base: FileManager.default.currentDirectoryPath)
                        : SQLFileLoader.absolutePath(output, base: configuration.baseDirectory)
                    let changed = try GeneratedFileWriter.write(files, to: folder)
                    if !quiet {
                        print(
                            CatalogSummary(catalog: analysis.catalog).text
                                + ", \(analysis.queries.count) queries; \(files.count) files in \(output), \(changed.count) changed"
                        )
                    }
                }
            } catch let error as Diagnostic {
                Diagnostics.print([error])
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension Generate {
    /// One entry analysed and its files emitted, the diagnostics printed; nil when it has errors.
    static func emit(
        _ entry: SQLEntryConfiguration, base: String, modelFiles: Int = 1, absolutePaths: Bool = false
    ) throws -> (analysis: (catalog: Catalog, queries: [AnalyzedQuery]), files: [GeneratedFile])? {
        guard let analysis = try Analysis.run(entry, base: base, absolutePaths: absolutePaths) else { return nil }
        let emitter = SwiftEmitter(
            catalog: analysis.catalog, queries: analysis.queries, options: entry.swift, tenancy: entry.tenancy)
        let (files, diagnostics) = emitter.emit(modelFiles: modelFiles)
        Diagnostics.print(diagnostics, absoluteAgainst: absolutePaths ? base : nil)
        return (analysis, files)
    }

    /// The build plugin's run: every entry analysed, then each declared output written when it changed.
    func generateForPlugin(_ configuration: Configuration, outputs: PluginOutputs) throws {
        var files: [GeneratedFile] = []
        var failed = false
        for entry in configuration.entries {
            guard
                let (_, entryFiles) = try Self.emit(
                    entry, base: configuration.baseDirectory, modelFiles: outputs.models.count, absolutePaths: true)
            else {
                failed = true
                continue
            }
            files += entryFiles
        }
        if failed { throw ExitCode(1) }
        do {
            try PluginOutputs.write(outputs.contents(of: files, base: configuration.baseDirectory))
        } catch {
            Diagnostics.print([error])
            throw ExitCode(1)
        }
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
