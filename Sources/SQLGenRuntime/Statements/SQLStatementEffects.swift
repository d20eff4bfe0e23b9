/// What a statement's SQL may leave on its session or read from it, for executors that lend
/// connections they cannot reset between leases (a PostgresNIO `PostgresClient`): such an executor
/// refuses a statement that does either, since the next lease, maybe another tenant's, would find
/// it. The words are read as PostgreSQL reads them (strings, quoted names and comments are not
/// words); what a user-defined function or trigger does inside is not seen.
public struct SQLStatementEffects: Sendable, Hashable {
    /// Whether it may change what outlives the statement: settings, temporary objects, prepared
    /// statements, cursors, LISTEN, advisory locks, `DO` and `CALL`.
    public let leavesSessionState: Bool
    /// Whether it reads what an earlier statement of the session left (`lastval()`).
    public let readsSessionState: Bool
    /// Whether it starts, ends or marks a transaction (`BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT`):
    /// an executor that runs transactions itself refuses it, since it would end one early (and
    /// the rest run outside it) or leave one open on a lent connection.
    public let controlsTransaction: Bool

    /// The effects of `sql`.
    public init(sql: String) {
        let effects = SessionEffects.effects(of: sql)
        leavesSessionState = effects.outlives
        readsSessionState = effects.readsAnotherLease
        controlsTransaction = effects.controlsTransaction
    }
}
