import CLibPQ
import Foundation
import Testing

@testable import SQLGenRuntime

/// What one lease's plain SQL does to its session must not reach the next lease, and a server that
/// forgot the connection's prepared statements must not break it.
@Suite("A lease starts clean")
struct SessionResetTests {
    /// A tenant pool of one connection over acme and globex, and a role that may only read their tables.
    static func twoTenantsAndAReaderRole(_ name: String) async throws -> (
        TenantPool, acme: RegisteredTenant, globex: RegisteredTenant
    ) {
        let configuration = try await TenancyDatabase.create(name)
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        try await TenancyDatabase.admin(
            configuration,
            "DO $$ BEGIN CREATE ROLE sqlgen_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$; "
                + "GRANT USAGE ON SCHEMA tenant_acme, tenant_globex TO sqlgen_reader; "
                + "GRANT SELECT ON ALL TABLES IN SCHEMA tenant_acme, tenant_globex TO sqlgen_reader")
        return (try TenancyDatabase.pool(configuration, maxConnections: 1), acme, globex)
    }

    @Test("role, settings, temp tables, LISTEN and advisory locks set by plain SQL are gone for the next tenant")
    func plainSQLSessionStateIsReset() async throws {
        let (database, acme, globex) = try await Self.twoTenantsAndAReaderRole("session_reset")
        defer { Task { await database.close() } }
        try await withTenant(acme) {
            for sql in [
                "SET ROLE sqlgen_reader", "SET statement_timeout = '1234ms'", "CREATE TEMP TABLE scratch (a int)",
                "LISTEN acme_events", "SELECT pg_advisory_lock(42)",
            ] {
                _ = try await database.execute(PlainStatement(sql, scope: .tenant))
            }
        }
        try await withTenant(globex) {
            // Back as the session's own user, so the write is allowed (the reader role could not insert).
            _ = try await database.execute(InsertItem(tenant: "globex", value: 1))
            let state = try await database.queryFirst(
                PlainStatement(
                    """
                    SELECT current_user = session_user AS same_user, current_setting('statement_timeout') AS timeout,
                           NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS no_temp, (SELECT count(*) FROM pg_listening_channels()) AS listening,
                           (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks
                    """, scope: .tenant))
            #expect(state?["same_user"] == "t")
            #expect(state?["timeout"] == "0")
            #expect(state?["no_temp"] == "t")
            #expect(state?["listening"] == "0")
            #expect(state?["locks"] == "0")
        }
    }

    /// A statement of a generated query changes the session as plain SQL does when it calls
    /// `set_config(..., false)` or takes a session advisory lock; the next lease starts clean all the same.
    @Test("settings, role and advisory locks set by generated statements are gone for the next tenant")
    func generatedStatementSessionStateIsReset() async throws {
        let (database, acme, globex) = try await Self.twoTenantsAndAReaderRole("session_reset_generated")
        defer { Task { await database.close() } }
        try await withTenant(acme) {
            for (name, sql) in [
                ("SetRole", "SELECT pg_catalog.set_config('role', $1, false)"),
                ("SetTimeout", "SELECT SET_CONFIG('statement_timeout', $1, false)"),
                ("Lock", "SELECT pg_advisory_lock(hashtext($1))::text"),
                ("LockShared", "SELECT pg_try_advisory_lock_shared(hashtext($1))::text"),
            ] {
                let value = name == "SetRole" ? "sqlgen_reader" : (name == "SetTimeout" ? "1234ms" : "k")
                _ = try await database.queryOne(
                    ColumnQueryStatement(name: name, scope: .tenant, column: String.self, values: value, sql: sql))
            }
        }
        try await withTenant(globex) {
            _ = try await database.execute(InsertItem(tenant: "globex", value: 1))
            let state = try await database.queryFirst(
                PlainStatement(
                    """
                    SELECT current_user = session_user AS same_user, current_setting('statement_timeout') AS timeout,
                           (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks
                    """, scope: .tenant))
            #expect(state?["same_user"] == "t")
            #expect(state?["timeout"] == "0")
            #expect(state?["locks"] == "0")
        }
    }

    /// The runtime's own transaction-local path switch and a transaction-scoped lock change nothing that
    /// outlives the lease: they cost no reset.
    @Test("what may outlive a statement is found in its text")
    func sessionEffectsAreFoundInTheText() {
        for sql in [
            "SELECT set_config('role', $1, false)", "select pg_catalog.SET_CONFIG('x.y', '1', false)",
            "SELECT pg_advisory_lock(1)", "SELECT pg_try_advisory_lock_shared(1, 2)",
            "SELECT dblink_connect('c', 'dbname=x')", "SELECT set_config('x.y', $1, $2)",
            "SELECT setseed(0.5)", "SELECT 1 INTO LOCAL TEMP t", "SELECT 1 INTO GLOBAL TEMPORARY t",
            "EXPLAIN (ANALYZE true) CREATE TEMP TABLE t AS SELECT 1", "CREATE TABLE pg_temp_3.t (x int)",
            "CREATE TABLE \"pg_temp_12\".t (x int)", "SELECT pg_catalog.ts_rewrite('a', 'SELECT 1')",
            "SELECT crosstab2('SELECT 1')", "SELECT * FROM connectby('t', 'a', 'b', '1', 0)",
            "SELECT table_to_xmlschema('t', true, true, '')", "SELECT database_to_xml(true, true, '')",
            "FROBNICATE everything",
        ] {
            #expect(SessionEffects.mayOutliveStatement(sql), "\(sql)")
        }
        for sql in [
            "SELECT pg_advisory_xact_lock(1)", "SELECT id FROM items WHERE config_set = $1",
            "SELECT 1", "", "SELECT set_configuration FROM t", "UPDATE t SET config = 1",
            "SELECT set_config('search_path', $1, true)", "SELECT set_config('a.b', f(1, 2), TRUE ) FROM t",
        ] {
            #expect(!SessionEffects.mayOutliveStatement(sql), "\(sql)")
        }
    }

