import Foundation
import SQLGenRuntime

/// A statement with instance SQL and one typed result column, for codec tests.
struct SingleValue<Value: SQLDecodable>: SQLStatement {
    typealias Row = Value
    static var name: String { "SingleValue" }
    static var sql: String { "" }
    static var scope: StatementScope { .unscoped }

    var sqlText: String
    var parameters: [any SQLEncodable]

    init(_ sql: String, _ parameters: any SQLEncodable...) {
        self.sqlText = sql
        self.parameters = parameters
    }

    func bind(to bindings: inout SQLBindings) {
        for parameter in parameters { bindings.append(parameter) }
    }

    static func decode(_ row: SQLRow) throws(SQLGenError) -> Value {
        try row.decode(0, as: Value.self, name: "value")
    }
}

enum TestDatabase {
    /// The throwaway server `make test` starts.
    static func configuration() throws -> PostgresConfiguration {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            throw SQLGenError(
                .connectionFailed, message: "SQLGEN_TEST_DATABASE_URL is not set: run the tests with `make test`")
        }
        return try PostgresConfiguration(url: url)
    }

    static func connect() async throws -> PostgresSession {
        try await PostgresSession.connect(configuration())
    }
}
