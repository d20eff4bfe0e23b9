import Foundation
import Testing

@testable import SQLGenRuntime

@Suite("Tenant routing")
struct TenancyRoutingTests {
    @Test("statements run in the current tenant's schema, global ones in the shared schemas only")
    func routesByScope() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_routing")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        for tenant in [acme, globex, acme, globex] {
            try await withTenant(tenant) {
                #expect(RegisteredTenant.current == tenant)
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                #expect(try await database.queryFirst(CurrentSchemas()) == [tenant.schemaName, "public"])
                #expect(try await database.queryFirst(GlobalSchemas()) == ["public"])
            }
        }
        try await database.withTenant(subdomain: "ACME") {
            let stamps = try await database.query(ItemStamps())
            #expect(stamps == ["acme", "acme"])
        }
        try await database.withTenant(id: globex.id) {
            let stamps = try await database.query(ItemStamps())
            #expect(stamps == ["globex", "globex"])
            // Child tasks inherit the tenant.
            async let child = database.query(ItemStamps())
            let childStamps = try await child
            #expect(childStamps == ["globex", "globex"])
        }
        #expect(try await database.queryFirst(GlobalSchemas()) == ["public"])
        await expectFailure(.noTenant) { _ = try await database.query(ItemStamps()) }
        await expectFailure(.undeclaredScope) { _ = try await database.query(PlainStatement("SELECT 1")) }
        let plain = try await withTenant(acme) {
            try await database.query(PlainStatement("SELECT count(*) AS n FROM items", scope: .tenant))
        }
        #expect(plain.first?["n"] == "2")
        await database.close()
    }

    @Test("a path changed behind the runtime's back, or undone by ROLLBACK, is set again and checked")
    func pathIsVerifiedWhenUnsure() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_unsure")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await withTenant(acme) { _ = try await database.execute(InsertItem(tenant: "acme", value: 1)) }
        try await withTenant(globex) { _ = try await database.execute(InsertItem(tenant: "globex", value: 1)) }

        // The only connection is on globex's path; a session SET moves it to acme's without telling the runtime.
        let connection = try await database.pool.acquire()
        let before = await connection.knownSearchPath
        #expect(before == SearchPathRoute(tenant: globex, sharedSchemas: ["public"]).setting)
        _ = try await connection.query(
            PlainStatement("SELECT pg_catalog.set_config('search_path', 'tenant_acme, public', false)"))
        await database.pool.release(connection)
        try await withTenant(globex) {
            let stamps = try await database.query(ItemStamps())
            #expect(stamps == ["globex"])
        }

        // A SET inside a transaction that rolls back leaves the session where it was.
        try await withTenant(acme) {
            await #expect(throws: SQLGenError.self) {
                try await database.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: "acme", value: 2))
                    throw SQLGenError(.server, message: "business rule failed")
                }
            }
            let stamps = try await database.query(ItemStamps())
            #expect(stamps == ["acme"])
        }
        try await withTenant(globex) {
            try await database.withTransaction { transaction in
                _ = try await transaction.execute(InsertItem(tenant: "globex", value: 2))
                try? await transaction.withTransaction { nested in
                    _ = try await nested.execute(InsertItem(tenant: "globex", value: 3))
                    throw SQLGenError(.server, message: "undo the savepoint")
                }
                // Switching tenants inside one transaction routes each statement anew.
                try await withTenant(acme) {
                    let stamps = try await transaction.query(ItemStamps())
                    #expect(stamps == ["acme"])
                }
                #expect(try await transaction.query(ItemStamps()) == ["globex", "globex"])
            }
        }
        await database.close()
    }

    @Test("batches, COPY and streams through the tenant pool stay in the tenant's schema")
    func bulkOperationsAreRouted() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_bulk")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await withTenant(acme) {
            let counts = try await database.executeBatch((0..<10).map { InsertItem(tenant: "acme", value: Int32($0)) })
            #expect(counts == Array(repeating: 1, count: 10))
        }
        try await withTenant(globex) {
            _ = try await database.executeBatch([InsertItem(tenant: "globex", value: 1)])
            var streamed: [String] = []
            for try await stamp in database.stream(ItemStamps()) { streamed.append(stamp) }
            #expect(streamed == ["globex"])
        }
        try await withTenant(acme) {
            let rows = AsyncStream<CopyItem> { continuation in
                for value in 0..<5 { continuation.yield(CopyItem(tenant: "acme", value: Int32(value))) }
                continuation.finish()
            }
            let streamedCopy = try await database.copy(from: rows)
            let arrayCopy = try await database.copy([CopyItem(tenant: "acme", value: 5)])
            #expect(streamedCopy == 5)
            #expect(arrayCopy == 1)
        }
        try await withTenant(acme) {
            var streamed = 0
            for try await stamp in database.stream(ItemStamps()) {
                #expect(stamp == "acme")
                streamed += 1
            }
            #expect(streamed == 16)
        }
        await database.close()
    }

    @Test("template SQL is retargeted in identifiers and bodies, never in strings or comments")
    func retargeting() {
        let sql = """
            CREATE SCHEMA tenant_template; -- tenant_template stays in comments
            CREATE TABLE tenant_template.users (id int, note text DEFAULT 'tenant_template.users');
            COMMENT ON SCHEMA "tenant_template" IS 'tenant_template''s copy';
            CREATE FUNCTION Tenant_Template.f() RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM tenant_template.users $$;
            /* tenant_template */ SELECT tenant_templates.x, my_tenant_template FROM t;
            """
        let expected = """
            CREATE SCHEMA "tenant_acme"; -- tenant_template stays in comments
            CREATE TABLE "tenant_acme".users (id int, note text DEFAULT 'tenant_template.users');
            COMMENT ON SCHEMA "tenant_acme" IS 'tenant_template''s copy';
            CREATE FUNCTION "tenant_acme".f() RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM "tenant_acme".users $$;
            /* tenant_template */ SELECT tenant_templates.x, my_tenant_template FROM t;
            """
        #expect(SchemaRetargeting.retarget(sql, from: "tenant_template", to: "tenant_acme") == expected)
        #expect(!SchemaRetargeting.mentions("SELECT 'tenant_template' -- tenant_template", schema: "tenant_template"))
    }

    @Test("schema names: plain lower-case identifiers matching the allowlist, nothing else")
    func schemaNames() {
        for good in ["tenant_acme", "tenant_a1_b2"] {
            #expect(SchemaName.matches(good, pattern: "tenant_[a-z0-9_]{1,56}"))
        }
        let bad = [
            "tenant_\"x", "tenant_a,public", "$user", "pg_temp", "Tenant_Upper",
            "tenant_" + String(repeating: "a", count: 57),
            "tenant_\u{0430}cme", "public", "tenant_a b", "tenant_a;drop", "", "pg_catalog", "tenant_",
        ]
        for name in bad { #expect(!SchemaName.matches(name, pattern: "tenant_[a-z0-9_]{1,56}"), "\(name)") }
        #expect(SchemaName.quoted("a\"b") == "\"a\"\"b\"")
    }
}