    /// Under a tenant's role: what could leave the role for part of a statement is refused, by itself,
    /// with no other word of the text to give it away.
    @Test("what could leave a tenant's role is found in the text")
    func roleEscapesAreFoundInTheText() {
        for sql in [
            "SELECT query_to_xml('SELECT 1', true, true, '')", "SELECT cursor_to_xml('c', 1, true, true, '')",
            "SELECT table_to_xml('t', true, true, '')", "SELECT schema_to_xml('s', true, true, '')",
            "SELECT database_to_xml(true, true, '')", "SELECT ts_stat('SELECT v FROM t')",
            "SELECT pg_catalog.ts_rewrite('a'::tsquery, 'SELECT a, b FROM t')", "SELECT * FROM crosstab('q')",
            "SELECT * FROM connectby('t', 'a', 'b', '1', 0)", "SELECT dblink('c', 'q')",
            "DO $$ BEGIN NULL; END $$", "SET LOCAL ROLE NONE", "SET ROLE x", "RESET ROLE", "RESET ALL",
            "SET SESSION AUTHORIZATION DEFAULT", "SET LOCAL SESSION AUTHORIZATION x",
            "SELECT set_config('role', 'none', true)", "SELECT set_config('ROLE', 'none', true)",
            "SELECT set_config('session_authorization', 'x', true)", "SELECT set_config($1, 'x', true)",
            "SELECT set_config('ro' || 'le', 'none', true)", "SELECT set_config(E'role', 'none', true)",
            "SELECT set_config(new_value => 'none', setting_name => 'role', is_local => true)",
            "SELECT set_config('rol'\n'e', 'none', true)", "SELECT U&\"set_config\"('x', 'y', true)",
            "UPDATE pg_settings SET setting = 'none' WHERE name = 'role'",
            "SELECT 1; SET LOCAL ROLE NONE", "SET LOCAL session_authorization = DEFAULT",
            "RESET session_authorization", "CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "SELECT pg_temp_3.f()", "EXPLAIN (ANALYZE) SELECT query_to_xml('SELECT 1', true, true, '')",
        ] {
            #expect(SessionEffects.roleEscape(sql) != nil, "\(sql)")
        }
        for sql in [
            "SELECT 1", "SELECT set_config('app.user', $1, true)", "SET LOCAL statement_timeout = '5s'",
            "SELECT role FROM members", "UPDATE t SET role = 'x'", "SELECT 'SET ROLE none'",
            "SELECT set_config('search_path', $1, true)", "SELECT to_xml_thing FROM t",
        ] {
            #expect(SessionEffects.roleEscape(sql) == nil, "\(sql)")
        }
        // Reads sent along with other leases' reads say nothing of the session, not even a local setting.
        #expect(!SessionEffects.isPlainQuery("SELECT set_config('search_path', 'tenant_acme, public', true)"))
        #expect(!SessionEffects.isPlainQuery("SELECT 1 -- config"))
        #expect(SessionEffects.isPlainQuery("SELECT id, title FROM items WHERE id = $1"))
    }

    @Test("after DEALLOCATE ALL the connection prepares its statements again, on the tenant pool and on its own")
    func forgottenStatementsArePreparedAgain() async throws {
        let configuration = try await TenancyDatabase.create("session_deallocate")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        for tenant in [acme, globex] {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
            }
        }
        // Behind the runtime's back: the session's statements go, its cache still names them.
        let connection = try await database.pool.acquire()
        try await connection.simpleQuery("SELECT 1")
        await connection.forgetNothingAndDeallocateAll()
        await database.pool.release(connection)
        for _ in 0..<2 {
            for tenant in [acme, globex] {
                try await withTenant(tenant) {
                    _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                    #expect(try await database.query(ItemStamps()).allSatisfy { $0 == tenant.subdomain })
                    #expect(try await database.query(QualifiedItemStamps()).allSatisfy { $0 == tenant.subdomain })
                }
            }
        }

        let plain = try await PostgresSession.connect(configuration)
        defer { Task { await plain.close() } }
        _ = try await plain.query(GlobalSchemas())
        await plain.forgetNothingAndDeallocateAll()
        for _ in 0..<2 { #expect(try await plain.queryFirst(GlobalSchemas()) == ["public"]) }
    }
}

extension SessionResetTests {
    @Test("a transaction's BEGIN and COMMIT are not plain SQL that resets the session: its statements stay prepared")
    func transactionsKeepTheirPreparedStatements() async throws {
        let configuration = try await TenancyDatabase.create("session_transaction_keeps")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await database.close() } }
        try await withTenant(acme) {
            try await database.withTransaction { transaction in
                _ = try await transaction.execute(InsertItem(tenant: "acme", value: 1))
            }
        }
        let idle = await database.pool.idleConnections
        #expect(idle.count == 1)
        for (connection, _) in idle {
            #expect(!connection.sessionNeedsReset)
            #expect(await connection.preparedStatementCount > 0)
        }
    }
}

extension PostgresSession {
    /// Deallocates every prepared statement on the server without telling the cache, as a pooler that
    /// hands over another server connection, or DISCARD ALL run by something else, would.
    func forgetNothingAndDeallocateAll() async {
        guard let handle = native.connection else { return }
        PQclear(await execSimple(handle, "DEALLOCATE ALL"))
    }
}
