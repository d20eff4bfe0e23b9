import CLibPQ

/// A connection for tools that talk to one server from one task (the `sqlgen` CLI's live check): opened
/// from a URL, with the same non-blocking reads and statement description the runtime's connections use.
package final class WireConnection {
    private let handle: OpaquePointer
    private let state = PollingState()

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// Opens a connection to `url` (a `postgres://` URL or a `key=value` string).
    /// - Throws: ``WireFailure/connection(_:)`` with libpq's message when the server cannot be reached
    ///   or refuses the connection, or when `timeout` passes first.
    package static func open(url: String, timeout: Duration? = nil) async throws(WireFailure) -> WireConnection {
        if url.utf8.contains(0) { throw .notSent("the URL holds a NUL character") }
        let (opened, timedOut) = await ConnectionStart.open(
            keywords: [("dbname", url)], expandingDatabaseName: true, timeout: timeout)
        if timedOut { throw .connection("the server did not complete the connection in time") }
        guard let opened else { throw .connection("out of memory") }
        guard PQstatus(opened) == CONNECTION_OK, PQsetnonblocking(opened, 1) == 0 else {
            let message = ServerErrorFields.trimmed(PQerrorMessage(opened))
            PQfinish(opened)
            throw .connection(message)
        }
        return WireConnection(handle: opened)
    }

    private var channel: ResultChannel {
        ResultChannel(handle: handle, answerPolling: AnswerPolling(limit: .zero), state: state)
    }

    /// Runs `sql` with the simple protocol and returns the first column of each row it returns (nil for
    /// NULL).
    package func rows(_ sql: String) async throws(WireFailure) -> [String?] {
        if sql.utf8.contains(0) { throw .notSent("the statement holds a NUL character") }
        let result = await channel.execSimple(sql)
        defer { PQclear(result) }
        if let failure = WireFailure.of(result, on: handle) { throw failure }
        guard let result, PQnfields(result) > 0 else { return [] }
        return (0..<PQntuples(result)).map { row in
            PQgetisnull(result, row, 0) == 1 ? nil : String(cString: PQgetvalue(result, row, 0))
        }
    }

    /// Prepares `sql` unnamed and returns the parameter and column types the server inferred; nothing is run.
    package func describe(_ sql: String) async throws(WireFailure) -> StatementShape {
        if sql.utf8.contains(0) { throw .notSent("the statement holds a NUL character") }
        return try await channel.describe(sql)
    }
}
