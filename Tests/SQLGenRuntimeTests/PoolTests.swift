import Foundation
import Testing

@testable import SQLGenRuntime

@Suite(.serialized) struct PoolTests {
    static func backends(_ admin: PostgresConnection, application: String) async throws -> Int {
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
        let first = try await pool.withConnection { connection in
            try await connection.simpleQuery("BEGIN")
            return ObjectIdentifier(connection)
        }
        let second = try await pool.withConnection { connection in
            (ObjectIdentifier(connection), await connection.transactionStatus)
        }
        #expect(first != second.0)
        #expect(second.1 == .idle)
        await pool.close()
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
