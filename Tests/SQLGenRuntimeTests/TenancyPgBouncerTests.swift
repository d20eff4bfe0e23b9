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
    /// A database of acme and globex, and the configuration that reaches it through PgBouncer's
    /// transaction pooling. Behind a transaction pooler the session settings come from the database.
    static func bouncedDatabase(_ name: String) async throws -> (
        direct: PostgresConfiguration, bounced: PostgresConfiguration, acme: RegisteredTenant,
        globex: RegisteredTenant
    ) {
        let direct = try await TenancyDatabase.create(name)
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(direct)
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
        return (direct, bounced, acme, globex)
    }

    /// With `transactionLocal` each statement carries its path. (`sessionAffinity` is refused behind a
    /// transaction pooler: its path would stay on the shared server connection for other clients.)
    @Test(
        "transaction pooling with one server connection: every statement sees its own tenant's schema",
        arguments: [TenantSwitching.transactionLocal])
    func throughPgBouncer(switching: TenantSwitching) async throws {
        let name = switching == .transactionLocal ? "tenancy_bouncer_local" : "tenancy_bouncer_session"
        let (direct, bounced, acme, globex) = try await Self.bouncedDatabase(name)
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

extension TenancyPgBouncerTests {
    /// Behind a transaction pooler the runtime cannot reset a session before another client gets its
    /// server connection: a statement that would leave session state is refused before it is sent,
    /// generated or plain; transaction-scoped forms still run.
    @Test("transaction pooling: statements that would leave session state for other clients are refused")
    func sessionStateIsRefusedBehindTheTransactionPooler() async throws {
        let name = "tenancy_bouncer_session_state"
        let (direct, bounced, acme, globex) = try await Self.bouncedDatabase(name)
        try await TenancyDatabase.admin(
            direct,
            "DO $$ BEGIN CREATE ROLE sqlgen_reader NOLOGIN; "
                + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        let attacker = try TenancyDatabase.pool(bounced, maxConnections: 1, switching: .transactionLocal)
        let victim = try TenancyDatabase.pool(bounced, maxConnections: 1, switching: .transactionLocal)
        defer {
            Task {
                await attacker.close()
                await victim.close()
            }
        }
        let refusedPlain = [
            "SET ROLE sqlgen_reader", "SET statement_timeout = '1234ms'", "RESET ALL",
            "set session authorization default",
            "CREATE TEMP TABLE contacts (id int)", "CREATE OR REPLACE TEMPORARY VIEW items AS SELECT 1",
            "LISTEN acme_events", "SELECT pg_advisory_lock(42)", "SELECT 1; SET search_path = tenant_globex",
            "PREPARE p AS SELECT 1", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "DO $$ BEGIN PERFORM set_config('role', 'sqlgen_reader', false); END $$",
        ]
        try await withTenant(acme) {
            for sql in refusedPlain {
                do throws(SQLGenError) {
                    _ = try await attacker.execute(PlainStatement(sql, scope: .tenant))
                    Issue.record("ran behind the pooler: \(sql)")
                } catch {
                    #expect(error.kind == .sessionStateBehindPooler, "\(sql): \(error)")
                }
            }
            for sql in [
                "SELECT pg_catalog.set_config('role', $1, false)", "SELECT pg_try_advisory_lock(hashtext($1))::text",
            ] {
                do throws(SQLGenError) {
                    _ = try await attacker.queryOne(
                        ColumnQueryStatement(
                            name: "Generated", scope: .tenant, column: String.self, values: "sqlgen_reader", sql: sql))
                    Issue.record("ran behind the pooler: \(sql)")
                } catch {
                    #expect(error.kind == .sessionStateBehindPooler, "\(sql): \(error)")
                }
            }
            // Transaction-scoped state ends with the transaction, and runs.
            try await attacker.withTransaction { transaction in
                _ = try await transaction.execute(PlainStatement("SET LOCAL statement_timeout = '5s'", scope: .tenant))
                _ = try await transaction.queryOne(
                    ColumnQueryStatement(
                        name: "LocalSetting", scope: .tenant, column: String.self, values: "7",
                        sql: "SELECT set_config('sqlgen.mark', $1, true)"))
            }
            _ = try await attacker.execute(PlainStatement("SELECT 'SET ROLE is only text here'", scope: .tenant))
        }
        // The other client, on the same server connection, sees none of it.
        try await withTenant(globex) {
            let state = try await victim.queryFirst(
                PlainStatement(
                    """
                    SELECT current_user = session_user AS same_user, current_setting('statement_timeout') AS timeout,
                           coalesce(current_setting('sqlgen.mark', true), '') AS mark,
                           (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                            WHERE l.locktype = 'advisory' AND d.datname = current_database()) AS locks
                    """, scope: .tenant))
            #expect(state?["same_user"] == "t")
            #expect(state?["timeout"] == "0")
            #expect(state?["mark"] == "")
            #expect(state?["locks"] == "0")
        }
    }
}

extension TenancyPgBouncerTests {
    @Test("a tenant pool behind a transaction pooler refuses to switch tenants by session")
    func sessionAffinityIsRefusedBehindTheTransactionPooler() throws {
        var configuration = try PostgresConfiguration(url: "postgres://sqlgen@127.0.0.1:1/db")
        configuration.transactionPooling = true
        #expect(throws: SQLGenError.self) {
            _ = try TenancyDatabase.pool(configuration, maxConnections: 1, switching: .sessionAffinity)
        }
        #expect(throws: Never.self) {
            _ = try TenancyDatabase.pool(configuration, maxConnections: 1, switching: .transactionLocal)
        }
    }
}
