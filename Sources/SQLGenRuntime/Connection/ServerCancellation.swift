import CLibPQ
import SQLGenWire

/// A connection's libpq cancel object, shared with cancellation handlers on other threads, and the
/// operation in progress it may cancel.
///
/// PostgreSQL drops a cancel request that reaches the backend while it is still reading the statement
/// (the task was cancelled just as the statement went out), and a PL/pgSQL handler can catch one. So
/// a cancelled operation's request is sent again, at growing intervals, until the operation ends
/// (``cancelRepeatedly(_:)``). No request for an operation is sent once it ended, so a late one never
/// reaches the connection's next statement, and none after the connection freed the object. One lock
/// guards it all: an operation costs no allocation, only when it is cancelled does a task start.
final class CancelChannel: @unchecked Sendable {
    private struct State {
        var handle: OpaquePointer?
        /// The number of the latest operation, and whether it is still running.
        var operation: UInt64 = 0
        var running = false
    }

    private let state = LockedState(State())

    /// Takes `cancel` (from `PQgetCancel`) as the object requests are sent through, freeing any before it.
    func install(_ cancel: OpaquePointer?) {
        state.withLock { state in
            if let current = state.handle { PQfreeCancel(current) }
            state.handle = cancel
        }
    }

    /// Frees the cancel object; later requests send nothing.
    func free() { install(nil) }

    /// Starts an operation (the connection runs one at a time) and returns its number.
    func beginOperation() -> UInt64 {
        state.withLock { state in
            state.operation += 1
            state.running = true
            return state.operation
        }
    }

    /// Ends the operation in progress: no request for it is sent after this returns.
    func endOperation() {
        state.withLock { $0.running = false }
    }

    /// Asks the server to cancel what the connection is running now.
    func send() {
        state.withLock { state in Self.request(state.handle) }
    }

    /// Sends cancel requests for `operation`, from its task's cancellation handler, until it ends.
    func cancelRepeatedly(_ operation: UInt64) {
        Task.detached { [self] in
            var pause = Duration.milliseconds(50)
            while send(during: operation) {
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    return  // only a cancelled task's sleep throws, and nothing cancels this one
                }
                pause = min(pause * 2, .seconds(1))
            }
        }
    }

    /// Sends one request while `operation` runs; false once it ended or the object was freed.
    private func send(during operation: UInt64) -> Bool {
        state.withLock { state in
            guard state.running, state.operation == operation, state.handle != nil else { return false }
            Self.request(state.handle)
            return true
        }
    }

    private static func request(_ handle: OpaquePointer?) {
        guard let handle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &buffer, Int32(buffer.count))
    }

    deinit { free() }
}
