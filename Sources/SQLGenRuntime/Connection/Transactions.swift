/// Transaction isolation levels.
public enum IsolationLevel: String, Sendable {
    /// `READ COMMITTED`, PostgreSQL's default.
    case readCommitted = "READ COMMITTED"
    /// `REPEATABLE READ`.
    case repeatableRead = "REPEATABLE READ"
    /// `SERIALIZABLE`.
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

/// A transaction on one connection; nested transactions are savepoints. A value kept past the end
/// of its `withTransaction` closure refuses every statement with ``SQLGenError/Kind/transactionEnded``:
/// by then its connection may belong to another lease, inside another transaction.
public struct PostgresTransaction: SQLExecutor {
    /// The connection the transaction runs on. Not public: kept past the closure, it would run
    /// statements on whatever lease holds the connection then.
    let connection: PostgresSession
    let depth: Int
    let lifetime: TransactionLifetime

    init(connection: PostgresSession, depth: Int, lifetime: TransactionLifetime) {
        self.connection = connection
        self.depth = depth
        self.lifetime = lifetime
    }

    /// Runs a statement on the transaction's connection and decodes all its rows.
    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        try await within(statement.statementName) { () async throws(SQLGenError) in
            try await connection.query(statement)
        }
    }

    /// Runs a statement on the transaction's connection and decodes its first row (nil when there is none).
    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        try await within(statement.statementName) { () async throws(SQLGenError) in
            try await connection.queryFirst(statement)
        }
    }

    /// Runs a statement on the transaction's connection and returns how many rows it affected.
    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await within(statement.statementName) { () async throws(SQLGenError) in
            try await connection.execute(statement)
        }
    }

    /// Runs a statement on the transaction's connection and returns its command tag and row count.
    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        try await within(statement.statementName) { () async throws(SQLGenError) in
            try await connection.executeResult(statement)
        }
    }

    /// Streams on the transaction's connection; a stream first read after the transaction ended
    /// fails with ``SQLGenError/Kind/transactionEnded`` instead of running.
    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        let lifetime = self.lifetime
        let connection = self.connection
        return SQLRowStream { sink throws(SQLGenError) in
            try await Self.within(lifetime, statement.statementName) { () async throws(SQLGenError) in
                try await connection.forEachRow(statement, sink.send, whileOthersWait: sink.stopHoldingBack)
            }
        }
    }

    /// Inserts the statements' rows with one COPY FROM STDIN on the transaction's connection.
    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        try await within(S.name) { () async throws(SQLGenError) in try await connection.copy(statements) }
    }

    /// Inserts the rows an async sequence produces with one COPY FROM STDIN on the transaction's connection.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        try await within(Rows.Element.name) { () async throws(SQLGenError) in try await connection.copy(from: rows) }
    }

    /// Runs the statements in one pipelined round trip on the transaction's connection; returns each
    /// one's affected rows.
    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await within(S.name) { () async throws(SQLGenError) in try await connection.executeBatch(statements) }
    }

    /// Runs the statements in one pipelined round trip on the transaction's connection; returns each
    /// one's first row.
    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        try await within(S.name) { () async throws(SQLGenError) in try await connection.queryFirstBatch(statements) }
    }

    /// Runs the statements in one pipelined round trip on the transaction's connection; returns each
    /// one's rows.
    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        try await within(S.name) { () async throws(SQLGenError) in try await connection.queryBatch(statements) }
    }

    /// Runs plain SQL (no parameters, any number of statements; DDL, for instance) in the transaction.
    /// Transaction control is refused (``SQLGenError/Kind/transactionControlRefused``): nest
    /// `withTransaction` for a savepoint.
    public func simpleQuery(_ sql: String) async throws(SQLGenError) {
        try await within("sql") { () async throws(SQLGenError) in try await connection.simpleQuery(sql) }
    }

    /// Runs `body` (one call on the connection) as a statement of this transaction: refused once the
    /// transaction has ended, checked again by the session as the statement takes its place there.
    private func within<T>(
        _ name: String, _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await Self.within(lifetime, name, body)
    }

    private static func within<T>(
        _ lifetime: TransactionLifetime, _ name: String, _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try lifetime.checkOpen(name)
        let outcome: Result<T, SQLGenError> = await TransactionLifetime.$current.withValue(lifetime) {
            do throws(SQLGenError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Runs `body` inside a savepoint: its work is undone if it throws, and kept otherwise.
    public func withTransaction<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws
        -> T
    {
        try lifetime.checkOpen("SAVEPOINT")
        let savepoint = "sqlgen_savepoint_\(depth + 1)"
        try await connection.controlTransaction("SAVEPOINT \(savepoint)")
        let inner = TransactionLifetime(parent: lifetime)
        defer { inner.end() }
        do {
            let value = try await body(PostgresTransaction(connection: connection, depth: depth + 1, lifetime: inner))
            inner.end()
            try await connection.controlTransaction("RELEASE SAVEPOINT \(savepoint)")
            return value
        } catch {
            inner.end()
            // The body's error is what the caller needs; a failed ROLLBACK TO leaves the transaction
            // failed, so its COMMIT reports the rollback.
            try? await connection.controlTransaction("ROLLBACK TO SAVEPOINT \(savepoint)")
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
            try await beginTransaction(isolation)
            let lifetime = TransactionLifetime(parent: nil)
            defer { lifetime.end() }
            do {
                let value = try await body(PostgresTransaction(connection: self, depth: 0, lifetime: lifetime))
                lifetime.end()
                try await commit()
                return value
            } catch {
                lifetime.end()
                await rollbackTransaction()
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
