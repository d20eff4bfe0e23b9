/// Whether a ``PostgresTransaction`` (or a savepoint, and the transaction around it) is still
/// running: ended when its `withTransaction` closure has returned or thrown.
final class TransactionLifetime: Sendable {
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
