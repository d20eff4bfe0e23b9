import Foundation
import Testing

@testable import SQLGenRuntime

@Suite("Tenant reads sent along in one round trip", .serialized)
struct TenancyBatchedReadTests {
    /// A tenant pool of one connection, sending up to 8 reads per round trip.
    static func pool(_ configuration: PostgresConfiguration) throws -> TenantPool {
        var options = PoolOptions()
        options.maxConnections = 1
        options.acquireTimeout = .seconds(30)
        options.readsPerRoundTrip = 8
        return try TenantPool(configuration: configuration, poolOptions: options)
    }

    @Test("waiting reads go in one round trip: each gets its own tenant's rows, or its own error")
    func batchedReadsSucceedOrFailAlone() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_batched")
        let database = try Self.pool(configuration)
        let tenants = try await TenancyStressTests.provision(database, count: 4)
        for tenant in tenants {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                #expect(try await database.query(QualifiedItemStamps()) == [tenant.subdomain])
                #expect(try await database.query(QualifiedEverything()).count == 1)
            }
        }
        // t2's schema is dropped and t3's table drifts behind the runtime's back, after their reads were prepared.
        try await TenancyDatabase.admin(
            configuration,
            "DROP SCHEMA tenant_t2 CASCADE; ALTER TABLE tenant_t3.items ADD COLUMN extra text DEFAULT 'x'")
        let before = await database.pool.readsSentAlong
        // The only connection is held by a slow read while sixteen reads queue up behind it.
        let holder = Task {
            try await withTenant(tenants[0]) { try await database.query(QualifiedSlowStamps(seconds: 0.3)) }
        }
        try await Task.sleep(for: .milliseconds(100))
        let outcomes = await withTaskGroup(of: (Int, Result<[String], SQLGenError>).self) { group in
            for index in 0..<16 {
                let tenant = tenants[index % 4]
                group.addTask {
                    do {
                        let rows = try await withTenant(tenant) { try await database.query(QualifiedEverything()) }
                        return (index, .success(rows.map { $0["tenant"] ?? "?" } + rows.map { "\($0.columns.count)" }))
                    } catch let error as SQLGenError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(SQLGenError(.cancelled, message: "\(error)")))
                    }
                }
            }
            var outcomes: [(Int, Result<[String], SQLGenError>)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(try await holder.value == ["t0"])
        for (index, outcome) in outcomes {
            switch (index % 4, outcome) {
            case (2, .failure(let error)):
                #expect(error.kind == .tenantSchemaUnavailable, "\(error)")
            case (3, .success(let values)):
                #expect(values == ["t3", "4"])
            case (let tenant, .success(let values)) where tenant < 2:
                #expect(values == ["t\(tenant)", "3"])
            default:
                Issue.record("read \(index): \(outcome)")
            }
        }
        let sentAlong = await database.pool.readsSentAlong - before
        #expect(sentAlong >= 8, "\(sentAlong) reads were sent along with another's")
        await database.close()
    }

    @Test("a connection lost during a round trip of reads: each read runs again on a new connection")
    func batchedReadsSurviveALostConnection() async throws {
        var configuration = try await TenancyDatabase.create("tenancy_batched_lost")
        configuration.applicationName = "sqlgen-batched-lost"
        let database = try Self.pool(configuration)
        let tenants = try await TenancyStressTests.provision(database, count: 2)
        for tenant in tenants {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                #expect(try await database.query(QualifiedSlowStamps(seconds: 0)) == [tenant.subdomain])
            }
        }
        let before = await database.pool.readsSentAlong
        let holder = Task {
            try await withTenant(tenants[0]) { try await database.query(QualifiedSlowStamps(seconds: 0.2)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        let readers = (0..<4).map { index in
            Task {
                try await withTenant(tenants[index % 2]) { try await database.query(QualifiedSlowStamps(seconds: 0.4)) }
            }
        }
        // The four slow reads go together once the holder is done; end the connection in their midst.
        try await Task.sleep(for: .milliseconds(600))
        #expect(await database.pool.readsSentAlong - before == 3)
        let killed = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
                + "WHERE application_name = 'sqlgen-batched-lost' AND pid <> pg_catalog.pg_backend_pid() "
                + "AND query LIKE '%pg_sleep%'")
        #expect(killed == ["t"])
        #expect(try await holder.value == ["t0"])
        for (index, reader) in readers.enumerated() {
            #expect(try await reader.value == [tenants[index % 2].subdomain])
        }
        await database.close()
    }
}
