import SQLGenRuntime

/// What is refused before a statement is sent through PostgresNIO.
enum StatementChecks {
    /// Refuses a tenant-scoped statement outside tenant routing, and a statement that would leave
    /// state on the connection (or read what an earlier lease left): PostgresNIO's client lends
    /// connections on without resetting them, so the next lease, maybe another tenant's, would find it.
    static func refuseUnsafe<S: SQLStatement>(_ statement: S, routed: Bool) throws(SQLGenError) {
        let name = statement.statementName
        try refuseUnrouted(S.self, routed: routed, scope: statement.declaredScope, name: name)
        let effects = SQLStatementEffects(sql: statement.sqlText)
        if effects.leavesSessionState {
            throw SQLGenError(
                .sessionStateBehindPooler,
                message:
                    "the statement may leave state on its connection (a setting, temporary object, prepared statement, cursor, LISTEN or advisory lock), and PostgresNIO's connections are lent on without a reset; nothing was sent",
                statementName: name)
        }
        if effects.controlsTransaction {
            throw SQLGenError(
                .transactionControlRefused,
                message:
                    "transaction control runs through withTransaction: a COMMIT or ROLLBACK sent as a statement would end the transaction early, and a BEGIN would leave one open on a lent connection; nothing was sent",
                statementName: name)
        }
        if effects.readsSessionState {
            throw SQLGenError(
                .sessionStateRead,
                message:
                    "the statement reads what an earlier statement of the session left (lastval()), which on a lent connection may be another lease's; use RETURNING; nothing was sent",
                statementName: name)
        }
    }

    /// Refuses a tenant-scoped statement outside tenant routing.
    static func refuseUnrouted<S: SQLStatement>(
        _ type: S.Type, routed: Bool, scope: StatementScope = S.scope, name: String = S.name
    ) throws(SQLGenError) {
        guard scope == .tenant, !routed else { return }
        throw SQLGenError(
            .tenantStatementNotRouted,
            message:
                "a tenant-scoped statement runs only through a PostgresNIOTenantExecutor, which routes it to the current tenant's schema; nothing was sent",
            statementName: name)
    }
}

/// A COPY statement type's scope and SQL (its INSERT), to check and route its rows before the first
/// one is read.
struct CopyStatementSQL<S: SQLCopyStatement>: SQLStatement {
    typealias Row = SQLNoRow
    static var name: String { S.name }
    static var sql: String { S.sql }
    static var scope: StatementScope { S.scope }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}
