import Foundation
import Testing

@testable import SQLGenRuntime

/// The schema PostgreSQL resolves unqualified names in.
struct CurrentSchema: SQLStatement {
    typealias Row = String
    static var name: String { "CurrentSchema" }
    static var sql: String { "SELECT pg_catalog.current_schema()::text" }
    static var scope: StatementScope { .tenant }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "current_schema") }
}

@Suite("Tenancy through PgBouncer")
struct TenancyPgBouncerTests {
    /// With `transactionLocal` each statement carries its path; with `sessionAffinity` a path another client
    /// set on the shared server connection is caught by the check and the statement run again with its own.
    @Test(
        "transaction pooling with one server connection: every statement sees its own tenant's schema",
        arguments: [TenantSwitching.transactionLocal, .sessionAffinity])
    func throughPgBouncer(switching: TenantSwitching) async throws {
        let name = switching == .transactionLocal ? "tenancy_bouncer_local" : "tenancy_bouncer_session"
        let direct = try await TenancyDatabase.create(name)
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(direct)
        // Behind a transaction pooler the session settings come from the database.
        try await TenancyDatabase.admin(
            direct,
            "ALTER DATABASE \(name) SET DateStyle = 'ISO'; "
                + "ALTER DATABASE \(name) SET TimeZone = 'UTC'; "
                + "ALTER DATABASE \(name) SET IntervalStyle = 'iso_8601'")

        let url = try #require(
            ProcessInfo.processInfo.environment["SQLGEN_TEST_PGBOUNCER_URL"], "make test starts PgBouncer")
        var bounced = try PostgresConfiguration(url: url)
        bounced.parameters["dbname"] = name
        bounced.transactionPooling = true
        // Two clients, each with its own pool, sharing PgBouncer's single server connection.
        let clients = try [acme, globex].map { _ in
            try TenancyDatabase.pool(bounced, maxConnections: 2, switching: switching)
        }
        let wrong = SharedCount()
        let statements = SharedCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (client, tenant) in zip(clients, [acme, globex]) {
                for _ in 0..<2 {
                    group.addTask {
                        try await withTenant(tenant) {
                            for round in 0..<100 {
                                if round % 10 == 0 {
                                    try await client.withTransaction { transaction in
                                        _ = try await transaction.execute(
                                            InsertItem(tenant: tenant.subdomain, value: 1))
                                        let schema = try await transaction.queryFirst(CurrentSchema())
                                        if schema != tenant.schemaName { wrong.add(1) }
                                        statements.add(1)
                                    }
                                } else {
                                    let schema = try await client.queryFirst(CurrentSchema())
                                    if schema != tenant.schemaName { wrong.add(1) }
                                    statements.add(1)
                                }
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(statements.value == 400)
        #expect(wrong.value == 0)
        for tenant in [acme, globex] {
            let stamps = try await TenancyDatabase.adminValues(
                direct, "SELECT DISTINCT tenant FROM \(tenant.schemaName).items")
            #expect(stamps == [tenant.subdomain])
        }
        for client in clients { await client.close() }
    }
}
