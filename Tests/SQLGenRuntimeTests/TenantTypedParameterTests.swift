import Foundation
import Testing

@testable import SQLGenRuntime

/// A statement whose parameter has a type each tenant schema defines for itself.
struct InsertTicket: SQLStatement {
    typealias Row = String
    static var name: String { "InsertTicket" }
    static var sql: String { "INSERT INTO tickets (priority) VALUES ($1) RETURNING priority::text" }
    static var scope: StatementScope { .tenant }
    var priority: String
    func bind(to bindings: inout SQLBindings) { bindings.append(priority) }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "priority") }
}

@Suite("Parameters of tenant-defined types")
struct TenantTypedParameterTests {
    static let ticketsMigration = TenantMigration(
        version: 1, name: "tickets",
        sql: """
            CREATE SCHEMA tenant_template;
            CREATE TYPE tenant_template.priority AS ENUM ('low', 'high');
            CREATE TABLE tenant_template.tickets (id bigserial PRIMARY KEY, priority tenant_template.priority NOT NULL);
            """)

    /// The server fixes a prepared statement's parameter types, and `priority` is a different type in
    /// every tenant schema: one connection serving two tenants must prepare the statement once for each.
    @Test(
        "an enum parameter works for every tenant on one connection: single statements, batches, transactions",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func enumParameterAcrossTenants(switching: TenantSwitching) async throws {
        let suffix = switching == .sessionAffinity ? "session" : "transaction"
        let configuration = try await TenancyDatabase.create("tenancy_typed_\(suffix)")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1, switching: switching)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [Self.ticketsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        for tenant in [acme, globex, acme, globex] {
            try await withTenant(tenant) {
                #expect(try await database.queryFirst(InsertTicket(priority: "high")) == "high")
                #expect(
                    try await database.queryFirstBatch([InsertTicket(priority: "low"), InsertTicket(priority: "high")])
                        == ["low", "high"])
                let inTransaction = try await database.withTransaction { transaction in
                    let single = try await transaction.queryFirst(InsertTicket(priority: "low"))
                    let batch = try await transaction.queryFirstBatch([InsertTicket(priority: "high")])
                    return [single] + batch
                }
                #expect(inTransaction == ["low", "high"])
            }
        }
        for tenant in [acme, globex] {
            let count = try await TenancyDatabase.adminValues(
                configuration, "SELECT count(*) FROM \(tenant.schemaName).tickets")
            #expect(count == ["10"])
        }
    }
}
