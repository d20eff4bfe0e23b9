import Foundation
import Testing

@testable import SQLGenRuntime

/// The buffer between a stream's producer and consumer, without a server: rows wait up to the
/// limit, the producer is woken only once half the buffer is free, a failure is thrown once.
@Suite struct RowStreamStateTests {
    @Test func rowsWaitUpToTheLimitThenTheProducerMustWait() {
        var state = RowStreamState<Int>(limit: 4)
        let deliveries = (1...4).map { row -> String in
            switch state.deliver(row) {
            case .buffered: "buffered"
            case .wait: "wait"
            case .resume, .stop: "other"
            }
        }
        #expect(deliveries == ["buffered", "buffered", "buffered", "wait"])
        #expect(Array(state.buffer) == [1, 2, 3, 4])
        guard case .answer(.success(1), _) = state.request() else {
            Issue.record("the first row was not handed out")
            return
        }
        #expect(Array(state.buffer) == [2, 3, 4])
    }

    /// Once another operation waits for the connection, a full buffer no longer makes the producer
    /// wait: the rest is read, so that the stream and that operation cannot wait for each other.
    @Test func aStreamStopsHoldingBackWhenOthersWait() {
        var state = RowStreamState<Int>(limit: 2)
        _ = state.deliver(1)
        guard case .wait = state.deliver(2) else {
            Issue.record("a full buffer did not make the producer wait")
            return
        }
        #expect(state.stopHoldingBack() == nil)
        guard case .buffered = state.deliver(3) else {
            Issue.record("the producer still waits after others started waiting")
            return
        }
        #expect(Array(state.buffer) == [1, 2, 3])
    }

    @Test func theEndAndAFailureComeAfterTheBufferedRowsAndAFailureOnce() throws {
        var state = RowStreamState<Int>(limit: 8)
        _ = state.deliver(1)
        #expect(state.finish(.failure(SQLGenError(.server, message: "boom"))) == nil)
        guard case .answer(.success(1), _) = state.request() else {
            Issue.record("the buffered row was lost behind the failure")
            return
        }
        guard case .answer(.failure(let error), _) = state.request() else {
            Issue.record("the failure was not thrown")
            return
        }
        #expect(error.message == "boom")
        guard case .answer(.success(nil), _) = state.request() else {
            Issue.record("the stream did not end after its failure")
            return
        }
    }

    @Test func anAbandonedStreamStopsItsProducerAndEndsWithTheReason() {
        var state = RowStreamState<Int>(limit: 8)
        _ = state.deliver(1)
        let (producer, consumer) = state.abandon(SQLGenError(.cancelled, message: "gone"))
        #expect(producer == nil && consumer == nil)
        #expect(state.buffer.isEmpty)
        guard case .stop = state.deliver(2) else {
            Issue.record("the producer was not told to stop")
            return
        }
        guard case .answer(.failure(let error), _) = state.request() else {
            Issue.record("the abandoned stream did not end with its reason")
            return
        }
        #expect(error.kind == .cancelled)
    }
}

/// Streams against the server: they read no faster than the consumer, fail with the typed error,
/// and end (cancelling the statement) when the consumer leaves or is cancelled.
@Suite(.serialized) struct RowStreamTests {
    /// The server's state of the backend running `marker`'s statement, seen from another connection.
    static func backend(running marker: String, on observer: PostgresSession) async throws -> (String, String)? {
        let rows = try await observer.query(
            PlainStatement(
                "SELECT state, coalesce(wait_event, '') AS wait_event FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()",
                bindings: {
                    var bindings = SQLBindings(); bindings.append(marker); return bindings
                }()))
        guard let row = rows.first else { return nil }
        return (row["state"] ?? "", row["wait_event"] ?? "")
    }

    /// A consumer that stops reading stops the stream reading: the server is left waiting to write
    /// (ClientWrite), not done and idle with every row held in the client's memory.
    @Test func aSlowConsumerHoldsTheServerBack() async throws {
        let connection = try await TestDatabase.connect()
        let observer = try await TestDatabase.connect()
        let marker = "sqlgen_backpressure_marker"
        var iterator = connection.stream(
            SingleValue<String>(
                "SELECT lpad(n::text, 500, 'x') AS \(marker) FROM generate_series(1, 2000000) AS n")
        ).makeAsyncIterator()
        #expect(try await iterator.next()?.count == 500)
        try await Task.sleep(for: .seconds(1))
        let seen = try await Self.backend(running: marker, on: observer)
        #expect(seen?.0 == "active")
        #expect(seen?.1 == "ClientWrite")
        // Leaving the stream cancels the statement; the connection is usable again.
        iterator = connection.stream(SingleValue<String>("SELECT 'done'")).makeAsyncIterator()
        #expect(try await iterator.next() == "done")
        await observer.close()
        await connection.close()
    }

    @Test func aFailureMidStreamIsTheTypedServerError() async throws {
        let connection = try await TestDatabase.connect()
        var rows = 0
        // The loop throws the stream's failure type, SQLGenError: no cast is needed to read it.
        do throws(SQLGenError) {
            for try await _ in connection.stream(
                SingleValue<Int32>("SELECT 1 / (n - 3000) FROM generate_series(1, 5000) AS n"))
            {
                rows += 1
            }
            Issue.record("the division by zero was not reported")
        } catch {
            #expect(error.kind == .server)
            #expect(error.sqlState == "22012")
        }
        #expect(rows < 3000)
        #expect(try await connection.queryFirst(SingleValue<Int32>("SELECT 7")) == 7)
        await connection.close()
    }

    @Test func cancellingTheReadingTaskEndsTheStreamWithCancelled() async throws {
        let connection = try await TestDatabase.connect()
        let started = ContinuousClock.now
        let reader = Task { () async throws(SQLGenError) -> Int in
            var count = 0
            for try await _ in connection.stream(SingleValue<String>("SELECT pg_sleep(30)::text")) { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(300))
        reader.cancel()
        let outcome = await reader.result
        guard case .failure(let error) = outcome else {
            Issue.record("the cancelled stream returned \(outcome)")
            return
        }
        #expect((error as? SQLGenError)?.kind == .cancelled)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(try await connection.queryFirst(SingleValue<Int32>("SELECT 7")) == 7)
        await connection.close()
    }
}
