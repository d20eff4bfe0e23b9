import SQLGenWire

/// Keeps a pool from running a stream's statement again once it has delivered rows: a pool retries
/// on a connection found closed, which is safe only while nothing has been handed out (else every
/// row would reach the consumer twice).
final class StreamReplayGuard: Sendable {
    private let delivered = LockedState(false)

    /// The sink's `send`, noting that a row went out.
    func send<Row: Sendable>(_ sink: RowSink<Row>) -> @Sendable (Row) async -> Bool {
        { row in
            self.delivered.withLock { $0 = true }
            return await sink.send(row)
        }
    }

    /// Throws when rows went out already: the retried attempt must not run the statement again.
    func refuseReplay(_ name: String) throws(SQLGenError) {
        guard delivered.withLock({ $0 }) else { return }
        throw SQLGenError(
            .outcomeUnknown,
            message: "the connection closed after the stream had delivered rows; the statement is not run again",
            statementName: name)
    }
}
