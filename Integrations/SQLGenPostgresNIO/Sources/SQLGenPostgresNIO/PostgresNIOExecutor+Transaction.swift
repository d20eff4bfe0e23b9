import PostgresNIO
import SQLGenRuntime

extension PostgresNIOExecutor {
    /// Runs `body` in a transaction on one connection: committed when it returns, rolled back when
    /// it throws (a connection whose rollback fails is closed, never lent on mid-transaction).
    /// Inside a transaction already, `body` runs in a savepoint instead. The executor `body` gets
    /// refuses statements once `body` has returned.
    public func withTransaction<T>(
        isolation: IsolationLevel? = nil, _ body: (PostgresNIOExecutor) async throws -> T
    ) async throws -> T {
        if case .transaction(let connection, let lifetime) = source {
            try lifetime.checkOpen("SAVEPOINT")
            return try await savepoint(on: connection, lifetime: lifetime, body)
        }
        let outcome = try await lease("BEGIN") { connection throws(SQLGenError) -> Result<T, any Error> in
            if case .lent(_, let lent) = source { try lent.checkOpen("BEGIN") }
            let begin = isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN"
            try await ConnectionStatements.control(begin, on: connection, context: context)
            let lifetime = NIOTransactionLifetime()
            let result: Result<T, any Error>
            do {
                result = .success(
                    try await body(PostgresNIOExecutor(source: .transaction(connection, lifetime), context: context)))
            } catch {
                result = .failure(error)
            }
            lifetime.end()
            switch result {
            case .success:
                do throws(SQLGenError) {
                    try await ConnectionStatements.commit(on: connection, context: context)
                } catch {
                    await BulkStatements.rollBack(connection, context: context)
                    return .failure(error)
                }
            case .failure:
                await BulkStatements.rollBack(connection, context: context)
            }
            return result
        }
        return try outcome.get()
    }

    private func savepoint<T>(
        on connection: PostgresConnection, lifetime: NIOTransactionLifetime,
        _ body: (PostgresNIOExecutor) async throws -> T
    ) async throws -> T {
        let name = "sqlgen_nio_savepoint"
        try await ConnectionStatements.control("SAVEPOINT \(name)", on: connection, context: context)
        do {
            let value = try await body(self)
            try await ConnectionStatements.control("RELEASE SAVEPOINT \(name)", on: connection, context: context)
            return value
        } catch {
            try await ConnectionStatements.control("ROLLBACK TO SAVEPOINT \(name)", on: connection, context: context)
            throw error
        }
    }
}
