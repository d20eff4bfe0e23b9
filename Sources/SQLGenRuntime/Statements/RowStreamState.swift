import DequeModule

/// What a row stream's producer (the statement, reading the server's rows) and its consumer (the
/// caller's `for try await`) share: the rows read but not yet taken, at most ``limit`` of them, and
/// whichever side is waiting for the other. A pure state machine: the caller of each transition
/// resumes the continuation it returns, outside the lock.
struct RowStreamState<Row> {
    /// A consumer waiting for a row, the end (nil) or the failure.
    typealias Consumer = CheckedContinuation<Result<Row?, SQLGenError>, Never>
    /// A producer waiting for room: resumed with true to go on, false to stop.
    typealias Producer = CheckedContinuation<Bool, Never>

    /// How many rows may wait in memory before the producer stops reading from the server.
    let limit: Int
    private(set) var buffer: Deque<Row> = []
    private var consumer: Consumer?
    private var producer: Producer?
    /// How the statement ended: nil while it runs.
    private var ending: Result<Void, SQLGenError>?
    /// Whether the consumer has gone (stopped iterating or was cancelled).
    private(set) var abandoned = false
    /// Whether a full buffer makes the producer wait. Off once another operation waits for the
    /// connection the stream holds: the rest is then read into memory, so that the two cannot wait
    /// for each other (a query inside the loop, COMMIT after the closure returned).
    private(set) var holdingBack = true

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// What the producer must do with a row it read.
    enum Delivery {
        /// Hand it to this waiting consumer and go on.
        case resume(Consumer, Result<Row?, SQLGenError>)
        /// It is buffered; go on.
        case buffered
        /// It is buffered and the buffer is full: wait for room.
        case wait
        /// The consumer has gone: stop.
        case stop
    }

    mutating func deliver(_ row: Row) -> Delivery {
        if abandoned { return .stop }
        if let waiting = consumer {
            consumer = nil
            return .resume(waiting, .success(row))
        }
        buffer.append(row)
        return buffer.count >= limit && holdingBack ? .wait : .buffered
    }

    /// Another operation waits for the stream's connection: the producer no longer waits for room;
    /// returns it when it is parked, to resume with true.
    mutating func stopHoldingBack() -> Producer? {
        holdingBack = false
        defer { producer = nil }
        return producer
    }

    /// Parks the producer until the consumer makes room; returns it when it must be resumed at once
    /// (room was made, or the consumer left, before it parked), with the answer.
    mutating func park(_ waiting: Producer) -> (Producer, Bool)? {
        if abandoned { return (waiting, false) }
        if buffer.count < limit || !holdingBack { return (waiting, true) }
        producer = waiting
        return nil
    }

    /// What the consumer gets when it asks for the next row.
    enum Request {
        /// A row (nil: the end) or the failure, and a producer to resume with true when there is room again.
        case answer(Result<Row?, SQLGenError>, resuming: Producer?)
        /// Nothing yet: wait.
        case wait
    }

    mutating func request() -> Request {
        if let row = buffer.popFirst() {
            // Resume a parked producer once half the buffer is free, so it does not wake for every row.
            var resuming: Producer?
            if buffer.count <= limit / 2, let waiting = producer {
                producer = nil
                resuming = waiting
            }
            return .answer(.success(row), resuming: resuming)
        }
        switch ending {
        case .some(.failure(let error)):
            // The failure is thrown once; after it the stream is over.
            ending = .success(())
            return .answer(.failure(error), resuming: nil)
        case .some(.success):
            return .answer(.success(nil), resuming: nil)
        case nil:
            return .wait
        }
    }

    /// Parks the consumer until a row or the end arrives; returns its answer when that has come
    /// already (and a producer to resume with true, when taking the row made room).
    mutating func park(_ waiting: Consumer) -> (answer: Result<Row?, SQLGenError>, resuming: Producer?)? {
        // One reader at a time: a second `next()` while one waits (copies of an iterator read
        // concurrently) is refused rather than left waiting forever.
        if consumer != nil {
            return (
                .failure(
                    SQLGenError(
                        .invalidParameter,
                        message: "another next() of this stream is waiting: read a stream from one task at a time")),
                nil
            )
        }
        switch request() {
        case .answer(let answer, let resuming):
            return (answer, resuming)
        case .wait:
            consumer = waiting
            return nil
        }
    }

    /// The statement ended; returns the consumer to resume with the end or the failure, if it waits.
    mutating func finish(_ result: Result<Void, SQLGenError>) -> (Consumer, Result<Row?, SQLGenError>)? {
        guard ending == nil else { return nil }
        ending = result
        guard let waiting = consumer else { return nil }
        consumer = nil
        switch result {
        case .success: return (waiting, .success(nil))
        case .failure(let error):
            ending = .success(())
            return (waiting, .failure(error))
        }
    }

    /// The consumer left (it stopped iterating, or its task was cancelled with `error`): the rows are
    /// dropped and the stream ends with `error`. Returns the parked producer (to resume with false) and
    /// the parked consumer with its answer, if any.
    mutating func abandon(
        _ error: SQLGenError
    ) -> (producer: Producer?, consumer: (Consumer, Result<Row?, SQLGenError>)?) {
        abandoned = true
        buffer.removeAll()
        if ending == nil { ending = .failure(error) }
        let parkedProducer = producer
        producer = nil
        guard let waiting = consumer else { return (parkedProducer, nil) }
        consumer = nil
        guard case .answer(let answer, _) = request() else { return (parkedProducer, (waiting, .success(nil))) }
        return (parkedProducer, (waiting, answer))
    }
}
