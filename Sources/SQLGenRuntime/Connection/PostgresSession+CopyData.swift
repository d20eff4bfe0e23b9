import CLibPQ
import Foundation
import SQLGenWire

/// COPY of raw data, for moving a tenant's tables between schemas, files and servers: the runtime
/// writes the COPY statement itself (every name qualified), so these are not public.
extension PostgresSession {
    /// Runs `sql`, a `COPY ... TO STDOUT`, and hands each chunk of data to `write` as it arrives (a row
    /// at a time in text format); returns the rows the server reports.
    func copyOut(
        _ sql: String, name: String, write: (UnsafeRawBufferPointer) throws(SQLGenError) -> Void
    ) async throws(SQLGenError) -> Int {
        try TransactionLifetime.current?.checkOpen(name)
        await enterGate()
        defer { leaveGate() }
        let handle = try openHandle(name)
        try await startCopy(sql, on: handle, expecting: PGRES_COPY_OUT, name: name)
        var failure: SQLGenError?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 1)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                // After a failed write the rest is still read, so the connection stays usable.
                guard failure == nil else { continue }
                do throws(SQLGenError) {
                    try write(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                } catch {
                    failure = error
                }
            } else if length == 0 {
                await SocketReactor.shared.wait(for: .readable, on: PQsocket(handle))
                if PQconsumeInput(handle) == 0 { break }
            } else {
                break
            }
        }
        let (copied, ended) = await copyResult(handle, name: name)
        if failure == nil { failure = ended }
        if PQstatus(handle) != CONNECTION_OK, failure == nil {
            failure = SQLGenError(
                .connectionClosed, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
        }
        if let failure { throw failure }
        return copied
    }

    /// Runs `sql`, a `COPY ... FROM STDIN`, sending the chunks `next` returns until it returns nil;
    /// returns the rows copied. A failing `next` abandons the COPY (nothing of it stays).
    func copyIn(
        _ sql: String, name: String, next: () throws(SQLGenError) -> [UInt8]?
    ) async throws(SQLGenError) -> Int {
        try TransactionLifetime.current?.checkOpen(name)
        await enterGate()
        defer { leaveGate() }
        let handle = try openHandle(name)
        try await startCopy(sql, on: handle, expecting: PGRES_COPY_IN, name: name)
        var sourceFailure: SQLGenError?
        var sent = true
        while sent {
            let chunk: [UInt8]?
            do throws(SQLGenError) {
                chunk = try next()
            } catch {
                sourceFailure = error
                break
            }
            guard var chunk else { break }
            sent = await sendCopyData(handle, &chunk)
        }
        let abandon = sourceFailure.map { "the data's source failed: \($0.message)" } ?? (sent ? nil : "send failed")
        let (copied, failure) = await endCopyIn(handle, abandoning: abandon, name: name)
        if let sourceFailure { throw sourceFailure }
        if let failure { throw failure }
        return copied
    }

    /// Sends `sql`, a COPY, and checks that the server entered the COPY state `expected`.
    private func startCopy(
        _ sql: String, on handle: OpaquePointer, expecting expected: ExecStatusType, name: String
    ) async throws(SQLGenError) {
        let start = await execSimple(handle, sql)
        defer { PQclear(start) }
        guard let start else { throw SQLGenError(.outcomeUnknown, message: "no response to COPY", statementName: name) }
        guard PQresultStatus(start) == expected else { throw Self.serverError(start, statementName: name) }
    }

    /// Ends a COPY FROM STDIN (abandoning it, with `abandon` as the reason, when given) and reads its result.
    func endCopyIn(
        _ handle: OpaquePointer, abandoning abandon: String?, name: String
    ) async -> (copied: Int, failure: SQLGenError?) {
        while PQputCopyEnd(handle, abandon) == 0 {
            await SocketReactor.shared.wait(for: .writable, on: PQsocket(handle))
        }
        _ = await flush(handle)
        return await copyResult(handle, name: name)
    }

    /// Reads the results that end a COPY: the rows the server reports, and its first error.
    private func copyResult(_ handle: OpaquePointer, name: String) async -> (copied: Int, failure: SQLGenError?) {
        var copied = 0
        var failure: SQLGenError?
        while let result = await nextResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = Self.serverError(result, statementName: name)
            }
        }
        return (copied, failure)
    }
}
