import CLibPQ
import Foundation
import Synchronization

/// Polls for the server's answer for a short while before a task parks on the ``SocketReactor``.
///
/// Parking costs two thread wake-ups per statement (the reactor's, then a cooperative thread's), which
/// on a point select is more than the server's own work. A task that is the only one in the process
/// waiting on the server therefore reads the socket (non-blocking) for up to ``limit`` first, and
/// parks only when the answer has not come by then. It never polls while any other statement is
/// waiting, so a loaded process parks at once and keeps its threads for other tasks; and after an
/// answer that came late, the connection parks at once for its next few waits.
struct AnswerPolling: Sendable {
    /// The longest a task polls before parking; zero turns polling off.
    let limit: Duration
    /// The statements waiting on the server, counted across every connection that shares it.
    let waiting: WaitingStatements

    /// Waits that park at once after an answer came later than ``limit``.
    static let backoffAfterMiss = 8

    init(limit: Duration, waiting: WaitingStatements = .process) {
        self.limit = limit
        self.waiting = waiting
    }

    /// Reads the connection's input until libpq has a whole result, the limit passes, or another
    /// statement starts waiting. True when the result is ready; false when the caller must park.
    func poll(_ handle: OpaquePointer, state: NativeHandles) -> Bool {
        guard limit > .zero else { return false }
        if state.pollingBackoff > 0 {
            state.pollingBackoff -= 1
            return false
        }
        let deadline = ContinuousClock.now + limit
        while waiting.count <= 1 {
            if PQconsumeInput(handle) == 0 || PQisBusy(handle) == 0 {
                state.polledAnswers &+= 1
                return true
            }
            if ContinuousClock.now >= deadline { break }
        }
        state.pollingBackoff = Self.backoffAfterMiss
        return false
    }
}

/// How many statements are waiting on the server right now.
final class WaitingStatements: Sendable {
    /// Every connection of the process.
    static let process = WaitingStatements()

    private let value = Atomic<Int>(0)

    var count: Int { value.load(ordering: .relaxed) }

    /// Counts a statement that starts waiting; ``end()`` when its answer is in.
    func begin() { value.add(1, ordering: .relaxed) }

    /// Stops counting a statement counted by ``begin()``.
    func end() { value.subtract(1, ordering: .relaxed) }
}
