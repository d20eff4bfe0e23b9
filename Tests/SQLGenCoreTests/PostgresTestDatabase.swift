import CLibPQ
import Foundation

/// A failure talking to the test server, with the server's message.
struct PostgresTestError: Error, CustomStringConvertible {
    var description: String
}

/// A minimal libpq connection for tests that compare sqlgen with the real
/// server. The runtime library has its own; this one only runs SQL text and
/// reads rows as strings.
final class PostgresTestConnection {
    private let connection: OpaquePointer

    /// The URL of the throwaway server `make test` starts.
    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"], !url.isEmpty else {
            throw PostgresTestError(
                description:
                    "SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL")
        }
        return url
    }

    /// Connects to a database of the test server.
    init(database: String = "postgres") throws {
        let base = try Self.serverURL()
        let url = base.replacingOccurrences(of: "/postgres", with: "/\(database)")
        guard let connection = PQconnectdb(url) else { throw PostgresTestError(description: "PQconnectdb failed") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresTestError(description: "cannot connect to \(url): \(message)")
        }
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Runs SQL text (any number of statements) and returns the rows of the last one.
    @discardableResult
    func execute(_ sql: String) throws -> [[String?]] {
        guard let result = PQexec(connection, sql) else {
            throw PostgresTestError(description: String(cString: PQerrorMessage(connection)))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw PostgresTestError(description: String(cString: PQresultErrorMessage(result)))
        }
        var rows: [[String?]] = []
        for row in 0..<PQntuples(result) {
            rows.append(
                (0..<PQnfields(result)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        return rows
    }

    /// Creates an empty database (dropping one of the same name) and connects to it.
    static func freshDatabase(_ name: String) throws -> PostgresTestConnection {
        let admin = try PostgresTestConnection()
        try admin.execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        try admin.execute("CREATE DATABASE \"\(name)\"")
        return try PostgresTestConnection(database: name)
    }
}
