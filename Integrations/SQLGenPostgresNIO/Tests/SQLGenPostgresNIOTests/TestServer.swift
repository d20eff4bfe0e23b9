import Foundation
import Logging
import PostgresNIO
import SQLGenPostgresNIO
import SQLGenRuntime

/// The throwaway server `make test` starts, with a database of its own for these tests, reached
/// through both runtimes.
enum TestServer {
    static let database = "sqlgen_nio_tests"

    /// The server's URL, from the environment `make test` sets.
    static func url() throws -> URLComponents {
        guard let text = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"],
            let url = URLComponents(string: text)
        else {
            throw SQLGenError(
                .connectionFailed, message: "SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`")
        }
        return url
    }

    /// A libpq configuration for the tests' database (created, with the fixture's schema, on first use).
    static func libpqConfiguration() async throws -> PostgresConfiguration {
        var url = try url()
        let server = try PostgresConfiguration(url: url.string ?? "")
        try await prepared.value(server)
        url.path = "/" + database
        return try PostgresConfiguration(url: url.string ?? "")
    }

    /// Runs `body` with a running PostgresNIO client on the tests' database.
    static func withClient<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        _ = try await libpqConfiguration()
        let url = try url()
        let configuration = PostgresClient.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: nil,
            database: database, tls: .disable)
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Creates the tests' database and schema once per process.
    private static let prepared = OnceTask()

    static func createDatabase(_ server: PostgresConfiguration) async throws {
        let admin = try await PostgresSession.connect(server)
        _ = try await admin.execute(PlainStatement("DROP DATABASE IF EXISTS \(database) WITH (FORCE)"))
        _ = try await admin.execute(PlainStatement("CREATE DATABASE \(database)"))
        await admin.close()
        var url = try url()
        url.path = "/" + database
        let session = try await PostgresSession.connect(PostgresConfiguration(url: url.string ?? ""))
        let schema = try String(contentsOf: fixture("sql/schema.sql"), encoding: .utf8)
        try await session.simpleQuery(schema)
        await session.close()
    }

    static func fixture(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(path)
    }
}

/// Runs the database's creation once, however many tests ask for it at the same time.
actor OnceTask {
    private var task: Task<Void, any Error>?

    func value(_ server: PostgresConfiguration) async throws {
        if let task { return try await task.value }
        let task = Task { try await TestServer.createDatabase(server) }
        self.task = task
        try await task.value
    }
}
