import Foundation
import Testing

@testable import SQLGenRuntime

/// A qualified read that reports the session's search path as it ran, then how many of the current
/// tenant's items carry `tenant`.
struct QualifiedPathAndCount: SQLStatement {
    typealias Row = String
    static var name: String { "QualifiedPathAndCount" }
    static var sql: String {
        "SELECT pg_catalog.current_setting('search_path') || ' ' || count(*) FROM items WHERE tenant = $1"
    }
    static var scope: StatementScope { .tenant }
    static var tenantNameOffsets: [Int]? { [73] }
    var tenant: String
    func bind(to bindings: inout SQLBindings) { bindings.append(tenant) }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "path") }
}

/// A read whose offsets do not start a name (as if written for other SQL): it runs under the tenant's path.
struct MisplacedOffsets: SQLStatement {
    typealias Row = String
    static var name: String { "MisplacedOffsets" }
    static var sql: String { "SELECT tenant FROM items ORDER BY id" }
    static var scope: StatementScope { .tenant }
    static var tenantNameOffsets: [Int]? { [20] }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "tenant") }
}

@Suite("Tenant reads with qualified names")
struct TenancyQualifiedReadTests {
    @Test("a qualified read runs on the shared path, whatever tenant's path the connection was left on")
    func qualifiedReadsUseTheSharedPath() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_qualified")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await withTenant(globex) { _ = try await database.execute(InsertItem(tenant: "globex", value: 1)) }
        for tenant in [acme, globex, acme] {
            try await withTenant(tenant) {
                // A write leaves the only connection on the tenant's own path ...
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                #expect(
                    await database.pool.idleConnections.first?.searchPath
                        == SearchPathRoute(tenant: tenant, sharedSchemas: ["public"]).setting)
            }
            // ... and the other tenant's qualified read, on that connection, sees only its own rows, with
            // nothing but the shared schemas on the path.
            let other = tenant == acme ? globex : acme
            try await withTenant(other) {
                let stamps = try await database.query(QualifiedItemStamps())
                #expect(!stamps.isEmpty && stamps.allSatisfy { $0 == other.subdomain }, "\(stamps)")
                let path = try await database.queryFirst(QualifiedPathAndCount(tenant: other.subdomain))
                #expect(path?.hasPrefix("\"public\", pg_temp ") == true, "\(path ?? "")")
            }
            #expect(await database.pool.idleConnections.first?.searchPath == "\"public\", pg_temp")
        }
        await database.close()
    }

    @Test("offsets that do not start a name are not used: the read runs under the tenant's path")
    func misplacedOffsetsFallBackToThePath() async throws {
        #expect(TenantQualifiedSQL.qualify("SELECT tenant FROM items", quotedSchema: "\"t\"", at: [20]) == nil)
        #expect(TenantQualifiedSQL.qualify("SELECT tenant FROM items", quotedSchema: "\"t\"", at: [99]) == nil)
        #expect(TenantQualifiedSQL.qualify("SELECT a FROM x, y", quotedSchema: "\"t\"", at: [17, 14]) == nil)
        #expect(TenantQualifiedSQL.qualify("SELECT a FROM s.x", quotedSchema: "\"t\"", at: [16]) == nil)
        #expect(
            TenantQualifiedSQL.qualify("SELECT a FROM x, \"Y\"", quotedSchema: "\"t\"", at: [14, 17])
                == "SELECT a FROM \"t\".x, \"t\".\"Y\"")
        let configuration = try await TenancyDatabase.create("tenancy_misplaced")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        try await withTenant(acme) {
            _ = try await database.execute(InsertItem(tenant: "acme", value: 1))
            #expect(try await database.query(MisplacedOffsets()) == ["acme"])
        }
        #expect(
            await database.pool.idleConnections.first?.searchPath
                == SearchPathRoute(tenant: acme, sharedSchemas: ["public"]).setting)
        await database.close()
    }
}
