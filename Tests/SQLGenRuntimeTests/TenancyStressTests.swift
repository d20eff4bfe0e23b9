import Foundation
import SQLGenWire
import Testing

@testable import SQLGenRuntime

/// A slow read, to be cancelled or to hold a connection.
struct SlowStamps: SQLStatement {
    typealias Row = String
    static var name: String { "SlowStamps" }
    static var sql: String { "SELECT tenant FROM items, pg_catalog.pg_sleep($1) AS pause LIMIT 1" }
    static var scope: StatementScope { .tenant }
    var seconds: Double
    func bind(to bindings: inout SQLBindings) { bindings.append(seconds) }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "tenant") }
}

/// ``SlowStamps`` with its tenant name qualified by the tenant pool.
struct QualifiedSlowStamps: SQLStatement {
    typealias Row = String
    static var name: String { "QualifiedSlowStamps" }
    static var sql: String { SlowStamps.sql }
    static var scope: StatementScope { .tenant }
    static var tenantNameOffsets: [Int]? { [19] }
    var seconds: Double
    func bind(to bindings: inout SQLBindings) { bindings.append(seconds) }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "tenant") }
}

/// A counter shared by concurrent tasks.
final class SharedCount: Sendable {
    private let state = LockedState(0)
    var value: Int { state.withLock { $0 } }
    func add(_ amount: Int) { state.withLock { $0 += amount } }
    func raise(to candidate: Int) { state.withLock { $0 = max($0, candidate) } }
}

@Suite("Tenant isolation under load", .serialized)
struct TenancyStressTests {
    /// Provisions `count` tenants named t0, t1, ... with the items template, `parallelism` at a time.
    static func provision(_ database: TenantPool, count: Int, parallelism: Int = 4) async throws -> [RegisteredTenant] {
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        return try await withThrowingTaskGroup(of: RegisteredTenant.self) { group in
            var tenants: [RegisteredTenant] = []
            var next = 0
            while next < min(parallelism, count) {
                let index = next
                group.addTask { try await provisioner.createTenant(name: "Tenant \(index)", subdomain: "t\(index)") }
                next += 1
            }
            while let tenant = try await group.next() {
                tenants.append(tenant)
                if next < count {
                    let index = next
                    group.addTask {
                        try await provisioner.createTenant(name: "Tenant \(index)", subdomain: "t\(index)")
                    }
                    next += 1
                }
            }
            return tenants.sorted { $0.subdomain < $1.subdomain }
        }
    }

