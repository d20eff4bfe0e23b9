import SQLGenRuntime
import Synchronization

/// Whether a transaction's executor may still run statements: a value kept past the end of its
/// `withTransaction` closure is refused, since its connection may by then serve another lease.
final class NIOTransactionLifetime: Sendable {
    private let ended = Mutex(false)
    /// Whether a routed statement holds the connection, and the ones waiting for it.
    private let gate = Mutex<(busy: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    /// Marks the transaction over.
    func end() {
        ended.withLock { $0 = true }
    }

    /// Runs `body` with the transaction's connection to itself: a routed statement sets the path,
    /// runs and checks it in three round trips, and another task's statement in between would run
    /// on this path or move it.
    func exclusively<T>(_ body: () async throws(SQLGenError) -> T) async throws(SQLGenError) -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enters = gate.withLock { gate in
                if gate.busy {
                    gate.waiting.append(continuation)
                    return false
                }
                gate.busy = true
                return true
            }
            if enters { continuation.resume() }
        }
        defer {
            let next = gate.withLock { gate -> CheckedContinuation<Void, Never>? in
                if gate.waiting.isEmpty {
                    gate.busy = false
                    return nil
                }
                return gate.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }

    /// Throws ``SQLGenError/Kind/transactionEnded`` once the transaction has ended.
    func checkOpen(_ name: String) throws(SQLGenError) {
        if ended.withLock({ $0 }) {
            throw SQLGenError(
                .transactionEnded,
                message:
                    "the transaction or withConnection closure this executor belongs to has ended, and its connection may now serve another lease; use the one it hands out",
                statementName: name)
        }
    }
}
