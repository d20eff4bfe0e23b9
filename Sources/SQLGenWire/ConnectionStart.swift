import CLibPQ
import Foundation

/// Opening a libpq connection.
package enum ConnectionStart {
    /// Opens the libpq connection without blocking a thread: PQconnectStartParams, then PQconnectPoll
    /// driven by socket readiness.
    /// With `expandingDatabaseName`, a `dbname` holding a URL or `key=value` string is read as one.
    /// - Returns: the connection as libpq left it (nil when out of memory), and whether `timeout`
    ///   passed first (the connection is then finished and nil).
    package static func open(keywords: [(String, String)], expandingDatabaseName: Bool = false, timeout: Duration?)
        async -> (OpaquePointer?, timedOut: Bool)
    {
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
                        PQconnectStartParams(
                            keyPointers.baseAddress, valuePointers.baseAddress, expandingDatabaseName ? 1 : 0)
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
