/// Transaction isolation levels.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

/// When a transaction's closure is run again from the start.
public struct TransactionRetry: Sendable {
    /// How many attempts in all.
    public var maxAttempts: Int

    /// No retries.
    public static let never = TransactionRetry(maxAttempts: 1)

    /// Retry on serialization failure (40001) or deadlock (40P01), up to `attempts` in all.
    public static func onSerializationFailure(attempts: Int = 3) -> TransactionRetry {
        TransactionRetry(maxAttempts: max(1, attempts))
    }
}

/// A transaction on one connection; nested transactions are savepoints.
public struct PostgresTransaction: SQLExecutor {
    /// The connection the transaction runs on.
    public let connection: PostgresSession
    let depth: Int

    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        try await connection.query(statement)
    }

    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        try await connection.queryFirst(statement)
    }

    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await connection.execute(statement)
    }

    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        try await connection.executeResult(statement)
    }

    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        connection.stream(statement)
    }

    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        try await connection.copy(statements)
    }

    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        try await connection.copy(from: rows)
    }

    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await connection.executeBatch(statements)
    }

    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        try await connection.queryFirstBatch(statements)
    }

    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        try await connection.queryBatch(statements)
    }

    /// Runs `body` inside a savepoint: its work is undone if it throws, and kept otherwise.
    public func withTransaction<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws
        -> T
    {
        let savepoint = "sqlgen_savepoint_\(depth + 1)"
        try await connection.simpleQuery("SAVEPOINT \(savepoint)")
        do {
            let value = try await body(PostgresTransaction(connection: connection, depth: depth + 1))
            try await connection.simpleQuery("RELEASE SAVEPOINT \(savepoint)")
            return value
        } catch {
            try? await connection.simpleQuery("ROLLBACK TO SAVEPOINT \(savepoint)")
            throw error
        }
    }
}

extension PostgresSession {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it
    /// throws or its task is cancelled. With `retry`, a serialization failure
    /// or deadlock runs the whole closure again.
    public nonisolated func withTransaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, retry: TransactionRetry = .never,
        _ body: @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            try await simpleQuery("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
            do {
                let value = try await body(PostgresTransaction(connection: self, depth: 0))
                try await commit()
                return value
            } catch {
                try? await simpleQuery("ROLLBACK")
                if let failure = error as? SQLGenError, failure.isSerializationFailure || failure.isDeadlock,
                    attempt < retry.maxAttempts
                {
                    attempt += 1
                    continue
                }
                throw error
            }
        }
    }
}
