// swift-tools-version:6.1
import PackageDescription

/// sqlgen's generated code on PostgresNIO: executors over a `PostgresClient` and a leased
/// `PostgresConnection`. A package of its own, so that the main package never depends on SwiftNIO.
let package = Package(
    name: "SQLGenPostgresNIO",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SQLGenPostgresNIO", targets: ["SQLGenPostgresNIO"])
    ],
    dependencies: [
        .package(name: "swift-sqlgen", path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        .target(
            name: "SQLGenPostgresNIO",
            dependencies: [
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "SQLGenPostgresNIOTestSupport",
            dependencies: [
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "SQLGenPostgresNIOTests",
            dependencies: [
                "SQLGenPostgresNIO", "SQLGenPostgresNIOTestSupport",
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["sqlgen.yaml", "sql"],
            plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]
        ),
        .testTarget(
            name: "SQLGenPostgresNIOTenancyTests",
            dependencies: [
                "SQLGenPostgresNIO", "SQLGenPostgresNIOTestSupport",
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["sqlgen.yaml", "sql"],
            plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
