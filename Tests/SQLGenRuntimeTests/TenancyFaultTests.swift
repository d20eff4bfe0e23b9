import Foundation
import Testing

@testable import SQLGenRuntime

@Suite("Tenant isolation under faults")
struct TenancyFaultTests {
    @Test("fail closed: a schema dropped behind the runtime's back never falls through to public")
    func droppedSchemaFailsClosed() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_fail_closed")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        try await TenancyDatabase.admin(
            configuration,
            """
            CREATE TABLE public.items (id bigserial PRIMARY KEY, tenant text NOT NULL, value integer NOT NULL DEFAULT 0);
            INSERT INTO public.items (tenant) VALUES ('SENTINEL');
            """)
        try await withTenant(acme) {
            _ = try await database.execute(InsertItem(tenant: "acme", value: 1))
            // Both pooled connections are now on acme's path and have the statements prepared.
            async let first = database.query(ItemStamps())
            async let second = database.query(ItemStamps())
            let warm = try await [first, second]
            #expect(warm == [["acme"], ["acme"]])
            async let third = database.query(QualifiedItemStamps())
            async let fourth = database.query(QualifiedItemStamps())
            let qualified = try await [third, fourth]
            #expect(qualified == [["acme"], ["acme"]])
        }
        try await TenancyDatabase.admin(configuration, "DROP SCHEMA tenant_acme CASCADE")
        for _ in 0..<3 {
            await expectFailure(.tenantSchemaUnavailable) {
                try await withTenant(acme) { _ = try await database.query(ItemStamps()) }
            }
            await expectFailure(.tenantSchemaUnavailable) {
                try await withTenant(acme) { _ = try await database.execute(InsertItem(tenant: "acme", value: 2)) }
            }
            await expectFailure(.tenantSchemaUnavailable) {
                try await withTenant(acme) { _ = try await database.query(QualifiedItemStamps()) }
            }
        }
        let publicRows = try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM public.items")
        #expect(publicRows == ["SENTINEL"])
        await database.close()
    }

    @Test("identifier abuse in the registry is rejected before any tenant SQL runs")
    func identifierAbuse() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_identifiers", registryCheck: false)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let names = [
            "tenant_a\"b", "tenant_a,public", "$user", "pg_temp", "Tenant_Upper",
            "tenant_" + String(repeating: "x", count: 57),
            "tenant_\u{0430}cme", "public", "tenant_a; DROP TABLE public.tenants", "pg_catalog",
        ]
        for (index, name) in names.enumerated() {
            let quoted = SchemaName.quoted(name).replacingOccurrences(of: "'", with: "''")
            // The schema exists, so only the runtime's own validation stands in the way.
            if !["public", "pg_catalog", "pg_temp"].contains(name), name.utf8.count <= 63 {
                try await TenancyDatabase.admin(configuration, "CREATE SCHEMA IF NOT EXISTS \(quoted)")
            }
            let literal = name.replacingOccurrences(of: "'", with: "''")
            try await TenancyDatabase.admin(
                configuration,
                "INSERT INTO public.tenants (name, subdomain, schema_name) VALUES ('Bad \(index)', 'bad\(index)', '\(literal)')"
            )
            await expectFailure(.invalidTenantSchema) {
                try await database.withTenant(subdomain: "bad\(index)") { _ = try await database.query(ItemStamps()) }
            }
        }
        // Subdomains from a request are only ever parameters.
        for subdomain in ["acme' OR '1'='1", "\u{0430}cme", "bad0\"", "*", ""] {
            await expectFailure(.unknownTenant) { _ = try await database.registry.tenant(subdomain: subdomain) }
        }
        let count = try await TenancyDatabase.adminValues(configuration, "SELECT count(*) FROM public.tenants")
        #expect(count == ["\(names.count)"])

        // A valid tenant gets exactly its schema and the shared ones.
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let good = try await provisioner.createTenant(name: "Good", subdomain: "good-one")
        try await withTenant(good) {
            let schemas = try await database.queryFirst(CurrentSchemas())
            #expect(schemas == ["tenant_good_one", "public"])
        }
        await expectFailure(.invalidTenantSchema) {
            _ = try await provisioner.createTenant(name: "Upper", subdomain: "Upper")
        }
        await database.close()
    }

    @Test("missing context, unknown, suspended and deleted tenants: each its own error, no SQL sent")
    func unusableTenantsSendNothing() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_unusable")
        var logged = configuration
        logged.parameters["options"] = "-c log_statement=all"
        let database = try TenancyDatabase.pool(logged, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let suspended = try await provisioner.createTenant(name: "Suspended", subdomain: "suspended")
        let deleted = try await provisioner.createTenant(name: "Deleted", subdomain: "deleted")
        try await provisioner.suspend(id: suspended.id)
        try await provisioner.delete(id: deleted.id)

        func marked(_ marker: String) -> PlainStatement {
            PlainStatement("SELECT count(*) FROM items /* \(marker) */", scope: .tenant)
        }
        let markers = (0..<4).map { _ in "marker-" + UUID().uuidString }
        await expectFailure(.noTenant) { _ = try await database.query(marked(markers[0])) }
        await expectFailure(.unknownTenant) {
            try await database.withTenant(subdomain: "nobody") { _ = try await database.query(marked(markers[1])) }
        }
        await expectFailure(.tenantSuspended) {
            try await database.withTenant(id: suspended.id) { _ = try await database.query(marked(markers[2])) }
        }
        await expectFailure(.tenantDeleted) {
            try await database.withTenant(id: deleted.id) { _ = try await database.query(marked(markers[3])) }
        }
        // A tenant suspended while its value is still in a task's context is stopped at the statement.
        try await provisioner.suspend(id: acme.id)
        let lateMarker = "marker-" + UUID().uuidString
        await expectFailure(.tenantSuspended) {
            try await withTenant(acme) { _ = try await database.query(marked(lateMarker)) }
        }
        // The control: the same statement for a usable tenant does reach the server's log.
        try await provisioner.resume(id: acme.id)
        let sentMarker = "marker-" + UUID().uuidString
        try await withTenant(acme) { _ = try await database.query(marked(sentMarker)) }

        let logPath = try #require(ProcessInfo.processInfo.environment["SQLGEN_PG_LOG"])
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(log.contains(sentMarker))
        for marker in markers + [lateMarker] { #expect(!log.contains(marker), "\(marker) reached the server") }
        await database.close()
    }

    @Test("a drifted tenant schema makes shared prepared statements re-prepare, never decode the wrong shape")
    func driftedSchemaReprepares() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_drift")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let plain = try await provisioner.createTenant(name: "Plain", subdomain: "plain")
        let drifted = try await provisioner.createTenant(name: "Drifted", subdomain: "drifted")
        try await TenancyDatabase.admin(
            configuration, "ALTER TABLE tenant_drifted.items ADD COLUMN extra text NOT NULL DEFAULT 'extra'")
        for tenant in [plain, drifted] {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
            }
        }
        let everything = PlainStatement("SELECT * FROM items ORDER BY id", scope: .tenant)
        for tenant in [plain, drifted, plain, drifted] {
            for rows in [
                try await withTenant(tenant) { try await database.query(everything) },
                try await withTenant(tenant) { try await database.query(QualifiedEverything()) },
            ] {
                let row = try #require(rows.first)
                #expect(row["tenant"] == tenant.subdomain)
                #expect(
                    row.columns
                        == (tenant == drifted ? ["id", "tenant", "value", "extra"] : ["id", "tenant", "value"]))
            }
        }
        // A column added after the qualified statement was prepared: it is prepared again, not misread.
        try await TenancyDatabase.admin(configuration, "ALTER TABLE tenant_plain.items ADD COLUMN late integer")
        let rows = try await withTenant(plain) { try await database.query(QualifiedEverything()) }
        #expect(rows.first?.columns == ["id", "tenant", "value", "late"])
        await database.close()
    }
}

/// Every column of the current tenant's `items`, its tenant name qualified by the tenant pool.
struct QualifiedEverything: SQLStatement {
    typealias Row = SQLRowValues
    static var name: String { "QualifiedEverything" }
    static var sql: String { "SELECT * FROM items ORDER BY id" }
    static var scope: StatementScope { .tenant }
    static var tenantNameOffsets: [Int]? { [14] }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLRowValues { row.values }
}
