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
package struct AnswerPolling: Sendable {
    /// The longest a task polls before parking; zero turns polling off.
    package let limit: Duration
    /// The statements waiting on the server, counted across every connection that shares it.
    package let waiting: WaitingStatements

    /// Waits that park at once after an answer came later than ``limit``.
    package static let backoffAfterMiss = 8

    package init(limit: Duration, waiting: WaitingStatements = .process) {
        self.limit = limit
        self.waiting = waiting
    }

    /// Reads the connection's input until libpq has a whole result, the limit passes, or another
    /// statement starts waiting. True when the result is ready; false when the caller must park.
    package func poll(_ handle: OpaquePointer, state: PollingState) -> Bool {
        guard limit > .zero else { return false }
        if state.backoff > 0 {
            state.backoff -= 1
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
        state.backoff = Self.backoffAfterMiss
        return false
    }
}

/// How many statements are waiting on the server right now.
package final class WaitingStatements: Sendable {
    /// Every connection of the process.
    package static let process = WaitingStatements()

    private let value = Atomic<Int>(0)

    /// A count of its own (tests use one so that other tests' statements do not count).
    package init() {}

    /// The statements counted now.
    package var count: Int { value.load(ordering: .relaxed) }

    /// Counts a statement that starts waiting; ``end()`` when its answer is in.
    package func begin() { value.add(1, ordering: .relaxed) }

    /// Stops counting a statement counted by ``begin()``.
    package func end() { value.subtract(1, ordering: .relaxed) }
}

/// One connection's polling history: how many answers came while polling, and how many waits are
/// left before it polls again after an answer that came late.
package final class PollingState {
    /// Waits left that park at once.
    package var backoff = 0
    /// Answers read while polling, without parking.
    package var polledAnswers = 0

    /// A connection that has not polled yet.
    package init() {}
}
