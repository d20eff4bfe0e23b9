// swift-tools-version:6.1
import PackageDescription

/// The smallest package that uses sqlgen's build plugin: its SQL lives next
/// to its Swift, and the models and queries are generated at build time.
let package = Package(
    name: "PluginDemo",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-sqlgen", path: "../..")],
    targets: [
        .executableTarget(
            name: "PluginDemo",
            dependencies: [.product(name: "SQLGenRuntime", package: "swift-sqlgen")],
            exclude: ["sqlgen.yaml", "schema.sql", "queries.sql"],
            plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]
        )
    ],
    swiftLanguageModes: [.v6]
)
