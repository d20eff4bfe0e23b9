import SQLGenRuntime
import Synchronization

/// Whether a transaction's executor may still run statements: a value kept past the end of its
/// `withTransaction` closure is refused, since its connection may by then serve another lease.
final class NIOTransactionLifetime: Sendable {
    private let ended = Mutex(false)

    /// Marks the transaction over.
    func end() {
        ended.withLock { $0 = true }
    }

    /// Throws ``SQLGenError/Kind/transactionEnded`` once the transaction has ended.
    func checkOpen(_ name: String) throws(SQLGenError) {
        if ended.withLock({ $0 }) {
            throw SQLGenError(
                .transactionEnded,
                message:
                    "the transaction this executor belongs to has ended, and its connection may now serve another lease; use the one withTransaction hands out",
                statementName: name)
        }
    }
}
