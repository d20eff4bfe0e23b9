extension SQLRowStream {
    /// A stream whose rows `produce` reads, for executor implementations: it runs when the first row
    /// is asked for, hands each row to `send` (which waits while ``bufferLimit`` rows are unread, and
    /// returns false once the consumer has gone: stop reading then), and its task is cancelled when
    /// the consumer leaves the loop early or is cancelled.
    public init(
        producing produce:
            @escaping @Sendable (_ send: @escaping @Sendable (Row) async -> Bool) async throws(SQLGenError)
            -> Void
    ) {
        self.init { sink throws(SQLGenError) in try await produce(sink.send) }
    }
}
