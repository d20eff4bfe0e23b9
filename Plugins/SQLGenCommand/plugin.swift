import Foundation
import PackagePlugin

/// `swift package generate-sql-code`: writes the generated Swift into each
/// target that holds a `sqlgen.yaml`, for projects that commit generated code.
@main
struct SQLGenCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let selected = extractor.extractOption(named: "target")
        let tool = try context.tool(named: "sqlgen").url
        var generated = 0
        for target in context.package.targets {
            guard let target = target as? SourceModuleTarget, selected.isEmpty || selected.contains(target.name) else {
                continue
            }
            let configuration = target.directoryURL.appending(path: "sqlgen.yaml")
            guard FileManager.default.fileExists(atPath: configuration.path(percentEncoded: false)) else { continue }
            let output = target.directoryURL.appending(path: "Generated")
            let process = Process()
            process.executableURL = tool
            process.arguments = ["generate", "--config", configuration.path(percentEncoded: false), "--output", output.path(percentEncoded: false)]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                Diagnostics.error("sqlgen failed for \(target.name); see the diagnostics above")
                return
            }
            generated += 1
        }
        if generated == 0 {
            Diagnostics.warning(
                "no target holds a sqlgen.yaml\(selected.isEmpty ? "" : " among \(selected.joined(separator: ", "))")")
        }
    }
}
