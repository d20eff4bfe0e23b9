import Foundation
import Testing

@testable import SQLGenRuntime

/// PostgreSQL searches `pg_temp` before every schema on the path unless the path names it. A temp
/// table or view one tenant's plain SQL leaves on a pooled connection must never catch the next
/// tenant's reads or writes: every path the runtime sets names `pg_temp` last.
@Suite("Temp objects never shadow tenant tables")
struct TenancyTempObjectTests {
    @Test(
        "a temp table or view left by one tenant neither shows its rows to the next nor takes its writes",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func tempObjectsDoNotShadow(switching: TenantSwitching) async throws {
        let name = switching == .sessionAffinity ? "tenancy_temp_session" : "tenancy_temp_local"
        let configuration = try await TenancyDatabase.create(name)
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        // One connection, so every lease below gets the one acme's SQL ran on.
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1, switching: switching)
        defer { Task { await database.close() } }

        // One session, two tenants: a tenant transaction routes each statement by the current tenant, so
        // globex's statements run on the session where acme's plain SQL made a temp table, then a temp view.
        try await withTenant(acme) {
            try await database.withTransaction { transaction in
                _ = try await transaction.execute(
                    PlainStatement(
                        "CREATE TEMP TABLE items (id bigserial, tenant text, value integer NOT NULL DEFAULT 0)",
                        scope: .tenant))
                _ = try await transaction.execute(
                    PlainStatement("INSERT INTO pg_temp.items (tenant) VALUES ('acme-temp')", scope: .tenant))
                try await withTenant(globex) {
                    _ = try await transaction.execute(InsertItem(tenant: "globex", value: 1))
                    #expect(try await transaction.query(ItemStamps()) == ["globex"])
                }
                _ = try await transaction.execute(PlainStatement("DROP TABLE pg_temp.items", scope: .tenant))
                _ = try await transaction.execute(
                    PlainStatement("CREATE TEMP VIEW items AS SELECT * FROM tenant_acme.items", scope: .tenant))
                try await withTenant(globex) {
                    _ = try await transaction.execute(InsertItem(tenant: "globex", value: 2))
                    #expect(try await transaction.query(ItemStamps()) == ["globex", "globex"])
                }
            }
        }
        #expect(
            try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_globex.items")
                == ["globex", "globex"])
        #expect(try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_acme.items") == [])
        let qualified = try await withTenant(globex) { try await database.query(QualifiedItemStamps()) }
        #expect(qualified == ["globex", "globex"])
        if switching == .sessionAffinity {
            let connection = try await database.pool.acquire()
            let path = try await connection.query(PlainStatement("SHOW search_path")).first?.values.first ?? nil
            await database.pool.release(connection)
            #expect(path?.hasSuffix(", pg_temp") == true, "\(path ?? "")")
        }
    }
}

/// libpq takes parameters as C strings: a NUL in a text value would cut it short there, so that
/// `"acme\0-evil"` would be sent as `"acme"`. Such a value is refused, naming the parameter.
@Suite("Text is never truncated")
struct NULParameterTests {
    @Test("a NUL in a parameter, or in a registry key, is a typed error and nothing is sent")
    func nulIsRefused() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_nul")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        defer { Task { await database.close() } }
        await expectFailure(.invalidParameter) {
            try await withTenant(acme) { _ = try await database.execute(InsertItem(tenant: "acme\u{0}x", value: 1)) }
        }
        await expectFailure(.invalidParameter) {
            try await database.withTenant(subdomain: "acme\u{0}x") { _ = try await database.query(ItemStamps()) }
        }
        let connection = try await PostgresSession.connect(configuration)
        defer { Task { await connection.close() } }
        do {
            _ = try await connection.query(
                PlainStatement("SELECT $1::text, $2::text", bindings: bindings("a", "b\u{0}c")))
            Issue.record("a NUL in $2 was sent")
        } catch {
            #expect(error.kind == .invalidParameter)
            #expect(error.message.contains("$2"))
        }
        #expect(try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_acme.items") == [])
    }
}
