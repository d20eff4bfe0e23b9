import Foundation
import Testing

@testable import SQLGenRuntime

/// The registry is the only source of schema names, so what it caches must be committed and must never
/// send two tenants to one schema.
@Suite("The registry is never wrong")
struct TenancyRegistryTruthTests {
    struct RolledBack: Error {}

    @Test("a lookup inside a caller's transaction sees only committed rows, and caches nothing it saw there")
    func uncommittedRowsAreNeverCached() async throws {
        let configuration = try await TenancyDatabase.create("registry_committed", registryCheck: false)
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        try await TenancyDatabase.admin(
            configuration,
            "CREATE SCHEMA tenant_evil; CREATE TABLE tenant_evil.items (LIKE tenant_acme.items INCLUDING ALL)")
        // A fresh pool: nothing about acme is cached, so the first tenant statement looks acme up.
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        try await withTenant(acme) {
            do {
                try await database.withTransaction { transaction in
                    _ = try await transaction.execute(
                        PlainStatement(
                            "UPDATE public.tenants SET schema_name = 'tenant_evil' WHERE subdomain = 'acme'",
                            scope: .global))
                    _ = try await transaction.execute(InsertItem(tenant: "in-transaction", value: 1))
                    throw RolledBack()
                }
            } catch is RolledBack {}
            _ = try await database.execute(InsertItem(tenant: "after", value: 1))
        }
        #expect(try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_evil.items") == [])
        #expect(
            try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_acme.items") == ["after"])
    }

    @Test("after two tenants' schemas are swapped, the cache never holds both on one schema")
    func aSwapNeverMapsTwoTenantsToOneSchema() async throws {
        let configuration = try await TenancyDatabase.create("registry_swap", registryCheck: false)
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        defer { Task { await database.close() } }
        _ = try await database.registry.tenant(id: acme.id)
        _ = try await database.registry.tenant(id: globex.id)
        try await TenancyDatabase.admin(
            configuration,
            """
            BEGIN;
            UPDATE public.tenants SET schema_name = 'tenant_swap' WHERE subdomain = 'acme';
            UPDATE public.tenants SET schema_name = 'tenant_acme' WHERE subdomain = 'globex';
            UPDATE public.tenants SET schema_name = 'tenant_globex' WHERE subdomain = 'acme';
            COMMIT;
            """)
        // Globex's entry expires first (as each entry keeps its own clock): it is read again.
        database.registry.invalidate(globex)
        let newGlobex = try await database.registry.tenant(id: globex.id)
        #expect(newGlobex.schemaName == "tenant_acme")
        let cachedAcme = try await database.registry.tenant(id: acme.id)
        #expect(cachedAcme.schemaName != newGlobex.schemaName)
        #expect(cachedAcme.schemaName == "tenant_globex")
        let bySchema = try await database.registry.tenant(schemaName: "tenant_acme")
        #expect(bySchema.id == globex.id)
    }
}
