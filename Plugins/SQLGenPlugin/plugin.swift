import Foundation
import PackagePlugin

/// Generates Swift from `sqlgen.yaml` at build time: a target holding that file
/// gets its models and queries compiled in, regenerated only when the
/// configuration or one of its SQL files changes.
///
/// The models go to one file and each query file's code to a file of its own, so SwiftPM compiles
/// them in parallel, and after an edit to one query file recompiles that file alone: sqlgen
/// rewrites only the outputs whose bytes changed.
@main
struct SQLGenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let configuration = target.directoryURL.appending(path: "sqlgen.yaml")
        guard FileManager.default.fileExists(atPath: configuration.path(percentEncoded: false)) else { return [] }
        let inputs = SQLInputs(configuration: configuration)
        let folder = context.pluginWorkDirectoryURL
        // The models spread over a few files by name, so that a large schema compiles on every core.
        // They sit in a folder of their own whose name sorts before every query file's output: the
        // compiler batches a module's files in order, so the models (the costliest files) start first
        // instead of ending the build in one batch on one core.
        let models = (1...OutputNames.modelFiles).map {
            folder.appending(path: "Models/SQLGenModels\($0).swift")
        }
        var arguments = ["generate", "--quiet", "--config", configuration.path(percentEncoded: false)]
        for file in models { arguments += ["--models-output", file.path(percentEncoded: false)] }
        var outputs = models
        for (queryFile, name) in OutputNames.names(for: inputs.queries, base: configuration.deletingLastPathComponent()) {
            let output = folder.appending(path: name)
            outputs.append(output)
            arguments += [
                "--query-output", queryFile.path(percentEncoded: false) + "=" + output.path(percentEncoded: false),
            ]
        }
        return [
            .buildCommand(
                displayName: "sqlgen: generating \(target.name) from sqlgen.yaml",
                executable: try context.tool(named: "sqlgen").url,
                arguments: arguments,
                inputFiles: [configuration] + inputs.schema + inputs.queries,
                outputFiles: outputs)
        ]
    }
}

/// The output file names of query files: `SQLGen+` and the file's path below the configuration
/// with `/` as `+` (`queries/contact/contacts.sql` → `SQLGen+queries+contact+contacts.swift`), so
/// a name is stable while its file stays where it is, and unique in the module (Swift needs each
/// source file's name once in a module; a clash gets a number).
enum OutputNames {
    /// How many files the models are spread over.
    static let modelFiles = 8

    static func names(for files: [URL], base: URL) -> [(URL, String)] {
        let baseComponents = base.standardizedFileURL.pathComponents
        var taken: Set<String> = []
        var names: [(URL, String)] = []
        for file in files.map(\.standardizedFileURL).sorted(by: { $0.path(percentEncoded: false) < $1.path(percentEncoded: false) }) {
            var components = file.pathComponents
            var common = 0
            while common < baseComponents.count, common < components.count,
                baseComponents[common] == components[common]
            {
                common += 1
            }
            // Outside the configuration's folder: the path below the folders it shares with it.
            components = Array(components[common...])
            let stem = components.joined(separator: "+").dropLast(4).map { character -> Character in
                character.isLetter || character.isNumber || "+-_.".contains(character) ? character : "_"
            }
            var name = "SQLGen+" + String(stem) + ".swift"
            var number = 2
            while taken.contains(name.lowercased()) {
                name = "SQLGen+" + String(stem) + "_\(number).swift"
                number += 1
            }
            taken.insert(name.lowercased())
            names.append((file, name))
        }
        return names
    }
}

/// The SQL files a configuration names, so the build reruns sqlgen when one changes and knows
/// which query files get an output. Reads only the `schema:` and `queries:` keys (a scalar, a
/// flow list or a block list).
struct SQLInputs {
    /// The `.sql` files under the `schema:` paths.
    var schema: [URL] = []
    /// The `.sql` files under the `queries:` paths.
    var queries: [URL] = []

    init(configuration: URL) {
        guard let text = try? String(contentsOf: configuration, encoding: .utf8) else { return }
        let base = configuration.deletingLastPathComponent()
        var schemaPaths: [String] = []
        var queryPaths: [String] = []
        var collecting: String?
        // A line ends at `\r\n`, `\n` or `\r`, as it does for sqlgen itself.
        for rawLine in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        {
            let line =
                rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
                ?? ""
            var content = line.trimmingCharacters(in: .whitespaces)
            if content.hasPrefix("- ") { content = String(content.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
            if let colon = content.firstIndex(of: ":") {
                let key = content[..<colon].trimmingCharacters(in: .whitespaces)
                let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                collecting = (key == "schema" || key == "queries") && value.isEmpty ? key : nil
                if key == "schema" { schemaPaths.append(contentsOf: Self.values(value)) }
                if key == "queries" { queryPaths.append(contentsOf: Self.values(value)) }
            } else if let key = collecting, line.trimmingCharacters(in: .whitespaces).hasPrefix("- ") {
                if key == "schema" { schemaPaths.append(contentsOf: Self.values(content)) }
                if key == "queries" { queryPaths.append(contentsOf: Self.values(content)) }
            }
        }
        schema = Self.files(schemaPaths, base: base)
        queries = Self.files(queryPaths, base: base)
    }

    /// The `.sql` files (any case of the extension, as sqlgen reads them) at or under the paths.
    private static func files(_ paths: [String], base: URL) -> [URL] {
        var files: [URL] = []
        for path in paths {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appending(path: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path(percentEncoded: false), isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                files.append(url)
                continue
            }
            let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
            while let file = enumerator?.nextObject() as? URL {
                if file.pathExtension.lowercased() == "sql" { files.append(file) }
            }
        }
        return files
    }

    private static func values(_ text: String) -> [String] {
        var value = text
        if value.hasPrefix("["), value.hasSuffix("]") { value = String(value.dropFirst().dropLast()) }
        return value.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.filter { !$0.isEmpty }
    }
}
