import Foundation
import SQLGenWire
import Testing

@testable import SQLGenRuntime

/// Attacks an adversarial review found through the public API, each kept as a test.
@Suite("Tenancy review findings")
struct TenancyReviewFindingTests {
    struct Abort: Error {}

    @Test("child tasks sharing a tenant transaction, each with its own tenant: streams and batches stay in theirs")
    func sharedTransactionOperationsTakeTurns() async throws {
        let configuration = try await TenancyDatabase.create("review_shared_transaction")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        try await TenancyDatabase.admin(
            configuration,
            "INSERT INTO tenant_acme.items (tenant) VALUES ('acme'); INSERT INTO tenant_globex.items (tenant) VALUES ('globex')"
        )
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        let streamed: [String] = try await withTenant(acme) {
            try await database.withTransaction { transaction in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    group.addTask {
                        _ = try await transaction.query(
                            PlainStatement("SELECT pg_catalog.pg_sleep(0.3)", scope: .tenant))
                        return []
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(100))
                        return try await withTenant(globex) {
                            _ = try await transaction.executeBatch([InsertItem(tenant: "globex-batch", value: 1)])
                            var stamps: [String] = []
                            for try await stamp in transaction.stream(ItemStamps()) { stamps.append(stamp) }
                            return stamps
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(200))
                        _ = try await transaction.query(ItemStamps())
                        return []
                    }
                    var all: [String] = []
                    for try await stamps in group { all += stamps }
                    return all
                }
            }
        }
        #expect(streamed == ["globex", "globex-batch"])
        #expect(
            try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_acme.items") == ["acme"])
    }

    @Test("a tenant transaction kept after its withTransaction returned is refused")
    func anEndedTransactionIsRefused() async throws {
        let configuration = try await TenancyDatabase.create("review_escaped_transaction")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        let stash = LockedState<TenantTransaction?>(nil)
        try await withTenant(acme) {
            try await database.withTransaction { transaction in stash.withLock { $0 = transaction } }
        }
        let escaped = try #require(stash.withLock { $0 })
        do {
            try await withTenant(globex) {
                try await database.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: "globex", value: 1))
                    await expectFailure(.transactionEnded) {
                        _ = try await withTenant(acme) {
                            try await escaped.execute(InsertItem(tenant: "acme-late", value: 1))
                        }
                    }
                    throw Abort()
                }
            }
        } catch is Abort {}
        #expect(try await TenancyDatabase.adminValues(configuration, "SELECT count(*) FROM tenant_acme.items") == ["0"])
    }

    @Test("a batch of different plain statements runs each one's own SQL; mixed scopes are refused")
    func mixedPlainBatchesRunTheirOwnSQL() async throws {
        let configuration = try await TenancyDatabase.create("review_mixed_batch")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        try await withTenant(acme) {
            let counts = try await database.executeBatch([
                PlainStatement("INSERT INTO items (tenant) VALUES ('one'), ('two')", scope: .tenant),
                PlainStatement("DELETE FROM items WHERE tenant = 'one'", scope: .tenant),
            ])
            #expect(counts == [2, 1])
            #expect(try await database.query(ItemStamps()) == ["two"])
            await expectFailure(.undeclaredScope) {
                _ = try await database.executeBatch([
                    PlainStatement("SELECT 1", scope: .tenant), PlainStatement("SELECT 1", scope: .global),
                ])
            }
        }
    }

    @Test("a subdomain is compared in ASCII lower case: the Kelvin sign does not reach kilo")
    func unicodeCaseFoldingDoesNotAliasTenants() async throws {
        let configuration = try await TenancyDatabase.create("review_kelvin")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let kilo = try await provisioner.createTenant(name: "Kilo", subdomain: "kilo")
        #expect(try await database.registry.tenant(subdomain: "KILO").id == kilo.id)
        do {
            let aliased = try await database.registry.tenant(subdomain: "\u{212A}ilo")
            Issue.record("the Kelvin sign reached \(aliased.subdomain)")
        } catch {
            #expect(error.kind == .unknownTenant)
        }
    }
}
