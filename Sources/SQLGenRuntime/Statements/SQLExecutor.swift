/// Anything generated queries run through: a connection, a transaction or a pool.
public protocol SQLExecutor: Sendable {
    /// Runs a statement and decodes all its rows.
    func query<S: SQLStatement>(_ statement: S) async throws(PostgresError) -> [S.Row]
    /// Runs a statement and decodes its first row (nil when there is none).
    func queryFirst<S: SQLStatement>(_ statement: S) async throws(PostgresError) -> S.Row?
    /// Runs a statement and returns how many rows it affected.
    func execute<S: SQLStatement>(_ statement: S) async throws(PostgresError) -> Int
}

extension PostgresConnection: SQLExecutor {}
