import ArgumentParser
import Foundation
import SQLGenCore

/// Options every command that reads SQL shares: the configuration file, and
/// schema and query paths that work without one (and override it).
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = "sqlgen.yaml"

    @Option(name: .long, help: "A schema file or folder (repeatable); overrides the configuration.")
    var schema: [String] = []

    @Option(name: .long, help: "A query file or folder (repeatable); overrides the configuration.")
    var queries: [String] = []

    /// The configuration: read from the file when it exists, with the command-line paths laid over it.
    func load() throws(ExitCode) -> Configuration {
        let fileManager = FileManager.default
        let workingDirectory = fileManager.currentDirectoryPath
        let configPath = SQLFileLoader.absolutePath(config, base: workingDirectory)
        var configuration = Configuration()
        configuration.baseDirectory = workingDirectory
        if fileManager.fileExists(atPath: configPath) {
            guard let data = fileManager.contents(atPath: configPath) else {
                Diagnostics.print([Diagnostic(.error, "cannot read \(config)")])
                throw ExitCode(1)
            }
            let (parsed, diagnostics) = ConfigurationLoader.parse(
                String(decoding: data, as: UTF8.self), path: config,
                baseDirectory: (configPath as NSString).deletingLastPathComponent)
            Diagnostics.print(diagnostics)
            guard let parsed else { throw ExitCode(1) }
            configuration = parsed
        } else if schema.isEmpty {
            Diagnostics.print([Diagnostic(.error, "\(config) not found; pass --config, or --schema and --queries")])
            throw ExitCode(2)
        }
        if !schema.isEmpty {
            var entry = configuration.entries.first ?? SQLEntryConfiguration()
            entry.schema = schema.map { SQLFileLoader.absolutePath($0, base: workingDirectory) }
            if !queries.isEmpty {
                entry.queries = queries.map { SQLFileLoader.absolutePath($0, base: workingDirectory) }
            }
            configuration.entries = [entry]
        }
        return configuration
    }
}

/// Printing diagnostics to standard error.
enum Diagnostics {
    /// Prints the diagnostics on stderr; with `base`, each relative path made absolute against it (the
    /// build plugin's runs, so that SwiftPM and editors open the file wherever the build runs).
    static func print(_ diagnostics: [Diagnostic], absoluteAgainst base: String? = nil) {
        guard !diagnostics.isEmpty else { return }
        let resolved = diagnostics.map { diagnostic in
            guard let base, var location = diagnostic.location, !location.path.hasPrefix("/") else { return diagnostic }
            var copy = diagnostic
            location.path = SQLFileLoader.absolutePath(location.path, base: base)
            copy.location = location
            return copy
        }
        let text = resolved.map(\.rendered).joined(separator: "\n") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
