import Foundation
import Tracing

/// A tenant read with qualified names, waiting for a connection, that the task lent one may send along
/// with its own read in the same round trip; reads the server skipped after another's error are sent
/// again at once, so each succeeds or fails alone (see ``PoolOptions/readsPerRoundTrip``).
final class BatchedRead: @unchecked Sendable {
    /// What became of the read.
    enum Outcome {
        case pending
        case done
        case failed(SQLGenError)
        /// Not run (or its answer lost with the connection): the waiting task runs it again itself.
        case retry
    }

    let sql: String
    let values: [String?]
    let name: String
    /// The route of the tenant whose schema the names are qualified with.
    let tenant: SearchPathRoute
    /// The path the connection must be known to be on for the read to ride along.
    let sharedPath: String
    /// The waiting task's context: the parent of the read's span, whichever task sends it.
    let context: ServiceContext?
    private let decode: (OpaquePointer) throws(SQLGenError) -> Void
    /// Written by the task that sends the read, read by the waiting task after it is resumed.
    private(set) var outcome = Outcome.pending
    /// The waiting task, while the read is sent for it by another.
    private var waiting: CheckedContinuation<Lending, any Error>?

    init(
        sql: String, values: [String?], name: String, tenant: SearchPathRoute, sharedPath: String,
        decode: @escaping (OpaquePointer) throws(SQLGenError) -> Void
    ) {
        self.sql = sql
        self.values = values
        self.name = name
        self.tenant = tenant
        self.sharedPath = sharedPath
        self.context = ServiceContext.current
        self.decode = decode
    }

    /// Decodes the statement's result.
    func deliver(_ result: OpaquePointer) {
        do throws(SQLGenError) {
            try decode(result)
            outcome = .done
        } catch {
            outcome = .failed(error)
        }
    }

    func fail(_ error: SQLGenError) { outcome = .failed(error) }

    /// The error the read failed with, if it failed.
    var failure: SQLGenError? {
        if case .failed(let error) = outcome { return error }
        return nil
    }

    /// Keeps the waiting task's continuation: the read is to be sent for it by another task.
    func hold(_ continuation: CheckedContinuation<Lending, any Error>) { waiting = continuation }

    /// Hands the outcome to the waiting task, once; the read must not be touched afterwards.
    func finish() {
        waiting?.resume(returning: .served)
        waiting = nil
    }

    /// Marks the read to be run again by its own task, unless it already has its answer.
    func retryUnlessDone() {
        if case .done = outcome { return }
        outcome = .retry
    }

    func reset() { outcome = .pending }
}

/// A decoded value handed from the task that sent a read to the task that waits for it.
final class ReadValue<T>: @unchecked Sendable {
    var value: T?
}

/// What a task waiting in a ``PostgresPool`` is given.
enum Lending: Sendable {
    /// A connection, with the waiting reads (possibly none) to send along with the task's own; each
    /// holds its task's continuation, resumed by ``BatchedRead/finish()``.
    case connection(PostgresSession, mates: [BatchedRead])
    /// Nothing: another task sent the waiting read; its outcome is in the read.
    case served
}
