import Foundation
import Testing

@testable import SQLGenRuntime

/// A tenant-scoped statement handed to an executor that does not route (a connection, a plain pool,
/// a plain transaction) would run in whatever schema the session's path names: another tenant's, or
/// `public`. Every such executor refuses it before a byte is sent.
@Suite("Tenant statements are routed or refused")
struct TenancyUnroutedTests {
    @Test("a connection, a plain pool and a plain transaction refuse tenant-scoped statements of every kind")
    func unroutedExecutorsRefuse() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_unrouted")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        // The session's path names acme's schema, as a connection a tenant pool lent last could.
        var onAcme = configuration
        onAcme.parameters["options"] = "-csearch_path=tenant_acme,public"
        let connection = try await PostgresSession.connect(onAcme)
        defer { Task { await connection.close() } }
        let pool = PostgresPool(configuration: onAcme)
        defer { Task { await pool.close() } }

        await withTenant(acme) {
            let executors: [(String, any SQLExecutor)] = [("connection", connection), ("pool", pool)]
            for (label, executor) in executors {
                await expectFailure(.tenantStatementNotRouted) {
                    _ = try await executor.execute(InsertItem(tenant: "via-\(label)", value: 1))
                }
                await expectFailure(.tenantStatementNotRouted) { _ = try await executor.query(ItemStamps()) }
                await expectFailure(.tenantStatementNotRouted) {
                    _ = try await executor.executeResult(PlainStatement("DELETE FROM items", scope: .tenant))
                }
                await expectFailure(.tenantStatementNotRouted) {
                    _ = try await executor.executeBatch([InsertItem(tenant: "via-\(label)-batch", value: 1)])
                }
                await expectFailure(.tenantStatementNotRouted) {
                    _ = try await executor.copy([CopyItem(tenant: "via-\(label)-copy", value: 1)])
                }
                await expectFailure(.tenantStatementNotRouted) {
                    for try await _ in executor.stream(ItemStamps()) {}
                }
            }
            await expectFailure(.tenantStatementNotRouted) {
                try await pool.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: "via-transaction", value: 1))
                }
            }
        }
        // Global and unscoped statements still run anywhere.
        #expect(try await connection.queryFirst(GlobalSchemas()) != nil)
        #expect(try await pool.query(PlainStatement("SELECT 1 AS one")).first?["one"] == "1")
        #expect(try await TenancyDatabase.adminValues(configuration, "SELECT count(*) FROM tenant_acme.items") == ["0"])
    }
}
