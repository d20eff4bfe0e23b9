import CLibPQ

/// Reads a libpq connection's results in non-blocking mode: messages are sent and results read on the
/// calling task, which waits for the socket through the ``SocketReactor`` instead of blocking a thread.
///
/// Its functions run on the caller's executor (`nonisolated(nonsending)`), so a connection actor that
/// calls them keeps the connection to itself.
package struct ResultChannel {
    /// The libpq connection, in non-blocking mode.
    package let handle: OpaquePointer
    /// How long to poll for an answer before parking on the reactor.
    package let answerPolling: AnswerPolling
    /// The connection's polling history.
    package let state: PollingState

    /// A reader of `handle`'s results that polls as `answerPolling` says.
    package init(handle: OpaquePointer, answerPolling: AnswerPolling, state: PollingState) {
        self.handle = handle
        self.answerPolling = answerPolling
        self.state = state
    }

    /// Sends everything libpq has buffered; false when the connection broke.
    nonisolated(nonsending) package func flush() async -> Bool {
        while true {
            let state = PQflush(handle)
            if state == 0 { return true }
            if state < 0 { return false }
            // The server may be waiting for us to read before it reads more: take in what it sent.
            await SocketReactor.shared.wait(for: .either, on: PQsocket(handle))
            if PQconsumeInput(handle) == 0 { return false }
        }
    }

    /// The next result of the command in progress, nil after its last one; waits without blocking a thread.
    nonisolated(nonsending) package func nextResult() async -> OpaquePointer? {
        if PQisBusy(handle) == 1 {
            answerPolling.waiting.begin()
            defer { answerPolling.waiting.end() }
            if !answerPolling.poll(handle, state: state) {
                while PQisBusy(handle) == 1 {
                    await SocketReactor.shared.wait(for: .readable, on: PQsocket(handle))
                    if PQconsumeInput(handle) == 0 { break }
                }
            }
        }
        return PQgetResult(handle)
    }

    /// Reads every result of the command just sent, as PQexec would: the first failure, else the last
    /// result; a COPY's start at once.
    nonisolated(nonsending) package func finalResult() async -> OpaquePointer? {
        var kept: OpaquePointer?
        while let result = await nextResult() {
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                PQclear(kept)
                return result
            }
            if let previous = kept, Self.failed(previous) {
                PQclear(result)
                continue
            }
            PQclear(kept)
            kept = result
        }
        return kept
    }

    /// The final result of a command whose messages were queued (`queued`), once they are sent; nil
    /// when they could not be queued or sent.
    nonisolated(nonsending) package func resultOfQueued(queued: Bool) async -> OpaquePointer? {
        guard queued, await flush() else { return nil }
        return await finalResult()
    }

    /// Sends `sql` with the simple protocol and returns its final result; nil when it could not be sent.
    nonisolated(nonsending) package func execSimple(_ sql: String) async -> OpaquePointer? {
        await resultOfQueued(queued: PQsendQuery(handle, sql) == 1)
    }

    /// Whether `result` reports a failure (anything but a command's or a query's success).
    package static func failed(_ result: OpaquePointer) -> Bool {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE: return false
        default: return true
        }
    }
}