    @Test("64 tasks, 20 tenants, 10,000 operations with cancellations, rollbacks and killed connections: no leak")
    func isolationUnderStress() async throws {
        var configuration = try await TenancyDatabase.create("tenancy_stress")
        configuration.applicationName = "sqlgen-stress"
        let maxConnections = 12
        let database = try TenancyDatabase.pool(configuration, maxConnections: maxConnections)
        let tenants = try await Self.provision(database, count: 20)
        let admin = try await PostgresSession.connect(try TestDatabase.configuration())
        let leaks = SharedCount()
        let succeeded = SharedCount()
        let killed = SharedCount()
        let operations = 10_000
        let tasks = 64

        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    for step in 0..<(operations / tasks + (task < operations % tasks ? 1 : 0)) {
                        let tenant = tenants.randomElement(using: &generator) ?? tenants[0]
                        let roll = Int.random(in: 0..<100, using: &generator)
                        do {
                            try await withTenant(tenant) {
                                try await Self.operation(
                                    roll, step: step, tenant: tenant, database: database, admin: admin, leaks: leaks,
                                    killed: killed)
                            }
                            succeeded.add(1)
                        } catch let error as SQLGenError {
                            // Killed connections, cancellations and thrown business errors are expected;
                            // a path check failing would mean a statement was about to run in the wrong schema.
                            #expect(error.kind != .tenantSchemaUnavailable, "\(error)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        await admin.close()

        #expect(leaks.value == 0)
        #expect(killed.value > 0)
        // Reads of different tenants went to the server together, each qualified with its own schema.
        #expect(await database.pool.readsSentAlong > 0)
        #expect(succeeded.value > operations * 8 / 10)
        // Every row is in its own tenant's schema, and nothing from a rolled-back transaction survived.
        for tenant in tenants {
            let stamps = try await TenancyDatabase.adminValues(
                configuration, "SELECT DISTINCT tenant FROM \(tenant.schemaName).items")
            #expect(stamps == [tenant.subdomain], "\(tenant.schemaName) holds \(stamps)")
            let undone = try await TenancyDatabase.adminValues(
                configuration, "SELECT count(*) FROM \(tenant.schemaName).items WHERE value < 0")
            #expect(undone == ["0"])
        }
        // The pool is within its limits, nothing is left in a transaction, and every idle connection is on
        // the path the pool believes (or the pool admits it does not know).
        #expect(await database.pool.connectionCount <= maxConnections)
        let inTransaction = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sqlgen-stress' AND state <> 'idle' AND pid <> pg_backend_pid()"
        )
        #expect(inTransaction == ["0"])
        var checked = 0
        for (connection, believed) in await database.pool.idleConnections {
            // A connection killed while idle is found out (and replaced) when next used; skip it here.
            guard
                let actual = try? await connection.queryFirst(
                    PlainStatement("SELECT pg_catalog.current_setting('search_path') AS path"))
            else { continue }
            checked += 1
            if let believed { #expect(actual["path"] == believed) }
        }
        #expect(checked > 0)
        await database.close()
    }

    /// One random operation for `tenant`; records a leak when a read sees another tenant's row.
    static func operation(
        _ roll: Int, step: Int, tenant: RegisteredTenant, database: TenantPool, admin: PostgresSession,
        leaks: SharedCount, killed: SharedCount
    ) async throws {
        @Sendable func check(_ stamps: [String]) {
            if stamps.contains(where: { $0 != tenant.subdomain }) { leaks.add(1) }
        }
        switch roll {
        case 0..<40:
            _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: Int32(step)))
        case 40..<55:
            check(try await database.query(ItemStamps()))
        case 55..<70:
            // The same read with its tenant name qualified, on the shared path.
            check(try await database.query(QualifiedItemStamps()))
        case 70..<80:
            // A business error inside a transaction: both rows are rolled back.
            do {
                try await database.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: tenant.subdomain, value: -1))
                    check(try await transaction.query(ItemStamps()))
                    throw SQLGenError(.server, message: "business rule failed")
                }
            } catch let error as SQLGenError where error.message == "business rule failed" {}
        case 80..<90:
            // A savepoint rolled back inside a committed transaction.
            try await database.withTransaction { transaction in
                _ = try await transaction.execute(InsertItem(tenant: tenant.subdomain, value: Int32(step)))
                try? await transaction.withTransaction { nested in
                    _ = try await nested.execute(InsertItem(tenant: tenant.subdomain, value: -2))
                    throw SQLGenError(.server, message: "undo the savepoint")
                }
                check(try await transaction.query(ItemStamps()))
            }
        case 90..<96:
            // Cancelled mid-statement.
            let slow = Task {
                step.isMultiple(of: 2)
                    ? try await database.query(SlowStamps(seconds: 0.2))
                    : try await database.query(QualifiedSlowStamps(seconds: 0.2))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
            slow.cancel()
            if let stamps = try? await slow.value { check(stamps) }
        default:
            // Kill one of the pool's connections on the server.
            let result = try await admin.query(
                PlainStatement(
                    """
                    SELECT pg_catalog.pg_terminate_backend(pid) AS killed FROM pg_catalog.pg_stat_activity
                    WHERE application_name = 'sqlgen-stress' ORDER BY random() LIMIT 1
                    """))
            if result.first?["killed"] == "t" { killed.add(1) }
        }
    }

    @Test(
        "1,000 tenants through a pool capped at 20: never more than 20 server connections (and the registry's), every request done"
    )
    func capAcrossManyTenants() async throws {
        var configuration = try await TenancyDatabase.create("tenancy_cap")
        configuration.applicationName = "sqlgen-cap"
        let database = try TenancyDatabase.pool(configuration, maxConnections: 20)
        let tenants = try await Self.provision(database, count: 1_000)
        let monitor = try await PostgresSession.connect(configuration)
        let highest = SharedCount()
        let done = SharedCount()
        let watcher = Task {
            while done.value == 0 {
                let rows = try await monitor.query(
                    PlainStatement(
                        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'sqlgen-cap' "
                            + "AND pid <> pg_backend_pid()"))
                let count = Int(rows.first?["n"] ?? "0") ?? 0
                highest.raise(to: count)
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        let completed = SharedCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    for index in stride(from: task, to: tenants.count * 2, by: 64) {
                        let tenant = tenants[index % tenants.count]
                        try await withTenant(tenant) {
                            _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                            let stamps = try await database.query(ItemStamps())
                            #expect(Set(stamps) == [tenant.subdomain])
                        }
                        completed.add(1)
                    }
                }
            }
            try await group.waitForAll()
        }
        done.add(1)
        try await watcher.value
        await monitor.close()
        #expect(completed.value == 2_000)
        // The pool's 20, and the registry's own connection for lookups.
        #expect(highest.value <= 21)
        #expect(highest.value > 1)
        #expect(await database.pool.connectionCount <= 20)
        await database.close()
    }

    @Test("a per-tenant cap keeps one busy tenant from starving the rest")
    func busyTenantDoesNotStarveOthers() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_fairness")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 4, perTenant: 2)
        let tenants = try await Self.provision(database, count: 2)
        let (busy, quiet) = (tenants[0], tenants[1])
        for tenant in tenants {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let backlog = Task {
            try await withTenant(busy) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<20 { group.addTask { _ = try await database.query(SlowStamps(seconds: 0.05)) } }
                    try await group.waitForAll()
                }
            }
            return clock.now - started
        }
        try await Task.sleep(for: .milliseconds(60))
        let quietStarted = clock.now
        try await withTenant(quiet) { _ = try await database.query(SlowStamps(seconds: 0.05)) }
        let quietWaited = clock.now - quietStarted
        let backlogTook = try await backlog.value
        // The busy tenant holds at most 2 of the 4 connections (20 × 50 ms over 2 connections: about half a
        // second; over all 4 it would take a quarter), so the quiet one never queues behind its backlog: its own
        // 50 ms, where first come, first served would put it behind 16 waiting requests (over 250 ms).
        #expect(backlogTook > .milliseconds(450))
        #expect(quietWaited < .milliseconds(180), "the quiet tenant waited \(quietWaited)")
        await database.close()
    }
}
