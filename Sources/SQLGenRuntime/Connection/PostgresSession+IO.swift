import CLibPQ
import Foundation

/// libpq in non-blocking mode: messages are sent and results read on the calling task, which waits
/// for the socket through the ``SocketReactor`` instead of blocking a thread.
extension PostgresSession {
    /// Lets one operation at a time use the connection; the others wait their turn in order.
    func enterGate() async {
        guard gateBusy else {
            gateBusy = true
            return
        }
        // A stream holding the connection must not wait for its consumer while this waits for it.
        gateContention?()
        await withCheckedContinuation { gateQueue.append($0) }
    }

    /// Hands the connection to the next waiting operation, if any.
    func leaveGate() {
        if gateQueue.isEmpty {
            gateBusy = false
        } else {
            gateQueue.removeFirst().resume()
        }
    }

    /// Sends everything libpq has buffered; false when the connection broke.
    func flush(_ handle: OpaquePointer) async -> Bool {
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
    func nextResult(_ handle: OpaquePointer) async -> OpaquePointer? {
        if PQisBusy(handle) == 1 {
            answerPolling.waiting.begin()
            defer { answerPolling.waiting.end() }
            if !answerPolling.poll(handle, state: native) {
                while PQisBusy(handle) == 1 {
                    await SocketReactor.shared.wait(for: .readable, on: PQsocket(handle))
                    if PQconsumeInput(handle) == 0 { break }
                }
            }
        }
        return PQgetResult(handle)
    }

    /// Reads every result of the command just sent, as PQexec would: the first failure, else the last result.
    func finalResult(_ handle: OpaquePointer) async -> OpaquePointer? {
        var kept: OpaquePointer?
        while let result = await nextResult(handle) {
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

    /// The final result of a command whose messages were queued (`queued`), once they are sent.
    func resultOfQueued(_ handle: OpaquePointer, queued: Bool) async -> OpaquePointer? {
        guard queued, await flush(handle) else { return nil }
        return await finalResult(handle)
    }

    /// Sends `sql` with the simple protocol and returns its final result; nil when it could not be sent.
    func execSimple(_ handle: OpaquePointer, _ sql: String) async -> OpaquePointer? {
        await resultOfQueued(handle, queued: PQsendQuery(handle, sql) == 1)
    }

    static func failed(_ result: OpaquePointer) -> Bool {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE: return false
        default: return true
        }
    }

    /// Opens the libpq connection without blocking a thread: PQconnectStartParams, then PQconnectPoll
    /// driven by socket readiness.
    /// - Returns: the connection as libpq left it (nil when out of memory), and whether `timeout`
    ///   passed first (the connection is then finished and nil).
    static func connectNonBlocking(keywords: [(String, String)], timeout: Duration?) async -> (
        OpaquePointer?, timedOut: Bool
    ) {
        var keys = keywords.map { strdup($0.0) }
        var values = keywords.map { strdup($0.1) }
        keys.append(nil)
        values.append(nil)
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let started = keys.withUnsafeBufferPointer { keyBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                keyBuffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { keyPointers in
                    valueBuffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { valuePointers in
                        PQconnectStartParams(keyPointers.baseAddress, valuePointers.baseAddress, 0)
                    }
                }
            }
        }
        guard let connection = started, PQstatus(connection) != CONNECTION_BAD else { return (started, false) }
        // A timeout beyond a day (set in code) is a day: the clock's sleep traps on some huge values.
        let deadline = timeout.map { ContinuousClock.now + min($0, .seconds(86_400)) }
        // Past the deadline the wait is ended from outside; each socket change restarts the watch.
        var watchdog: Task<Void, Never>?
        defer { watchdog?.cancel() }
        var watchedSocket: Int32 = -1
        var polling = PGRES_POLLING_WRITING
        while true {
            switch polling {
            case PGRES_POLLING_OK, PGRES_POLLING_FAILED:
                return (connection, false)
            default:
                break
            }
            if Task.isCancelled {
                PQfinish(connection)
                return (nil, false)
            }
            if let deadline {
                if ContinuousClock.now >= deadline {
                    PQfinish(connection)
                    return (nil, true)
                }
                let socket = PQsocket(connection)
                if socket != watchedSocket {
                    watchdog?.cancel()
                    watchedSocket = socket
                    watchdog = Task {
                        guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                        // Again until cancelled: a wake that came just before the wait began finds no waiter.
                        repeat {
                            SocketReactor.shared.wake(socket)
                        } while (try? await Task.sleep(for: .milliseconds(20))) != nil
                    }
                }
            }
            // Cancelling the task ends the wait, and the connect.
            let socket = PQsocket(connection)
            await withTaskCancellationHandler {
                await SocketReactor.shared.wait(
                    for: polling == PGRES_POLLING_READING ? .readable : .writable, on: socket)
            } onCancel: {
                // Again for a moment: a cancel that comes just before the wait begins finds no waiter.
                Task {
                    for _ in 0..<20 {
                        SocketReactor.shared.wake(socket)
                        try? await Task.sleep(for: .milliseconds(10))
                    }
                }
            }
            if Task.isCancelled {
                PQfinish(connection)
                return (nil, false)
            }
            if let deadline, ContinuousClock.now >= deadline {
                PQfinish(connection)
                return (nil, true)
            }
            polling = PQconnectPoll(connection)
        }
    }
}
