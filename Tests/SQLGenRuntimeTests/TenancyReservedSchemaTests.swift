import Foundation
import Testing

@testable import SQLGenRuntime

/// A tenant given the template schema, a shared schema, `public` or a system schema would read and
/// write what every tenant shares. Provisioning refuses such a name, naming the rule, and so does a
/// lookup that finds one in the registry (a row written behind the runtime's back).
@Suite("Reserved schemas are never tenant schemas")
struct TenancyReservedSchemaTests {
    @Test("provisioning refuses the template's and the shared schemas' names, and a lookup refuses them too")
    func reservedNamesAreRefused() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_reserved", registryCheck: false)
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = 2
        var tenancy = TenancyOptions()
        tenancy.sharedSchemas = ["public", "tenant_shared"]
        let database = try TenantPool(configuration: configuration, poolOptions: poolOptions, tenancy: tenancy)
        defer { Task { await database.close() } }
        try await TenancyDatabase.admin(configuration, "CREATE SCHEMA tenant_shared")
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])

        for (subdomain, rule) in [("template", "is the template schema"), ("shared", "is a shared schema")] {
            do {
                _ = try await provisioner.createTenant(name: subdomain, subdomain: subdomain)
                Issue.record("tenant \(subdomain) was created")
            } catch let error as SQLGenError {
                #expect(error.kind == .invalidTenantSchema)
                #expect(error.message.contains(rule), "\(error.message)")
            }
        }
        #expect(try await TenancyDatabase.adminValues(configuration, "SELECT count(*) FROM public.tenants") == ["0"])

        // Rows written behind the runtime's back: each lookup is refused, naming the rule.
        try await TenancyDatabase.admin(
            configuration,
            """
            INSERT INTO public.tenants (name, subdomain, schema_name) VALUES
              ('T', 'tpl', 'tenant_template'), ('S', 'shr', 'tenant_shared'), ('P', 'pub', 'public'),
              ('C', 'cat', 'pg_catalog'), ('I', 'inf', 'information_schema')
            """)
        for subdomain in ["tpl", "shr", "pub", "cat", "inf"] {
            await expectFailure(.invalidTenantSchema) {
                try await database.withTenant(subdomain: subdomain) { _ = try await database.query(ItemStamps()) }
            }
        }
    }
}
