import CLibPQ

/// A connection's libpq cancel object, shared with cancellation handlers on other threads: a cancel
/// request is sent only while the object is alive, never after the connection freed it.
final class CancelChannel: @unchecked Sendable {
    private let handle = LockedState<OpaquePointer?>(nil)

    /// Takes `cancel` (from `PQgetCancel`) as the object requests are sent through, freeing any before it.
    func install(_ cancel: OpaquePointer?) {
        handle.withLock { current in
            if let current { PQfreeCancel(current) }
            current = cancel
        }
    }

    /// Asks the server to cancel what the connection is running; nothing once the object was freed.
    func send() {
        handle.withLock { current in
            guard let current else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(current, &buffer, Int32(buffer.count))
        }
    }

    /// Frees the cancel object; later requests send nothing.
    func free() { install(nil) }

    deinit { free() }
}

/// Cancels one operation on the server until the operation ends.
///
/// PostgreSQL drops a cancel request that reaches the backend while it is still reading the statement
/// (the task was cancelled just as the statement went out), and a PL/pgSQL handler can catch one. So
/// the request is sent again, at growing intervals, until the operation's result is in; none is sent
/// once ``finish()`` returned, so a late request never reaches the connection's next statement.
final class OperationCancellation: Sendable {
    private let channel: CancelChannel
    private let state = LockedState(Phase.running)

    private enum Phase {
        case running, cancelling, finished
    }

    init(channel: CancelChannel) {
        self.channel = channel
    }

    /// Starts sending cancel requests, from the task's cancellation handler.
    func begin() {
        let starts = state.withLock { phase in
            guard phase == .running else { return false }
            phase = .cancelling
            return true
        }
        guard starts else { return }
        Task.detached { [self] in
            var pause = Duration.milliseconds(50)
            while sendUnlessFinished() {
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    return  // only a cancelled task's sleep throws, and nothing cancels this one
                }
                pause = min(pause * 2, .seconds(1))
            }
        }
    }

    /// Ends the operation: no request is sent after this returns.
    func finish() {
        state.withLock { $0 = .finished }
    }

    /// Sends one request while the operation runs; false once it finished.
    private func sendUnlessFinished() -> Bool {
        state.withLock { phase in
            guard phase == .cancelling else { return false }
            channel.send()
            return true
        }
    }
}
