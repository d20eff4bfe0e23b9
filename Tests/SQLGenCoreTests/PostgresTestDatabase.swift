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
    let connection: OpaquePointer

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

extension PostgresTestConnection {
    /// What the server says a statement takes and returns.
    struct Description {
        var parameterTypes: [String]
        var columns: [(name: String, type: String)]
    }

    /// Prepares a statement and describes it, with types printed by `format_type`.
    func describe(_ sql: String) throws -> Description {
        let name = "sqlgen_oracle"
        PQclear(PQexec(connection, "DEALLOCATE ALL"))
        guard let prepared = PQprepare(connection, name, sql, 0, nil) else {
            throw PostgresTestError(description: String(cString: PQerrorMessage(connection)))
        }
        defer { PQclear(prepared) }
        guard PQresultStatus(prepared) == PGRES_COMMAND_OK else {
            throw PostgresTestError(description: String(cString: PQresultErrorMessage(prepared)))
        }
        guard let described = PQdescribePrepared(connection, name) else {
            throw PostgresTestError(description: String(cString: PQerrorMessage(connection)))
        }
        defer { PQclear(described) }
        let parameterOIDs = (0..<PQnparams(described)).map { PQparamtype(described, $0) }
        let columnOIDs = (0..<PQnfields(described)).map { PQftype(described, $0) }
        let names = (0..<PQnfields(described)).map { String(cString: PQfname(described, $0)) }
        let allOIDs = parameterOIDs + columnOIDs
        var formatted: [UInt32: String] = [:]
        if !allOIDs.isEmpty {
            let list = Set(allOIDs).map(String.init).joined(separator: ",")
            for row in try execute("SELECT oid::text, format_type(oid, NULL) FROM pg_type WHERE oid IN (\(list))") {
                if let oid = row[0].flatMap({ UInt32($0) }) { formatted[oid] = row[1] ?? "" }
            }
        }
        return Description(
            parameterTypes: parameterOIDs.map { formatted[$0] ?? "oid \($0)" },
            columns: zip(names, columnOIDs).map { ($0, formatted[$1] ?? "oid \($1)") })
    }

    /// The server's error position (1-based character) for a statement it rejects, and its message.
    func preparationError(_ sql: String) -> (message: String, position: Int?)? {
        guard let prepared = PQprepare(connection, "", sql, 0, nil) else { return nil }
        defer { PQclear(prepared) }
        guard PQresultStatus(prepared) != PGRES_COMMAND_OK else { return nil }
        let message = PQresultErrorField(prepared, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
        let position = PQresultErrorField(prepared, Int32(UInt8(ascii: "P"))).flatMap { Int(String(cString: $0)) }
        return (message, position)
    }
}
