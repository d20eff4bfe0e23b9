import Foundation
import Testing

@testable import SQLGenRuntime

/// The second wall: with tenant roles, a statement of one tenant cannot read or write another
/// tenant's schema even when its search path is wrong, and cannot touch the registry.
@Suite("Tenant roles, the second wall", .serialized)
struct TenancySecondWallTests {
    /// A tenant pool over `configuration` with tenant roles named `prefix` + schema (or none).
    static func pool(
        _ configuration: PostgresConfiguration, roles: TenantRoles?, switching: TenantSwitching = .sessionAffinity
    ) throws -> TenantPool {
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = 2
        poolOptions.acquireTimeout = .seconds(20)
        var tenancy = TenancyOptions()
        tenancy.switching = switching
        tenancy.tenantRoles = roles
        return try TenantPool(configuration: configuration, poolOptions: poolOptions, tenancy: tenancy)
    }

    /// A database with Acme and Globex (one item each), their roles made with `prefix`.
    static func setUp(_ name: String, prefix: String) async throws -> (
        PostgresConfiguration, RegisteredTenant, RegisteredTenant
    ) {
        let configuration = try await TenancyDatabase.create(name)
        let provisioning = try pool(configuration, roles: TenantRoles(prefix: prefix))
        let provisioner = TenantProvisioner(tenantPool: provisioning, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await provisioning.withTenant(subdomain: "acme") {
            _ = try await provisioning.execute(InsertItem(tenant: "acme-secret", value: 1))
        }
        try await provisioning.withTenant(subdomain: "globex") {
            _ = try await provisioning.execute(InsertItem(tenant: "globex-secret", value: 2))
        }
        await provisioning.close()
        // What a migration might define: a function that leaves the caller's role.
        try await TenancyDatabase.admin(
            configuration,
            "CREATE FUNCTION public.leave_the_role() RETURNS text LANGUAGE sql AS $f$ SELECT pg_catalog.set_config('role', 'none', true) $f$"
        )
        return (configuration, acme, globex)
    }

    /// What Acme's statement, run on `route`, got: its rows, or the server's SQLSTATE.
    static func outcome(_ pool: TenantPool, _ statement: AttackRaw, route: SearchPathRoute) async -> String {
        do throws(SQLGenError) {
            let rows = try await pool.withRoutedConnection(route) { connection throws(SQLGenError) in
                try await connection.runRouted(statement, route: route, switching: pool.options.switching) {
                    result throws(SQLGenError) in try ResultReading.rows(result, of: AttackRaw.self, name: "attack")
                }
            }
            return rows.compactMap { $0.values.first ?? nil }.joined(separator: ",")
        } catch {
            return error.sqlState ?? "\(error.kind)"
        }
    }

    @Test(arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func aWrongSearchPathCannotReachAnotherTenant(switching: TenantSwitching) async throws {
        let mode = String(describing: switching).lowercased()
        let (configuration, acme, globex) = try await Self.setUp("wall_path_\(mode)", prefix: "w\(mode.prefix(4))_")
        let roles = TenantRoles(prefix: "w\(mode.prefix(4))_")
        let walled = try Self.pool(configuration, roles: roles, switching: switching)
        let open = try Self.pool(configuration, roles: nil, switching: switching)
        defer {
            Task {
                await walled.close()
                await open.close()
            }
        }
        // The routing mistake: Acme's statement sent down Globex's path. Acme's role stays Acme's.
        let wrongPath = SearchPathRoute(
            tenant: globex, sharedSchemas: ["public"], role: roles.role(forSchema: acme.schemaName))
        let withoutWall = SearchPathRoute(tenant: globex, sharedSchemas: ["public"])
        let read = AttackRaw("SELECT tenant FROM items", .tenant)
        let write = AttackRaw("INSERT INTO items (tenant) VALUES ('acme-wrote-here') RETURNING tenant", .tenant)
        let named = AttackRaw("SELECT tenant FROM tenant_globex.items", .tenant)

        // Without the wall the mistake reads and writes Globex's rows: what the wall is for.
        #expect(await Self.outcome(open, read, route: withoutWall) == "globex-secret")
        // With it, Globex's schema is invisible to Acme's role: the server skips a schema on the path
        // the role may not use, so neither the read nor the write finds `items` (42P01), and nothing of
        // Globex's is returned or written.
        let wrongRead = await Self.outcome(walled, read, route: wrongPath)
        #expect(wrongRead == "42P01", "\(wrongRead)")
        let wrongWrite = await Self.outcome(walled, write, route: wrongPath)
        #expect(wrongWrite == "42P01", "\(wrongWrite)")
        let written = try await TenancyDatabase.adminValues(
            configuration, "SELECT count(*)::text FROM tenant_globex.items WHERE tenant = 'acme-wrote-here'")
        #expect(written == ["0"])
        try await walled.withTenant(subdomain: "acme") {
            // A name written with Globex's schema: permission denied (42501).
            var refused: SQLGenError?
            do { _ = try await walled.query(named) } catch let error as SQLGenError { refused = error }
            #expect(refused?.sqlState == "42501", "\(String(describing: refused))")
            // A statement that leaves the tenant's role itself is refused before it is sent; a function
            // that does it, whose body the runtime does not read, leaves the role changed, which the
            // check after the statement catches, rolling its work back.
            var refusedDance: SQLGenError?
            do {
                _ = try await walled.query(
                    AttackRaw(
                        "SELECT pg_catalog.set_config('role', 'none', true) AS r, "
                            + "(SELECT string_agg(tenant, ',') FROM tenant_globex.items) AS stolen", .tenant))
            } catch let error as SQLGenError { refusedDance = error }
            #expect(refusedDance?.kind == .refusedUnderTenantRole, "\(String(describing: refusedDance))")
            var caught: SQLGenError?
            do {
                _ = try await walled.query(AttackRaw("SELECT public.leave_the_role() AS r", .tenant))
            } catch let error as SQLGenError { caught = error }
            #expect(caught?.kind == .tenantSchemaUnavailable, "\(String(describing: caught))")
            // The registry, which maps every tenant to its schema, is not a tenant's to read or change.
            await expectFailure(.server) {
                _ = try await walled.execute(
                    AttackRaw(
                        "UPDATE public.tenants SET schema_name = 'tenant_globex' WHERE subdomain = 'acme'", .tenant))
            }
            // Acme's own work goes on: reads, writes, a transaction mixing global and tenant statements.
            _ = try await walled.execute(InsertItem(tenant: "acme-2", value: 3))
            #expect(try await walled.query(ItemStamps()) == ["acme-secret", "acme-2"])
            let seen = try await walled.withTransaction { transaction in
                _ = try await transaction.execute(InsertItem(tenant: "acme-3", value: 4))
                let tenants = try await transaction.query(
                    AttackRaw("SELECT count(*)::text AS n FROM public.tenants", .global))
                let rows = try await transaction.query(ItemStamps())
                return (tenants.first?["n"], rows)
            }
            #expect(seen.0 == "2")
            #expect(seen.1 == ["acme-secret", "acme-2", "acme-3"])
            #expect(try await walled.copy([CopyItem(tenant: "acme-4", value: 5)]) == 1)
            #expect(
                try await walled.query(AttackRaw("SELECT current_user::text AS who", .tenant)).first?["who"]
                    == roles.role(forSchema: acme.schemaName))
        }
        let globexRows = try await walled.withTenant(subdomain: "globex") { try await walled.query(ItemStamps()) }
        #expect(globexRows == ["globex-secret"])
    }

    @Test func tenantsMadeBeforeTheWallGetTheirRolesAndDeletionDropsThem() async throws {
        let configuration = try await TenancyDatabase.create("wall_grant")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        let roles = TenantRoles(prefix: "wgr_")
        let walled = try Self.pool(configuration, roles: roles)
        defer { Task { await walled.close() } }
        // No role yet: the statement's transaction cannot set it, and nothing runs.
        await #expect(throws: SQLGenError.self) {
            try await walled.withTenant(subdomain: "acme") { _ = try await walled.query(ItemStamps()) }
        }
        let provisioner = TenantProvisioner(tenantPool: walled, migrations: [TenancyDatabase.itemsMigration])
        #expect(try await provisioner.grantTenantRoles() == 2)
        let rows = try await walled.withTenant(subdomain: "acme") { try await walled.query(ItemStamps()) }
        #expect(rows == [])
        let acme = try await walled.registry.tenant(subdomain: "acme")
        try await provisioner.delete(id: acme.id, purge: true)
        let left = try await TenancyDatabase.adminValues(
            configuration, "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'wgr_%'")
        #expect(left == ["wgr_tenant_globex"])
    }

    @Test func executorsThatRouteThemselvesRefuseTenantRoles() async throws {
        let configuration = try await TenancyDatabase.create("wall_other")
        let walled = try Self.pool(configuration, roles: TenantRoles(prefix: "wot_"))
        defer { Task { await walled.close() } }
        await expectFailure(.invalidParameter) {
            _ = try await walled.registry.route(for: ItemStamps(), options: walled.options)
        }
    }
}
