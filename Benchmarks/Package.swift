// swift-tools-version:6.1
import PackageDescription

/// Runtime benchmarks, kept out of the main package so that PostgresNIO, the
/// peer they measure against, never becomes a dependency of sqlgen.
let package = Package(
    name: "SQLGenBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-sqlgen", path: ".."),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(name: "SQLGenPostgresNIO", path: "../Integrations/SQLGenPostgresNIO"),
    ],
    targets: [
        .executableTarget(
            name: "TenancyBenchmarks",
            dependencies: [.product(name: "SQLGenRuntime", package: "swift-sqlgen")],
            exclude: ["sqlgen.yaml", "schema.sql", "accounts.sql"],
            plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]
        ),
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: [
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLGenPostgresNIO", package: "SQLGenPostgresNIO"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
