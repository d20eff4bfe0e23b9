import PostgresNIO
import SQLGenRuntime

extension PostgresNIOExecutor: SQLExecutor {
    /// Runs the statement on a lent connection and decodes all its rows.
    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        try StatementChecks.refuseUnsafe(statement, routed: false)
        return try await lease(statement.statementName) { connection throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: statement.sqlText, on: connection, context: context)
        }
    }

    /// Runs the statement on a lent connection and decodes its first row (nil when there is none).
    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        try StatementChecks.refuseUnsafe(statement, routed: false)
        return try await lease(statement.statementName) { connection throws(SQLGenError) in
            try await ConnectionStatements.rows(
                statement, sql: statement.sqlText, on: connection, context: context, limit: 1
            ).first
        }
    }

    /// Runs the statement on a lent connection and returns how many rows it affected.
    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await executeResult(statement).rowsAffected
    }

    /// Runs the statement on a lent connection and returns its command tag and row count.
    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        try StatementChecks.refuseUnsafe(statement, routed: false)
        return try await lease(statement.statementName) { connection throws(SQLGenError) in
            try await ConnectionStatements.command(statement, sql: statement.sqlText, on: connection, context: context)
        }
    }

    /// Streams the rows on one connection, held until the stream ends (the loop finishes, leaves
    /// early or its task is cancelled).
    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        let executor = self
        return SQLRowStream { send throws(SQLGenError) in
            try StatementChecks.refuseUnsafe(statement, routed: false)
            try await executor.lease(statement.statementName) { connection throws(SQLGenError) in
                try await ConnectionStatements.forEachRow(statement, on: connection, context: executor.context, send)
            }
        }
    }

    /// Inserts the statements' rows with one COPY FROM STDIN; returns the rows copied.
    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        try await copy(from: AsyncRows(statements))
    }

    /// Inserts the rows with PostgresNIO's COPY FROM STDIN in text format. A table PostgresNIO
    /// cannot name (schema-qualified, or with a `"` in its name, since it quotes the whole name as
    /// one identifier) gets the rows through the statement's INSERT instead, in one transaction.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        typealias S = Rows.Element
        // The INSERT runs where COPY cannot name the table: it is checked as any statement is.
        try StatementChecks.refuseUnsafe(CopyStatementSQL<S>(), routed: false)
        return try await lease(S.name) { connection throws(SQLGenError) in
            try await BulkStatements.copy(from: rows, on: connection, context: context, inTransaction: inTransaction)
        }
    }

    /// Runs the statements one after another in one transaction; returns each one's affected rows.
    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await batch(statements) { statement, connection throws(SQLGenError) in
            try await ConnectionStatements.command(
                statement, sql: statement.sqlText, on: connection, context: context
            ).rowsAffected
        }
    }

    /// Runs the statements one after another in one transaction; returns each one's first row.
    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        try await batch(statements) { statement, connection throws(SQLGenError) in
            try await ConnectionStatements.rows(
                statement, sql: statement.sqlText, on: connection, context: context, limit: 1
            ).first
        }
    }

    /// Runs the statements one after another in one transaction; returns each one's rows.
    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        try await batch(statements) { statement, connection throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: statement.sqlText, on: connection, context: context)
        }
    }

    /// Runs the statements one after another on one connection, all or none: PostgresNIO sends one
    /// statement at a time (no pipelining), so a batch costs a round trip per statement, in a
    /// transaction of its own unless it runs inside one.
    private func batch<S: SQLStatement, T>(
        _ statements: [S], _ run: (S, PostgresConnection) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> [T] {
        guard !statements.isEmpty else { return [] }
        for statement in statements { try StatementChecks.refuseUnsafe(statement, routed: false) }
        return try await lease(S.name) { connection throws(SQLGenError) in
            try await BulkStatements.allOrNone(on: connection, context: context, inTransaction: inTransaction) {
                () async throws(SQLGenError) -> [T] in
                var results: [T] = []
                results.reserveCapacity(statements.count)
                for statement in statements { results.append(try await run(statement, connection)) }
                return results
            }
        }
    }
}
