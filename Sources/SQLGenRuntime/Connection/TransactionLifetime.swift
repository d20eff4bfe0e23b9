import SQLGenWire

/// Whether a ``PostgresTransaction`` (or a savepoint, and the transaction around it) is still
/// running: ended when its `withTransaction` closure has returned or thrown.
final class TransactionLifetime: Sendable {
    /// The lifetime of the transaction value a statement was issued through, while the session runs
    /// it: the session checks it in the same turn in which the statement takes its place at the
    /// connection, so a statement issued as the transaction ends runs before its COMMIT or ROLLBACK,
    /// or is refused, and never after it, in autocommit or on the next lease.
    @TaskLocal static var current: TransactionLifetime?

    private let ended = LockedState(false)
    private let parent: TransactionLifetime?

    init(parent: TransactionLifetime?) {
        self.parent = parent
    }

    /// Marks the transaction (or savepoint) over.
    func end() {
        ended.withLock { $0 = true }
    }

    /// Throws ``SQLGenError/Kind/transactionEnded`` once it, or a transaction around it, has ended.
    func checkOpen(_ name: String) throws(SQLGenError) {
        if ended.withLock({ $0 }) {
            throw SQLGenError(
                .transactionEnded,
                message:
                    "the transaction this value belongs to has ended, and its connection may now serve another lease; use the one withTransaction hands out",
                statementName: name)
        }
        try parent?.checkOpen(name)
    }
}
