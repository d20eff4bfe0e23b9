import Foundation
import Logging
import SQLGenWire
import Testing

@testable import SQLGenRuntime

/// Polling for an answer before parking changes how a task waits, never what it gets.
@Suite struct AnswerPollingTests {
    /// Two connections counting their waits apart from the rest of the process: one polls (with a
    /// limit generous enough for a loaded test machine), one parks at once.
    static func connections(
        _ waiting: WaitingStatements
    ) async throws -> (polling: PostgresSession, parking: PostgresSession) {
        let configuration = try TestDatabase.configuration()
        let logger = Logger(label: "sqlgen.test")
        let polling = try await PostgresSession.connect(
            configuration, logger: logger, answerPolling: AnswerPolling(limit: .milliseconds(20), waiting: waiting))
        let parking = try await PostgresSession.connect(
            configuration, logger: logger, answerPolling: AnswerPolling(limit: .zero, waiting: waiting))
        return (polling, parking)
    }

    /// Waits (10 s at most) until the server shows `sql` running, so that a cancel finds it there.
    static func waitUntilRunning(_ sql: String, on configuration: PostgresConfiguration? = nil) async throws {
        let observer: PostgresSession
        if let configuration {
            observer = try await PostgresSession.connect(configuration)
        } else {
            observer = try await TestDatabase.connect()
        }
        let running = SingleValue<Int64>(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = $1", sql)
        let deadline = ContinuousClock.now + .seconds(10)
        while try await observer.queryFirst(running) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await observer.close()
    }

    @Test func pollingAndParkingConnectionsGiveTheSameAnswers() async throws {
        let waiting = WaitingStatements()
        let (polling, parking) = try await Self.connections(waiting)
        for value in Int32(1)...200 {
            let statement = SingleValue<String>("SELECT repeat('x', $1::int) || $1::text", value)
            #expect(try await polling.queryFirst(statement) == (try await parking.queryFirst(statement)))
        }
        #expect(await polling.pollingState.polledAnswers > 0)
        #expect(await parking.pollingState.polledAnswers == 0)
        #expect(waiting.count == 0)
        await polling.close()
        await parking.close()
    }

    @Test func aLateAnswerParksAndTheNextWaitsParkAtOnce() async throws {
        let waiting = WaitingStatements()
        let (polling, parking) = try await Self.connections(waiting)
        // Both statements prepared first, so that each run below waits once; then any backoff left by a
        // slow answer on a loaded machine runs out.
        #expect(try await polling.queryFirst(SingleValue<Int32>("SELECT 1")) == 1)
        let sleep = "SELECT pg_sleep($1)::text"
        #expect(try await polling.queryFirst(SingleValue<String>(sleep, 0.0)) == "")
        for _ in 0..<50 where await polling.pollingState.backoff > 0 {
            _ = try await polling.queryFirst(SingleValue<Int32>("SELECT 1"))
        }
        #expect(await polling.pollingState.backoff == 0)
        #expect(try await polling.queryFirst(SingleValue<String>(sleep, 0.2)) == "")
        #expect(await polling.pollingState.backoff == AnswerPolling.backoffAfterMiss)
        let answered = await polling.pollingState.polledAnswers
        for _ in 0..<AnswerPolling.backoffAfterMiss {
            #expect(try await polling.queryFirst(SingleValue<Int32>("SELECT 1")) == 1)
        }
        #expect(await polling.pollingState.polledAnswers == answered)
        #expect(await polling.pollingState.backoff == 0)
        #expect(waiting.count == 0)
        await polling.close()
        await parking.close()
    }

    @Test func failuresAndCancellationsStopCountingTheirWait() async throws {
        let waiting = WaitingStatements()
        let (polling, parking) = try await Self.connections(waiting)
        for connection in [polling, parking] {
            await #expect(throws: SQLGenError.self) {
                try await connection.queryFirst(SingleValue<Int32>("SELECT 1 / 0"))
            }
            let task = Task { try await connection.queryFirst(SingleValue<String>("SELECT pg_sleep(30)::text")) }
            try await Self.waitUntilRunning("SELECT pg_sleep(30)::text")
            #expect(waiting.count == 1)
            task.cancel()
            guard case .failure(let error as SQLGenError) = await task.result else {
                Issue.record("the sleep was not cancelled")
                continue
            }
            #expect(error.kind == .cancelled)
            #expect(waiting.count == 0)
            #expect(try await connection.queryFirst(SingleValue<Int32>("SELECT 2")) == 2)
        }
        // Two statements waiting at once: neither polls past the other's arrival, both answer.
        async let first = polling.queryFirst(SingleValue<String>("SELECT pg_sleep(0.1)::text || 'a'"))
        async let second = parking.queryFirst(SingleValue<String>("SELECT pg_sleep(0.1)::text || 'b'"))
        #expect(try await [first, second] == ["a", "b"])
        #expect(waiting.count == 0)
        await polling.close()
        await parking.close()
    }
}
