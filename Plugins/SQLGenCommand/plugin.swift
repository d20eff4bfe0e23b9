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
            // With the build plugin on the target too, every model and query would be defined twice.
            if usesBuildPlugin(target.name, package: context.package) {
                Diagnostics.error(
                    "target \(target.name) uses SQLGenPlugin, which generates its code at every build: remove the plugin from the target in Package.swift before committing generated code with generate-sql-code"
                )
                return
            }
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

/// Whether the package's manifest declares the target with SQLGenPlugin among its plugins. The
/// plugin API does not say which build plugins a target uses, so this reads `Package.swift`: the
/// declaration (`.target(`, `.executableTarget(`, ...) whose `name:` is the target's.
private func usesBuildPlugin(_ name: String, package: Package) -> Bool {
    let manifest = package.directoryURL.appending(path: "Package.swift")
    guard let data = FileManager.default.contents(atPath: manifest.path(percentEncoded: false)) else { return false }
    let text = String(decoding: data, as: UTF8.self)
    let declarations = text.replacingOccurrences(
        of: #"\.\w*[tT]arget\("#, with: "\u{1}", options: .regularExpression
    ).components(separatedBy: "\u{1}")
    return declarations.contains { declaration in
        declaration.contains("name: \"\(name)\"") && declaration.contains("SQLGenPlugin")
    }
}
