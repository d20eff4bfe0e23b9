import SQLGenWire

/// What the ``TenantTransaction`` values of one transaction share: one operation at a time, and
/// whether the transaction is over.
///
/// A tenant transaction's batch, COPY or stream is several steps on its connection (set and check the
/// path, run, check again). Child tasks sharing the transaction, each with its own tenant, must not run
/// between those steps, or one tenant's rows would come back under another's path; so every operation
/// waits its turn. And a transaction value kept after its `withTransaction` returned would run on a
/// connection now lent to someone else: every operation after the end is refused.
final class TenantTransactionScope: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Set while a stream runs: called when another operation starts waiting for its turn.
        var contention: (@Sendable () -> Void)?
    }

    private let state = LockedState(State())
    /// Whether the transaction (or savepoint) is over, shared with plain transactions' check.
    private let lifetime = TransactionLifetime(parent: nil)
    /// The enclosing transaction's scope, for a savepoint: operations take turns with the whole transaction.
    private let parent: TenantTransactionScope?

    init(parent: TenantTransactionScope? = nil) {
        self.parent = parent
    }

    /// Marks the transaction (or savepoint) over.
    func end() {
        lifetime.end()
    }

    /// Runs `operation` when no other operation of the transaction runs; refuses it after the end.
    /// `release` is called when another operation starts waiting while this one runs (a stream then
    /// stops holding the server back, so the two cannot wait for each other).
    func serialized<T>(
        _ name: String, whileOthersWait release: (@Sendable () -> Void)? = nil,
        _ operation: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        if let parent {
            return try await parent.serialized(name, whileOthersWait: release) { () throws(SQLGenError) -> T in
                try checkOpen(name)
                return try await operation()
            }
        }
        try checkOpen(name)
        await enter()
        state.withLock { $0.contention = release }
        defer {
            state.withLock { $0.contention = nil }
            leave()
        }
        try checkOpen(name)
        return try await operation()
    }

    private func checkOpen(_ name: String) throws(SQLGenError) {
        try lifetime.checkOpen(name)
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (runNow, contention) = state.withLock { state -> (Bool, (@Sendable () -> Void)?) in
                guard state.busy else {
                    state.busy = true
                    return (true, nil)
                }
                state.waiters.append(continuation)
                return (false, state.contention)
            }
            if runNow { continuation.resume() }
            contention?()
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
