import CLibPQ
import Foundation
import SQLGenWire

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

    /// The connection's reader of results, polling for answers as the connection was told to.
    func channel(_ handle: OpaquePointer) -> ResultChannel {
        ResultChannel(handle: handle, answerPolling: answerPolling, state: native.polling)
    }

    /// Sends everything libpq has buffered; false when the connection broke.
    func flush(_ handle: OpaquePointer) async -> Bool { await channel(handle).flush() }

    /// The next result of the command in progress, nil after its last one; waits without blocking a thread.
    func nextResult(_ handle: OpaquePointer) async -> OpaquePointer? { await channel(handle).nextResult() }

    /// Reads every result of the command just sent, as PQexec would: the first failure, else the last result.
    func finalResult(_ handle: OpaquePointer) async -> OpaquePointer? { await channel(handle).finalResult() }

    /// The final result of a command whose messages were queued (`queued`), once they are sent.
    func resultOfQueued(_ handle: OpaquePointer, queued: Bool) async -> OpaquePointer? {
        await channel(handle).resultOfQueued(queued: queued)
    }

    /// Sends `sql` with the simple protocol and returns its final result; nil when it could not be sent.
    func execSimple(_ handle: OpaquePointer, _ sql: String) async -> OpaquePointer? {
        await channel(handle).execSimple(sql)
    }

    static func failed(_ result: OpaquePointer) -> Bool { ResultChannel.failed(result) }
}
