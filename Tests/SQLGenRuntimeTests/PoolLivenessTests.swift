import Foundation
import Testing

@testable import SQLGenRuntime

/// The pool is always live: whatever mix of cancellations (while waiting, while holding, mid-statement,
/// mid-transaction) and errors its callers throw at it, no waiter times out while a connection is idle
/// or could be opened, and its counts come back to their bounds.
@Suite("The pool stays live under cancellation")
struct PoolLivenessTests {
    struct Abandoned: Error {}

    /// How the operations of ``cancelling(tasks:operations:_:)`` ended.
    struct Outcomes {
        var done = 0
        var cancelled = 0
        var timeouts = 0
    }

    /// Runs `operations` operations from `tasks` tasks, each started by `start` as a task of its own; a
    /// third of them are cancelled after a random 0 to 6 ms (while waiting, holding or mid-statement).
    static func cancelling(
        tasks: Int, operations: Int,
        _ start: @escaping @Sendable (inout SystemRandomNumberGenerator) -> Task<Void, any Error>
    ) async throws -> Outcomes {
        let timeouts = SharedCount()
        let cancelled = SharedCount()
        let done = SharedCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    for _ in 0..<(operations / tasks) {
                        let work = start(&generator)
                        if Int.random(in: 0..<3, using: &generator) == 0 {
                            try? await Task.sleep(for: .microseconds(Int.random(in: 0...6_000, using: &generator)))
                            work.cancel()
                        }
                        do {
                            try await work.value
                            done.add(1)
                        } catch let error as SQLGenError where error.kind == .poolTimeout {
                            timeouts.add(1)
                        } catch {
                            cancelled.add(1)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Outcomes(done: done.value, cancelled: cancelled.value, timeouts: timeouts.value)
    }

    /// Long enough that a slow machine never reaches it; a waiter forgotten while connections sit idle does.
    static func options() -> PoolOptions {
        var options = PoolOptions()
        options.maxConnections = 3
        options.acquireTimeout = .seconds(30)
        return options
    }

    @Test("3,000 operations on 3 connections, a third of them cancelled at random: no timeout, no lost connection")
    func cancellationsNeverStallThePool() async throws {
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), options: Self.options())
        let outcomes = try await Self.cancelling(tasks: 48, operations: 3_000) { generator in
            let roll = Int.random(in: 0..<6, using: &generator)
            let sleep = Double(Int.random(in: 0...8, using: &generator)) / 1_000
            return Task {
                switch roll {
                case 0, 1:
                    _ = try await pool.query(
                        PlainStatement("SELECT pg_catalog.pg_sleep($1)", bindings: bindings(sleep)))
                case 2:
                    try await pool.withTransaction { transaction in
                        _ = try await transaction.execute(PlainStatement("SELECT 1"))
                        _ = try await transaction.query(
                            PlainStatement("SELECT pg_catalog.pg_sleep($1)", bindings: bindings(sleep)))
                    }
                case 3:
                    try await pool.withTransaction { _ in throw Abandoned() }
                case 4:
                    let connection = try await pool.acquire()
                    try? await Task.sleep(for: .milliseconds(Int(sleep * 1_000)))
                    await pool.release(connection)
                default:
                    _ = try await pool.queryFirst(PlainStatement("SELECT 1"))
                }
            }
        }
        #expect(outcomes.timeouts == 0, "\(outcomes.timeouts) acquires timed out")
        #expect(outcomes.cancelled > 100)
        #expect(outcomes.done > 1_000)
        // Every connection came back: all are idle, within the bound, and the next acquire is immediate.
        let open = await pool.connectionCount
        #expect(open <= 3)
        #expect(await pool.idleCount == open)
        let started = ContinuousClock.now
        let connection = try await pool.acquire()
        #expect(ContinuousClock.now - started < .seconds(1))
        await pool.release(connection)
        await pool.close()
    }

    @Test("3,000 tenant operations (affinity waits, reads sent along) with a third cancelled: no timeout")
    func cancellationsNeverStallTheTenantPool() async throws {
        let configuration = try await TenancyDatabase.create("pool_liveness_tenants")
        let provisioning = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: provisioning, migrations: [TenancyDatabase.itemsMigration])
        var tenants: [RegisteredTenant] = []
        for index in 0..<12 {
            tenants.append(try await provisioner.createTenant(name: "T\(index)", subdomain: "t\(index)"))
        }
        await provisioning.close()
        let database = try TenantPool(configuration: configuration, poolOptions: Self.options())
        let known = tenants
        let outcomes = try await Self.cancelling(tasks: 48, operations: 3_000) { generator in
            let tenant = known.randomElement(using: &generator) ?? known[0]
            let roll = Int.random(in: 0..<4, using: &generator)
            return Task {
                try await withTenant(tenant) {
                    switch roll {
                    case 0: _ = try await database.query(QualifiedItemStamps())
                    case 1: _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                    case 2:
                        try await database.withTransaction { transaction in
                            _ = try await transaction.execute(InsertItem(tenant: tenant.subdomain, value: 2))
                            _ = try await transaction.query(ItemStamps())
                        }
                    default: _ = try await database.query(QualifiedSlowStamps(seconds: 0.004))
                    }
                }
            }
        }
        #expect(outcomes.timeouts == 0, "\(outcomes.timeouts) acquires timed out")
        #expect(outcomes.cancelled > 100)
        #expect(outcomes.done > 1_000)
        let open = await database.pool.connectionCount
        #expect(open <= 3)
        #expect(await database.pool.idleCount == open)
        let started = ContinuousClock.now
        _ = try await withTenant(tenants[0]) { try await database.query(QualifiedItemStamps()) }
        #expect(ContinuousClock.now - started < .seconds(1))
        await database.close()
    }
}
