import Foundation
import Testing

@testable import SQLGenRuntime

@Suite("Tenant provisioning and migrations")
struct TenancyProvisioningTests {
    /// The version each tenant schema records, by schema name.
    static func versions(_ configuration: PostgresConfiguration, _ tenants: [RegisteredTenant]) async throws -> [String:
        String]
    {
        let connection = try await PostgresSession.connect(configuration)
        var versions: [String: String] = [:]
        for tenant in tenants {
            let rows = try await connection.query(
                PlainStatement("SELECT version || ':' || dirty AS v FROM \(tenant.schemaName).schema_migrations"))
            versions[tenant.schemaName] = rows.map { $0["v"] ?? "" }.joined(separator: ",")
        }
        await connection.close()
        return versions
    }

    @Test("the CRM template: create is atomic, idempotent and resumable; suspend, resume and delete")
    func crmTenantLifecycle() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_crm")
        let migrations = try TenancyDatabase.crmMigrations()
        #expect(migrations.map(\.version) == [2, 3])
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: migrations)

        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        #expect(acme.schemaName == "tenant_acme")
        #expect(try await provisioner.createTenant(name: "Acme", subdomain: "acme") == acme)
        let tables = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                + "WHERE table_schema = 'tenant_acme'")
        #expect(
            tables == [
                "activities,communications,companies,contacts,deal_stage_history,deals,invitations,"
                    + "password_reset_tokens,schema_migrations,users"
            ])
        #expect(try await Self.versions(configuration, [acme]) == ["tenant_acme": "3:false"])

        // A failure part-way leaves nothing behind: no row, no schema.
        await #expect(throws: (any Error).self) {
            _ = try await TenantProvisioner(
                tenantPool: database,
                migrations: migrations + [TenantMigration(version: 4, name: "broken", sql: "SELECT * FROM missing")]
            ).createTenant(name: "Broken", subdomain: "broken")
        }
        let leftovers = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT (SELECT count(*) FROM public.tenants WHERE subdomain = 'broken') "
                + "+ (SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_broken')")
        #expect(leftovers == ["0"])

        // A row whose schema is missing gets its schema when created again.
        try await TenancyDatabase.admin(configuration, "DROP SCHEMA tenant_acme CASCADE")
        database.registry.invalidateAll()
        #expect(try await provisioner.createTenant(name: "Acme", subdomain: "acme") == acme)
        #expect(try await Self.versions(configuration, [acme]) == ["tenant_acme": "3:false"])

        try await provisioner.suspend(id: acme.id)
        await expectFailure(.tenantSuspended) { _ = try await database.registry.tenant(id: acme.id) }
        try await provisioner.resume(id: acme.id)
        #expect(try await database.registry.tenant(id: acme.id) == acme)
        try await provisioner.delete(id: acme.id)
        await expectFailure(.tenantDeleted) { _ = try await database.registry.tenant(id: acme.id) }
        try await provisioner.delete(id: acme.id, purge: true)
        await expectFailure(.unknownTenant) { _ = try await database.registry.tenant(id: acme.id) }
        let schemas = try await TenancyDatabase.adminValues(
            configuration, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_acme'")
        #expect(schemas == ["0"])
        await database.close()
    }

    @Test("200 tenants migrated with one injected failure: dirty, skipped until repaired, then finished")
    func migrateAllWithFailure() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_migrate")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 6)
        let tenants = try await TenancyStressTests.provision(database, count: 200)
        #expect(tenants.count == 200)

        let second = TenantMigration(
            version: 2, name: "notes",
            sql: """
                CREATE TABLE tenant_template.notes (id bigserial PRIMARY KEY, body text NOT NULL);
                ALTER TABLE tenant_template.items ADD COLUMN note_id bigint REFERENCES tenant_template.notes (id);
                """)
        let third = TenantMigration(
            version: 3, name: "index", sql: "CREATE INDEX items_value_idx ON tenant_template.items (value);")
        // The injected failure: one tenant already has a table the second migration creates.
        let victim = tenants[137]
        try await TenancyDatabase.admin(configuration, "CREATE TABLE \(victim.schemaName).notes (x int)")
        let migrator = TenantProvisioner(
            tenantPool: database, migrations: [TenancyDatabase.itemsMigration, second, third])
        let reported = SharedCount()
        let firstRun = try await migrator.migrateAll(parallelism: 4) { progress in
            reported.add(1)
            #expect(progress.total == 200)
        }
        #expect(reported.value == 200)
        let failed = firstRun.filter { $0.failure != nil }
        #expect(failed.map(\.schemaName) == [victim.schemaName])
        #expect(failed.first?.dirty == true)
        #expect(failed.first?.failure?.contains("relation \"notes\" already exists") == true, "\(failed)")
        #expect(firstRun.filter { $0.applied == [2, 3] }.count == 199)
        var versions = try await Self.versions(configuration, tenants)
        // The failed migration was rolled back; the tenant is marked dirty at its version.
        #expect(versions[victim.schemaName] == "2:true")
        #expect(versions.values.filter { $0 == "3:false" }.count == 199)
        let notes = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT count(*)::text FROM pg_attribute WHERE attrelid = '\(victim.schemaName).items'::regclass AND attname = 'note_id'"
        )
        #expect(notes == ["0"])

        // Fixed, but still dirty: the next run skips it, and applies nothing anywhere.
        try await TenancyDatabase.admin(configuration, "DROP TABLE \(victim.schemaName).notes")
        let status = try await migrator.migrationStatus()
        #expect(status.dirty.map(\.subdomain) == [victim.subdomain])
        #expect(status.pending.isEmpty)
        #expect(status.tenantsByVersion == [3: 199, 2: 1])
        let secondRun = try await migrator.migrateAll(parallelism: 4)
        #expect(secondRun.count == 200)
        #expect(secondRun.allSatisfy { $0.applied.isEmpty })
        #expect(secondRun.filter { $0.failure != nil }.map(\.schemaName) == [victim.schemaName])
        #expect(secondRun.first { $0.schemaName == victim.schemaName }?.failure?.contains("dirty") == true)

        // Repaired: marked clean at the version before the failed one, then migrated.
        #expect(try await migrator.repairMigration(subdomain: victim.subdomain) == 1)
        await expectFailure(.invalidParameter) { try await migrator.repairMigration(subdomain: victim.subdomain) }
        let thirdRun = try await migrator.migrateAll(parallelism: 4)
        #expect(thirdRun.allSatisfy { $0.failure == nil })
        #expect(thirdRun.filter { !$0.applied.isEmpty }.map(\.schemaName) == [victim.schemaName])
        #expect(thirdRun.first { $0.schemaName == victim.schemaName }?.applied == [2, 3])
        versions = try await Self.versions(configuration, tenants)
        #expect(Set(versions.values) == ["3:false"])
        let fourthRun = try await migrator.migrateAll(parallelism: 4)
        #expect(fourthRun.allSatisfy { $0.applied.isEmpty && $0.failure == nil && $0.version == 3 })
        await database.close()
    }
}
