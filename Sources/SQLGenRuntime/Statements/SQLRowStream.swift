import SQLGenWire

/// A statement's rows as the server sends them, for `for try await row in stream`: the statement runs
/// when the first row is asked for, at most ``bufferLimit`` rows wait in memory (beyond that the stream
/// stops reading, and the server waits), a failure is thrown as the ``SQLGenError`` it is, and
/// leaving the loop early or cancelling the task cancels the statement on the server.
public struct SQLRowStream<Row: Sendable>: AsyncSequence, Sendable {
    /// Each element is a decoded row.
    public typealias Element = Row
    /// A stream fails only with ``SQLGenError``.
    public typealias Failure = SQLGenError

    /// How many rows may wait in memory before the stream stops reading from the server.
    public static var bufferLimit: Int { 256 }

    /// Runs the statement, handing each row to the sink.
    typealias Producer = @Sendable (_ sink: RowSink<Row>) async throws(SQLGenError) -> Void

    private let produce: Producer

    init(_ produce: @escaping Producer) {
        self.produce = produce
    }

    /// An iterator that runs the statement when first advanced.
    public func makeAsyncIterator() -> Iterator {
        Iterator(lifetime: RowStreamLifetime(RowChannel(limit: Self.bufferLimit, produce: produce)))
    }

    /// Reads the stream's rows in order.
    public struct Iterator: AsyncIteratorProtocol {
        let lifetime: RowStreamLifetime<Row>

        /// The next row; nil at the end. Throws the statement's failure, or `.cancelled` when the
        /// task was cancelled.
        public mutating func next() async throws(SQLGenError) -> Row? {
            try await lifetime.channel.next()
        }

        /// The next row; nil at the end (the isolation is not needed: rows are `Sendable`).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(SQLGenError) -> Row? {
            try await lifetime.channel.next()
        }
    }
}

/// Where a stream's producer puts the rows it reads.
struct RowSink<Row: Sendable>: Sendable {
    /// Hands a row to the consumer, waiting while the buffer is full; false when the consumer has gone.
    let send: @Sendable (Row) async -> Bool
    /// Called when another operation waits for the connection the stream holds: from then on `send`
    /// never waits, so the stream finishes and frees the connection.
    let stopHoldingBack: @Sendable () -> Void
}

/// Ends the stream when its iterator goes away: the producer's task holds the channel, so the
/// channel alone cannot tell that the consumer has left.
final class RowStreamLifetime<Row: Sendable>: Sendable {
    let channel: RowChannel<Row>

    init(_ channel: RowChannel<Row>) {
        self.channel = channel
    }

    deinit {
        channel.abandon(SQLGenError(.cancelled, message: "the stream's iterator was dropped"))
    }
}

/// The producer's task and the state it shares with the consumer.
final class RowChannel<Row: Sendable>: Sendable {
    private let state: LockedState<RowStreamState<Row>>
    private let task = LockedState<Task<Void, Never>?>(nil)
    private let produce: SQLRowStream<Row>.Producer

    init(limit: Int, produce: @escaping SQLRowStream<Row>.Producer) {
        state = LockedState(RowStreamState(limit: limit))
        self.produce = produce
    }

    func next() async throws(SQLGenError) -> Row? {
        startIfNeeded()
        if case .answer(let answer, let resuming) = state.withLock({ $0.request() }) {
            resuming?.resume(returning: true)
            return try answer.get()
        }
        let answer = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: RowStreamState<Row>.Consumer) in
                if let (answer, resuming) = state.withLock({ $0.park(continuation) }) {
                    resuming?.resume(returning: true)
                    continuation.resume(returning: answer)
                }
            }
        } onCancel: {
            abandon(SQLGenError(.cancelled, message: "the task reading the stream was cancelled"))
        }
        return try answer.get()
    }

    /// The consumer has gone: the producer stops at its next row and the statement is cancelled.
    func abandon(_ error: SQLGenError) {
        let (producer, consumer) = state.withLock { $0.abandon(error) }
        producer?.resume(returning: false)
        if let (waiting, answer) = consumer { waiting.resume(returning: answer) }
        task.withLock { $0?.cancel() }
    }

    /// Another operation waits for the stream's connection: read the rest without waiting for room.
    func stopHoldingBack() {
        state.withLock { $0.stopHoldingBack() }?.resume(returning: true)
    }

    private func startIfNeeded() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { await self.run() }
        }
    }

    private func run() async {
        let result: Result<Void, SQLGenError>
        do throws(SQLGenError) {
            try await produce(
                RowSink(send: { row in await self.send(row) }, stopHoldingBack: { self.stopHoldingBack() }))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        if let (waiting, answer) = state.withLock({ $0.finish(result) }) { waiting.resume(returning: answer) }
    }

    /// Hands a row to the consumer or buffers it, waiting while the buffer is full; false when the
    /// consumer has gone.
    private func send(_ row: Row) async -> Bool {
        switch state.withLock({ $0.deliver(row) }) {
        case .resume(let waiting, let answer):
            waiting.resume(returning: answer)
            return true
        case .buffered:
            return true
        case .stop:
            return false
        case .wait:
            return await withCheckedContinuation { (continuation: RowStreamState<Row>.Producer) in
                if let (waiting, go) = state.withLock({ $0.park(continuation) }) { waiting.resume(returning: go) }
            }
        }
    }
}
