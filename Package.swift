// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-sqlgen",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SQLGenCore", targets: ["SQLGenCore"]),
        .library(name: "SQLGenRuntime", targets: ["SQLGenRuntime"]),
        .executable(name: "sqlgen", targets: ["sqlgen"]),
        .plugin(name: "SQLGenPlugin", targets: ["SQLGenPlugin"]),
        .plugin(name: "SQLGenCommand", targets: ["SQLGenCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPgQuery",
            providers: [.apt(["libpg-query-dev", "libprotobuf-c-dev"]), .brew(["libpg_query", "protobuf-c"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "SQLGenCore",
            dependencies: [
                "CPgQuery",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "SQLGenWire",
            dependencies: ["CLibPQ"]
        ),
        .target(
            name: "SQLGenRuntime",
            dependencies: [
                "CLibPQ",
                "SQLGenWire",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .executableTarget(
            name: "sqlgen",
            dependencies: [
                "SQLGenCore",
                "SQLGenWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SQLGenCoreTests",
            dependencies: ["SQLGenCore", "CLibPQ"],
            exclude: ["Fixtures", "Goldens"]
        ),
        .plugin(
            name: "SQLGenPlugin",
            capability: .buildTool(),
            dependencies: ["sqlgen"]
        ),
        .plugin(
            name: "SQLGenCommand",
            capability: .command(
                intent: .custom(
                    verb: "generate-sql-code", description: "Write the Swift generated from sqlgen.yaml into the target"
                ),
                permissions: [
                    .writeToPackageDirectory(
                        reason: "sqlgen writes the generated Swift into the target's Generated folder")
                ]
            ),
            dependencies: ["sqlgen"]
        ),
        .testTarget(
            name: "GeneratedCodeTests",
            dependencies: ["SQLGenRuntime"],
            exclude: ["sqlgen.yaml", "queries"],
            plugins: ["SQLGenPlugin"]
        ),
        .testTarget(
            name: "GeneratedEdgeCaseTests",
            dependencies: ["SQLGenRuntime"],
            exclude: ["sqlgen.yaml"],
            plugins: ["SQLGenPlugin"]
        ),
        .testTarget(
            name: "GeneratedHostileNameTests",
            dependencies: ["SQLGenRuntime"],
            exclude: ["sqlgen.yaml"],
            plugins: ["SQLGenPlugin"]
        ),
        .testTarget(
            name: "SQLGenRuntimeTests",
            dependencies: [
                "SQLGenRuntime",
                "SQLGenWire",
                "CLibPQ",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "SQLGenCLITests",
            dependencies: ["SQLGenCore", "CLibPQ"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
