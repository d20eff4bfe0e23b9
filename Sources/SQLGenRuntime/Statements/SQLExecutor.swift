/// Anything generated queries run through: a connection, a transaction or a pool.
public protocol SQLExecutor: Sendable {
    /// Runs a statement and decodes all its rows.
    func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row]
    /// Runs a statement and decodes its first row (nil when there is none).
    func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row?
    /// Runs a statement and returns how many rows it affected.
    func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int
    /// Runs a statement and returns its command tag and row count.
    func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult
    /// Streams a statement's rows one at a time, without holding them all.
    func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row>
    /// Inserts the statements' rows with one COPY FROM STDIN; returns the rows copied.
    func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int
    /// Inserts the rows an async sequence produces with one COPY FROM STDIN, as they come; returns the rows copied.
    func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement
    /// Runs the statements in one pipelined round trip; returns each one's affected rows.
    func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int]
    /// Runs the statements in one pipelined round trip; returns each one's first row.
    func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?]
    /// Runs the statements in one pipelined round trip; returns each one's rows.
    func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]]
}

extension SQLExecutor {
    /// Runs a statement that returns exactly one row by its form and decodes that row; a statement that
    /// returned none (a trigger or rule suppressed its row) fails with ``SQLGenError/Kind/noRow``.
    public func queryOne<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row {
        guard let row = try await queryFirst(statement) else {
            throw SQLGenError(
                .noRow,
                message:
                    "the statement returned no row, though its form returns exactly one: a trigger or rule suppressed it",
                statementName: statement.statementName)
        }
        return row
    }
}

extension PostgresSession: SQLExecutor {}
