import Foundation
import SQLGenWire
import Testing

@testable import SQLGenRuntime

@Suite(.serialized) struct PoolTests {
    static func backends(_ admin: PostgresSession, application: String) async throws -> Int {
        let count = try await admin.queryFirst(
            SingleValue<Int64>("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", application))
        return Int(count ?? 0)
    }

    @Test func neverOpensMoreThanItsMaximum() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.applicationName = "sqlgen-pool-max"
        var options = PoolOptions()
        options.maxConnections = 3
        let pool = PostgresPool(configuration: configuration, options: options)
        let admin = try await TestDatabase.connect()
        let peak = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = try await pool.query(SingleValue<String>("SELECT pg_sleep(0.05)::text"))
                }
            }
            group.addTask {
                for _ in 0..<10 {
                    let now = try await Self.backends(admin, application: "sqlgen-pool-max")
                    if now > 3 { _ = await peak.next() }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            try await group.waitForAll()
        }
        #expect(await peak.value == 0)
        #expect(await pool.connectionCount <= 3)
        await pool.close()
        await admin.close()
    }

    @Test func acquireTimesOutWhenEveryConnectionIsBusy() async throws {
        var options = PoolOptions()
        options.maxConnections = 1
        options.acquireTimeout = .milliseconds(200)
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), options: options)
        let holder = Task { try await pool.query(SingleValue<String>("SELECT pg_sleep(1)::text")) }
        try await Task.sleep(for: .milliseconds(100))
        do {
            _ = try await pool.query(SingleValue<Int32>("SELECT 1"))
            Issue.record("acquired a connection beyond the maximum")
        } catch {
            #expect(error.kind == .poolTimeout)
        }
        _ = try await holder.value
        await pool.close()
    }

    @Test func aConnectionLeftInATransactionIsClosedNotReused() async throws {
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), options: options)
        // Backend process ids tell connections apart (object identities can be reused after a close).
        let first = try await pool.withConnection { connection in
            try await connection.simpleQuery("BEGIN")
            return try await connection.queryFirst(SingleValue<Int32>("SELECT pg_backend_pid()"))
        }
        let second = try await pool.withConnection { connection in
            (
                try await connection.queryFirst(SingleValue<Int32>("SELECT pg_backend_pid()")),
                await connection.transactionStatus
            )
        }
        #expect(first != nil)
        #expect(first != second.0)
        #expect(second.1 == .idle)
        await pool.close()
    }

    @Test("a transaction whose connection turns out closed before BEGIN starts on another one")
    func transactionRetriesAConnectionClosedBeforeBegin() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.applicationName = "sqlgen-pool-terminate-tx"
        var options = PoolOptions()
        options.maxConnections = 2
        options.healthCheckAfterIdle = .seconds(3_600)
        let pool = PostgresPool(configuration: configuration, options: options)
        #expect(try await pool.queryFirst(SingleValue<Int32>("SELECT 1")) == 1)
        let admin = try await TestDatabase.connect()
        _ = try await admin.query(
            SingleValue<Bool>(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sqlgen-pool-terminate-tx'"
            ))
        try await Task.sleep(for: .milliseconds(100))
        let runs = LockedState(0)
        let value = try await pool.withTransaction { transaction in
            runs.withLock { $0 += 1 }
            return try await transaction.queryFirst(SingleValue<Int32>("SELECT 3"))
        }
        #expect(value == 3)
        #expect(runs.withLock { $0 } == 1)
        await pool.close()
        await admin.close()
    }

    @Test func survivesItsConnectionsBeingTerminated() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.applicationName = "sqlgen-pool-terminate"
        var options = PoolOptions()
        options.maxConnections = 2
        options.healthCheckAfterIdle = .zero
        let pool = PostgresPool(configuration: configuration, options: options)
        #expect(try await pool.queryFirst(SingleValue<Int32>("SELECT 1")) == 1)
        let admin = try await TestDatabase.connect()
        _ = try await admin.query(
            SingleValue<Bool>(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sqlgen-pool-terminate'"
            ))
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await pool.queryFirst(SingleValue<Int32>("SELECT 2")) == 2)
        await pool.close()
        await admin.close()
    }
}

@Suite(.serialized) struct StreamingAndHealthTests {
    /// The resident set size of this process, in KiB (Linux).
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test func streamingAMillionRowsRunsInBoundedMemory() async throws {
        let connection = try await TestDatabase.connect()
        let before = Self.residentKiB()
        var count = 0
        var peak = before
        // A million rows of 200 characters: about 200 MB of text if they were all held at once.
        for try await value in connection.stream(
            SingleValue<String>("SELECT lpad(n::text, 200, 'x') FROM generate_series(1, 1000000) AS n"))
        {
            count += 1
            if count % 100_000 == 0 {
                peak = max(peak, Self.residentKiB())
                #expect(value.count == 200)
            }
        }
        #expect(count == 1_000_000)
        // Streaming keeps growth far below what holding the rows would take (other suites run alongside).
        #expect(peak - before < 100 * 1024, "RSS grew by \(peak - before) KiB")
        await connection.close()
    }

    @Test func stoppingAStreamEarlyLeavesTheConnectionUsable() async throws {
        let connection = try await TestDatabase.connect()
        var seen = 0
        for try await _ in connection.stream(
            SingleValue<Int64>("SELECT n::bigint FROM generate_series(1, 1000000) AS n"))
        {
            seen += 1
            if seen == 10 { break }
        }
        #expect(seen == 10)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await connection.queryFirst(SingleValue<Int32>("SELECT 7")) == 7)
        await connection.close()
    }

    @Test func healthCheckReportsVersionAndPool() async throws {
        let pool = PostgresPool(configuration: try TestDatabase.configuration())
        let report = try await pool.healthCheck()
        #expect(report.serverVersion.hasPrefix("15."))
        #expect(report.roundTrip < .seconds(5))
        #expect(report.connections == 1)
        #expect(report.idle == 1)
        await pool.close()
    }
}
