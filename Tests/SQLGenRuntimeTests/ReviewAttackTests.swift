import Foundation
import Testing

@testable import SQLGenRuntime

private struct Boom: Error {}

/// A hand-written statement, as an application would write one.
private struct RawStatement: SQLStatement {
    typealias Row = String?
    static var name: String { "RawStatement" }
    static var sql: String { "" }
    static var scope: StatementScope { .unscoped }
    var text: String
    var sqlText: String { text }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String? { try row.decode(0, name: "v") }
}

private func kind(_ body: () async throws -> Void) async -> SQLGenError.Kind? {
    do {
        try await body()
        return nil
    } catch let error as SQLGenError {
        return error.kind
    } catch {
        return nil
    }
}

@Suite("Review attacks", .serialized)
struct ReviewAttackTests {
    /// A database with `attack_items (v int)` and a pool of `maxConnections` on it.
    private func setUp(_ name: String, maxConnections: Int = 2) async throws -> (PostgresConfiguration, PostgresPool) {
        let configuration = try await TenancyDatabase.create(name)
        try await TenancyDatabase.admin(configuration, "CREATE TABLE public.attack_items (v integer)")
        var options = PoolOptions()
        options.maxConnections = maxConnections
        return (configuration, PostgresPool(configuration: configuration, options: options))
    }

    private func items(_ configuration: PostgresConfiguration) async throws -> [String?] {
        try await TenancyDatabase.adminValues(configuration, "SELECT v::text FROM public.attack_items ORDER BY v")
    }

    // MARK: - 1. Transaction control

    /// Spellings that must all be refused before being sent (sanity: expected to hold).
    @Test func spellingsAreRefused() async throws {
        let (configuration, pool) = try await setUp("review_attack_spellings")
        let scripts = [
            "COMMIT", "commit", "\t\n/* a /* nested */ b */ CoMmIt", "-- c\nEND", "SELECT 1; COMMIT",
            "SELECT ';'; ROLLBACK", "SELECT $$;$$; ABORT", "SELECT $a$ $b$ ; $a$;commit", "select E'\\'';commit",
            "BEGIN", "START TRANSACTION", "SAVEPOINT a", "RELEASE a", "ROLLBACK TO a", "PREPARE TRANSACTION 'x'",
            "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'", "SELECT 1;;commit", "COMMIT AND CHAIN",
        ]
        for script in scripts {
            let simple = await kind {
                try await pool.withTransaction { tx in
                    _ = try await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (1)"))
                    try await tx.simpleQuery(script)
                    throw Boom()
                }
            }
            #expect(simple == .transactionControlRefused, "simpleQuery \(script.debugDescription)")
            let plain = await kind {
                try await pool.withTransaction { tx in
                    _ = try await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (1)"))
                    _ = try await tx.executeBatch([RawStatement(text: "SELECT 1"), RawStatement(text: script)])
                    throw Boom()
                }
            }
            #expect(plain == .transactionControlRefused, "batch \(script.debugDescription)")
        }
        #expect(try await items(configuration) == [])
        await pool.close()
    }

    /// DO and CALL that COMMIT are refused by the server inside a transaction block (expected to hold).
    @Test func doBlockAndProcedureCommit() async throws {
        let (configuration, pool) = try await setUp("review_attack_do")
        try await TenancyDatabase.admin(
            configuration,
            "CREATE PROCEDURE public.p() LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.attack_items VALUES (7); COMMIT; END$$"
        )
        for script in ["DO $$BEGIN INSERT INTO public.attack_items VALUES (8); COMMIT; END$$", "CALL public.p()"] {
            _ = await kind {
                try await pool.withTransaction { tx in
                    _ = try await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (1)"))
                    try? await tx.simpleQuery(script)
                    throw Boom()
                }
            }
        }
        #expect(try await items(configuration).isEmpty)
        await pool.close()
    }

