// swift-tools-version:6.1
import PackageDescription

/// The MTenant CRM: a multi-tenant REST API on code sqlgen generates at build time from the
/// repository's `schema/` and `queries/`, served by Hummingbird, one PostgreSQL schema per tenant.
let package = Package(
    name: "MTenantCRM",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "mtenant-crm", targets: ["MTenantCRM"])],
    dependencies: [
        .package(name: "swift-sqlgen", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // The generated models and queries (the build plugin reads sqlgen.yaml).
        .target(
            name: "CRMDatabase",
            dependencies: [.product(name: "SQLGenRuntime", package: "swift-sqlgen")],
            exclude: ["sqlgen.yaml"],
            plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]
        ),
        // The HTTP API: routes per service, tenant resolution, error mapping, seeding.
        .target(
            name: "CRMServer",
            dependencies: [
                "CRMDatabase",
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // `mtenant-crm serve` and `mtenant-crm seed`.
        .executableTarget(
            name: "MTenantCRM",
            dependencies: [
                "CRMServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CRMServerTests",
            dependencies: [
                "CRMServer", "CRMDatabase",
                .product(name: "SQLGenRuntime", package: "swift-sqlgen"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
