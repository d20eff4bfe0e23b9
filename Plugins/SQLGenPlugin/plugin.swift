import Foundation
import PackagePlugin

/// Generates Swift from `sqlgen.yaml` at build time: a target holding that file
/// gets its models and queries compiled in, regenerated only when the
/// configuration or one of its SQL files changes.
@main
struct SQLGenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let configuration = target.directoryURL.appending(path: "sqlgen.yaml")
        guard FileManager.default.fileExists(atPath: configuration.path()) else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(target.name).sqlgen.swift")
        let inputs = [configuration] + SQLInputs.files(configuration: configuration)
        return [
            .buildCommand(
                displayName: "sqlgen: generating \(target.name) from sqlgen.yaml",
                executable: try context.tool(named: "sqlgen").url,
                arguments: ["generate", "--quiet", "--config", configuration.path(), "--single-file", output.path()],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}

/// The SQL files a configuration names, so the build reruns sqlgen when one changes.
/// Reads only the `schema:` and `queries:` keys (a scalar, a flow list or a block list).
enum SQLInputs {
    static func files(configuration: URL) -> [URL] {
        guard let text = try? String(contentsOf: configuration, encoding: .utf8) else { return [] }
        let base = configuration.deletingLastPathComponent()
        var paths: [String] = []
        var collecting = false
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
                collecting = (key == "schema" || key == "queries") && value.isEmpty
                if key == "schema" || key == "queries" { paths.append(contentsOf: values(value)) }
            } else if collecting, line.trimmingCharacters(in: .whitespaces).hasPrefix("- ") {
                paths.append(contentsOf: values(content))
            }
        }
        var files: [URL] = []
        for path in paths {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appending(path: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path(), isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                files.append(url)
                continue
            }
            let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
            while let file = enumerator?.nextObject() as? URL {
                if file.pathExtension == "sql" { files.append(file) }
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