    /// ATTACK A: with standard_conforming_strings off (set by the closure itself, or by ALTER ROLE/DATABASE),
    /// PostgreSQL reads `\'` inside '...' as an escaped quote; the runtime's lexer does not, so a COMMIT the
    /// server sees is inside a string for the runtime.
    @Test func standardConformingStringsOffHidesCommit() async throws {
        let (configuration, pool) = try await setUp("review_attack_scs")
        let refused = await kind {
            try await pool.withTransaction { tx in
                _ = try await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (1)"))
                try await tx.simpleQuery("SET LOCAL standard_conforming_strings = off")
                try await tx.simpleQuery(#"SELECT 'x\'';COMMIT;--'"#)
                _ = try await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (2)"))
                throw Boom()
            }
        }
        // Refused before it is sent: with the setting off, a backslash means the runtime cannot read the text.
        #expect(refused == .standardConformingStringsOff)
        let kept = try await items(configuration)
        #expect(kept == [], "a throwing closure kept writes")
        await pool.close()
    }

    /// ATTACK B: a session of one's own (pool.withConnection) and `session.withTransaction` nested inside
    /// `session.withTransaction` (instead of `tx.withTransaction`): the inner BEGIN is only a warning, the
    /// inner COMMIT commits the outer transaction, and the rest runs in autocommit.
    @Test func nestedSessionWithTransactionCommitsOuter() async throws {
        let (configuration, pool) = try await setUp("review_attack_nested_session")
        let outcome = await kind {
            try await pool.withConnection { session in
                try await session.withTransaction { _ in
                    _ = try await session.execute(PlainStatement("INSERT INTO attack_items VALUES (1)"))
                    try await session.withTransaction { _ in
                        _ = try await session.execute(PlainStatement("INSERT INTO attack_items VALUES (2)"))
                    }
                    _ = try await session.execute(PlainStatement("INSERT INTO attack_items VALUES (3)"))
                    throw Boom()
                }
            }
        }
        // Either the inner withTransaction is refused, or nothing of the throwing closure is kept.
        #expect(outcome == .transactionControlRefused || outcome == nil)
        let kept = try await items(configuration)
        #expect(kept == [], "a throwing closure kept writes")
        await pool.close()
    }

    /// ATTACK C: a statement that passed the lifetime check while ROLLBACK waits for the connection runs
    /// after the ROLLBACK, in autocommit: the lifetime ends only after ROLLBACK returns.
    @Test func statementQueuedBehindRollbackRunsInAutocommit() async throws {
        let (configuration, pool) = try await setUp("review_attack_race_rollback", maxConnections: 1)
        _ = await kind {
            try await pool.withTransaction { tx in
                Task {
                    _ = try? await tx.query(RawStatement(text: "SELECT pg_sleep(0.3)::text AS v"))
                    _ = try? await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (3)"))
                }
                try await Task.sleep(for: .milliseconds(100))
                throw Boom()
            }
        }
        try await Task.sleep(for: .seconds(1))
        let kept = try await items(configuration)
        #expect(kept == [], "a write issued from the throwing closure was kept")
        await pool.close()
    }

    /// ATTACK C': the same behind ROLLBACK TO SAVEPOINT: the throwing savepoint's write lands in the outer
    /// transaction, which commits.
    @Test func statementQueuedBehindRollbackToSavepointIsKept() async throws {
        let (configuration, pool) = try await setUp("review_attack_race_savepoint", maxConnections: 1)
        try await pool.withTransaction { tx in
            _ = await kind {
                try await tx.withTransaction { savepoint in
                    Task {
                        _ = try? await savepoint.query(RawStatement(text: "SELECT pg_sleep(0.3)::text AS v"))
                        _ = try? await savepoint.execute(PlainStatement("INSERT INTO attack_items VALUES (3)"))
                    }
                    try await Task.sleep(for: .milliseconds(100))
                    throw Boom()
                }
            }
            try await Task.sleep(for: .milliseconds(700))
            _ = try await tx.execute(PlainStatement("INSERT INTO attack_items VALUES (9)"))
        }
        let kept = try await items(configuration)
        #expect(kept == ["9"], "the throwing savepoint's write was kept")
        await pool.close()
    }

    /// ATTACK D: a user-defined function that sets a setting for the session (the docs say functions are
    /// not seen): the next lease of the pooled connection inherits it.
    @Test func functionSessionStateReachesNextLease() async throws {
        let (configuration, pool) = try await setUp("review_attack_function_state", maxConnections: 1)
        try await TenancyDatabase.admin(
            configuration,
            "CREATE FUNCTION public.leak() RETURNS text LANGUAGE sql AS $$ SELECT set_config('application_name', 'leaked', false) $$"
        )
        try await pool.withTransaction { tx in
            _ = try await tx.query(RawStatement(text: "SELECT public.leak() AS v"))
        }
        let next = try await pool.queryFirst(RawStatement(text: "SELECT current_setting('application_name') AS v"))
        // Documented (README, "A lease starts clean"): what a user-defined function does inside is not seen.
        withKnownIssue("a user-defined function's body is not read") {
            #expect(next != "leaked", "the next lease inherited session state")
        }
        await pool.close()
    }

    // MARK: - 2. Migration runs

    private static let extraMigration = TenantMigration(
        version: 2, name: "extra", sql: "CREATE TABLE tenant_template.extra (id integer);")
    private static let slowMigration = TenantMigration(
        version: 2, name: "slow", sql: "CREATE TABLE tenant_template.slow AS SELECT pg_sleep(1.5)::text AS x;")

    @Test func secondConcurrentRunIsRefused() async throws {
        let configuration = try await TenancyDatabase.create("review_attack_mig_lock")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        let poolA = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let poolB = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let migrations = [TenancyDatabase.itemsMigration, Self.slowMigration]
        let first = Task { try await TenantProvisioner(tenantPool: poolA, migrations: migrations).migrateAll() }
        try await Task.sleep(for: .milliseconds(400))
        let second = await kind {
            _ = try await TenantProvisioner(tenantPool: poolB, migrations: migrations).migrateAll()
        }
        #expect(second == .migrationInProgress)
        let results = try await first.value
        #expect(results.allSatisfy { $0.failure == nil })
        await poolA.close()
        await poolB.close()
    }

    @Test func selectionsSelectExactlyWhatTheySay() async throws {
        let configuration = try await TenancyDatabase.create("review_attack_mig_select")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        let pool = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: pool, migrations: [TenancyDatabase.itemsMigration])
        let lists: [[String]] = [
            ["acme\",\"globex"], ["acme}"], ["{acme}"], ["acme\\"], ["\\\"acme"], ["acme\0"], ["globex", "acme\0"],
            ["acme'); --"], ["NULL"], [""], ["acme,globex"], ["ACME"],
        ]
        for list in lists {
            do {
                let status = try await provisioner.migrationStatus(.subdomains(list))
                let chosen = status.tenants.map(\.subdomain)
                #expect(chosen.allSatisfy(list.contains), "\(list.debugDescription) selected \(chosen)")
            } catch {}
        }
        let columns = ["subdomain\" OR true OR \"x", "subdomain)::text = ANY('{acme,globex}') OR (subdomain", "plan"]
        for column in columns {
            do {
                let status = try await provisioner.migrationStatus(.all.matching(column, ["none\",\"free"]))
                #expect(
                    status.tenants.isEmpty, "\(column.debugDescription) selected \(status.tenants.map(\.subdomain))")
            } catch {}
        }
        await pool.close()
    }

    @Test func dirtyTenantIsSkippedUntilRepaired() async throws {
        let configuration = try await TenancyDatabase.create("review_attack_mig_dirty")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        try await TenancyDatabase.admin(configuration, "CREATE TABLE tenant_acme.extra (id integer)")
        let pool = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(
            tenantPool: pool, migrations: [TenancyDatabase.itemsMigration, Self.extraMigration])
        let first = try await provisioner.migrateAll()
        #expect(first.first { $0.subdomain == "acme" }?.dirty == true)
        try await TenancyDatabase.admin(configuration, "DROP TABLE tenant_acme.extra")
        let second = try await provisioner.migrateAll()
        let acme = second.first { $0.subdomain == "acme" }
        #expect(acme?.applied == [] && acme?.dirty == true)
        try await provisioner.repairMigration(subdomain: "acme")
        let third = try await provisioner.migrateAll()
        #expect(third.first { $0.subdomain == "acme" }?.applied == [2])
        await pool.close()
    }

    @Test func reservedSchemasAreNeverTenants() async throws {
        let configuration = try await TenancyDatabase.create("review_attack_mig_reserved", registryCheck: false)
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        try await TenancyDatabase.admin(
            configuration,
            """
            INSERT INTO public.tenants (name, subdomain, schema_name) VALUES
              ('P', 'p1', 'public'), ('T', 'p2', 'tenant_template'), ('C', 'p3', 'pg_catalog'),
              ('I', 'p4', 'information_schema'), ('U', 'p5', 'PUBLIC'), ('Q', 'p6', '"public"'),
              ('S', 'p7', 'public '), ('B', 'p8', 'tenant_base')
            """)
        let pool = try TenancyDatabase.pool(configuration, maxConnections: 2)
        // A provisioner whose migrations are written against another template than the pool's option.
        let base = TenantMigration(
            version: 1, name: "items", sql: "CREATE SCHEMA tenant_base; CREATE TABLE tenant_base.items (id int);")
        let provisioner = TenantProvisioner(tenantPool: pool, migrations: [base], templateSchema: "tenant_base")
        let status = try await provisioner.migrationStatus()
        for tenant in status.tenants where tenant.subdomain.hasPrefix("p") {
            #expect(tenant.refusal != nil, "\(tenant.schemaName) read as a tenant")
        }
        let results = try await provisioner.migrateAll()
        for result in results where result.subdomain.hasPrefix("p") {
            #expect(result.applied.isEmpty, "\(result.schemaName) migrated")
        }
        await pool.close()
    }
}
