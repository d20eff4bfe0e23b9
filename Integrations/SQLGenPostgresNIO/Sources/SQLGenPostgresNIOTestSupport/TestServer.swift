import Foundation
import Logging
import PostgresNIO
import SQLGenRuntime

/// The throwaway server `make test` starts, reached through both runtimes: each test suite gets a
/// database of its own, created once per process from the SQL it gives.
public struct TestServer: Sendable {
    /// The database's name.
    public let database: String
    private let setup: @Sendable (PostgresConfiguration) async throws -> Void
    private let once = OnceTask()

    /// A database named `database`, set up by `setup` (given its libpq configuration) once.
    public init(database: String, setup: @escaping @Sendable (PostgresConfiguration) async throws -> Void) {
        self.database = database
        self.setup = setup
    }

    /// The server's URL, from the environment `make test` sets.
    public static func url() throws -> URLComponents {
        guard let text = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"],
            let url = URLComponents(string: text)
        else {
            throw SQLGenError(
                .connectionFailed, message: "SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`")
        }
        return url
    }

    /// A libpq configuration for the database, created and set up on first use.
    public func libpqConfiguration() async throws -> PostgresConfiguration {
        var url = try Self.url()
        url.path = "/" + database
        let configuration = try PostgresConfiguration(url: url.string ?? "")
        try await once.run { [database, setup] in
            let admin = try await PostgresSession.connect(PostgresConfiguration(url: Self.url().string ?? ""))
            try await admin.simpleQuery("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            try await admin.simpleQuery("CREATE DATABASE \(database)")
            await admin.close()
            try await setup(configuration)
        }
        return configuration
    }

    /// Runs `body` with a running PostgresNIO client of at most `connections` connections on the database.
    public func withClient<T>(connections: Int = 4, _ body: (PostgresClient) async throws -> T) async throws -> T {
        _ = try await libpqConfiguration()
        let url = try Self.url()
        var configuration = PostgresClient.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: nil,
            database: database, tls: .disable)
        configuration.options.maximumConnections = connections
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Runs SQL on a libpq connection of its own.
    public func admin(_ sql: String) async throws {
        let session = try await PostgresSession.connect(libpqConfiguration())
        defer { Task { await session.close() } }
        try await session.simpleQuery(sql)
    }

    /// A file beside the source file that calls this.
    public static func file(_ path: String, besides source: String = #filePath) -> URL {
        URL(fileURLWithPath: source).deletingLastPathComponent().appendingPathComponent(path)
    }
}

/// Runs a setup once, however many tests ask for it at the same time.
actor OnceTask {
    private var task: Task<Void, any Error>?

    func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
        if let task { return try await task.value }
        let task = Task { try await body() }
        self.task = task
        try await task.value
    }
}
