import CLibPQ
import Foundation
import SQLGenWire
import Testing

@testable import SQLGenRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// A hand-written statement type (not `PlainStatement`) with instance SQL, scope and tenant name offsets.
struct AttackRaw: SQLStatement {
    typealias Row = SQLRowValues
    static var name: String { "AttackRaw" }
    static var sql: String { "" }
    static var scope: StatementScope { .global }
    var sqlText: String
    var declaredScope: StatementScope
    var declaredTenantNameOffsets: [Int]?
    init(_ sql: String, _ scope: StatementScope = .global, offsets: [Int]? = nil) {
        self.sqlText = sql
        self.declaredScope = scope
        self.declaredTenantNameOffsets = offsets
    }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLRowValues { row.values }
}

/// What a session carries that a new one does not.
let attackProbeSQL = """
    SELECT coalesce(current_setting('app.leak', true), '') AS setting,
      (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::text AS locks,
      ((SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema())
        + (SELECT count(*) FROM pg_proc WHERE pronamespace = pg_my_temp_schema()))::text AS temps,
      (SELECT count(*) FROM pg_prepared_statements WHERE name NOT LIKE 'sqlgen%')::text AS prepared,
      (SELECT count(*) FROM pg_cursors WHERE name <> '')::text AS cursors,
      (SELECT count(*) FROM pg_listening_channels())::text AS listens,
      current_user::text AS who, current_setting('search_path') AS path, pg_backend_pid()::text AS pid
    """

struct SessionProbe: CustomStringConvertible {
    var values: SQLRowValues
    func clean(role: String = "sqlgen", path: String? = nil) -> Bool {
        values["setting"] == "" && values["locks"] == "0" && values["temps"] == "0" && values["prepared"] == "0"
            && values["cursors"] == "0" && values["listens"] == "0" && values["who"] == role
            && (path == nil || values["path"] == path)
    }
    var description: String {
        zip(values.columns, values.values).map { "\($0)=\($1 ?? "NULL")" }.joined(separator: " ")
    }
}

/// A socket that listens and never accepts: the TCP handshake completes, the server never speaks.
final class AttackSilentServer: @unchecked Sendable {
    let fd: Int32
    let port: UInt16
    init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        listen(fd, 512)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }
    deinit { close(fd) }
}

func attackOpenFDs() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1 }

@Suite("A lease starts clean, attacked", .serialized)
struct LeaseCleanAttackTests {
    static let probe = AttackRaw(attackProbeSQL, .global)

    /// A tenant pool of one connection over a fresh database with Acme and Globex; Acme has two items.
    static func setUp(_ name: String) async throws -> (PostgresConfiguration, TenantPool) {
        let configuration = try await TenancyDatabase.create(name)
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        let pool = try TenancyDatabase.pool(configuration, maxConnections: 1)
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(InsertItem(tenant: "acme-secret-1", value: 1))
            _ = try await pool.execute(InsertItem(tenant: "acme-secret-2", value: 2))
        }
        return (configuration, pool)
    }

    /// Resets the one connection: plain SQL always marks it for DISCARD ALL.
    static func scrub(_ pool: TenantPool) async throws {
        _ = try await pool.execute(PlainStatement("SELECT 1", scope: .global))
    }

    // MARK: 1. SessionEffects spellings, non-plain statements through a tenant pool

    @Test func nonPlainSpellingsDoNotLeakToNextLease() async throws {
        let (_, pool) = try await Self.setUp("atk2_spellings")
        defer { Task { await pool.close() } }
        let attacks: [(String, String)] = [
            ("baseline set_config", "SELECT set_config('app.leak', 'acme', false)"),
            ("quoted identifier", "SELECT \"set_config\"('app.leak', 'acme', false)"),
            ("tab before paren", "SELECT set_config\t('app.leak', 'acme', false)"),
            ("CR before paren", "SELECT set_config\r('app.leak', 'acme', false)"),
            ("comment before paren", "SELECT set_config/**/('app.leak', 'acme', false)"),
            ("unicode escape", "SELECT U&\"set\\005Fconfig\"('app.leak', 'acme', false)"),
            ("not true", "SELECT set_config('app.leak', 'acme', not true)"),
            ("dollar-quoted paren", "SELECT set_config('app.leak', $$ true)$$, false)"),
            ("E-string escape", "SELECT set_config('app.leak', E'\\' true)', false)"),
            ("FROM set_config", "SELECT * FROM set_config('app.leak', 'acme', false)"),
            ("values list", "VALUES (pg_catalog.set_config('app.leak', 'acme', false))"),
            ("advisory baseline", "SELECT pg_advisory_lock(4242)"),
            ("advisory unicode", "SELECT U&\"pg_advisory\\005Flock\"(4242)"),
            ("utility SET", "SET app.leak = 'acme'"),
            ("utility SET ROLE", "SET ROLE pg_read_all_data"),
            ("utility temp table", "CREATE TEMP TABLE leak_t AS SELECT 1 AS x"),
            ("utility PREPARE", "PREPARE leak_p AS SELECT 1"),
            ("utility WITH HOLD", "DECLARE leak_c CURSOR WITH HOLD FOR SELECT 1"),
            ("utility LISTEN", "LISTEN leak_channel"),
            ("DO EXECUTE", "DO $$ BEGIN EXECUTE 'SET app.leak = ' || quote_literal('acme'); END $$"),
            ("DO plpgsql SET", "DO $$ BEGIN SET app.leak = 'acme'; END $$"),
            ("SELECT INTO LOCAL TEMP", "SELECT tenant INTO LOCAL TEMP leak_t1 FROM items"),
            ("SELECT INTO LOCAL TEMPORARY", "SELECT tenant INTO LOCAL TEMPORARY leak_t2 FROM items"),
            ("SELECT INTO GLOBAL TEMPORARY", "SELECT tenant INTO GLOBAL TEMPORARY leak_t3 FROM items"),
            ("WITH ... SELECT INTO TEMP", "WITH t AS (SELECT tenant FROM items) SELECT * INTO TEMP leak_t4 FROM t"),
            (
                "EXPLAIN options, then CREATE TEMP",
                "EXPLAIN (ANALYZE true, COSTS false) CREATE TEMP TABLE leak_t5 AS SELECT tenant FROM items"
            ),
            (
                "quoted \"true\" as is_local",
                "SELECT set_config('app.leak', 'acme', \"true\") FROM (VALUES (false)) AS v(\"true\")"
            ),
            ("EXPLAIN ANALYZE VERBOSE, then SET", "EXPLAIN (ANALYZE on) SELECT set_config('app.leak', 'acme', false)"),
        ]
        var leaks: [String] = []
        for (label, sql) in attacks {
            var ran = "ran"
            do {
                try await pool.withTenant(subdomain: "acme") { _ = try await pool.query(AttackRaw(sql, .tenant)) }
            } catch { ran = "failed: \(error)" }
            let after = try await pool.withTenant(subdomain: "globex") {
                SessionProbe(values: try await pool.query(Self.probe)[0])
            }
            if !after.clean() { leaks.append("\(label) [\(sql)] (\(ran)) -> next lease saw \(after)") }
            try await Self.scrub(pool)
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
    }

    // MARK: cross-tenant reads through state the previous lease left

    @Test func heldCursorOfAcmeIsNotReadableByGlobex() async throws {
        let (_, pool) = try await Self.setUp("atk2_cursor")
        defer { Task { await pool.close() } }
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(
                AttackRaw("DECLARE leakcur CURSOR WITH HOLD FOR SELECT tenant FROM items", .tenant))
        }
        let rows = try? await pool.withTenant(subdomain: "globex") {
            try await pool.query(AttackRaw("FETCH ALL FROM leakcur", .tenant))
        }
        #expect(!(rows ?? []).contains { $0.values.contains { $0?.hasPrefix("acme") == true } })
    }

    @Test func preparedPlanOfAcmeIsNotExecutableByGlobex() async throws {
        let (_, pool) = try await Self.setUp("atk2_prepare")
        defer { Task { await pool.close() } }
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(AttackRaw("PREPARE leakplan AS SELECT tenant FROM items", .tenant))
        }
        let rows = try? await pool.withTenant(subdomain: "globex") {
            try await pool.query(AttackRaw("EXECUTE leakplan", .tenant))
        }
        #expect(!(rows ?? []).contains { $0.values.contains { $0?.hasPrefix("acme") == true } })
    }

    @Test func tempTableOfAcmeIsNotReadableByGlobex() async throws {
        let (_, pool) = try await Self.setUp("atk2_temp")
        defer { Task { await pool.close() } }
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(AttackRaw("CREATE TEMP TABLE leaktemp AS SELECT tenant FROM items", .tenant))
        }
        let rows = try? await pool.withTenant(subdomain: "globex") {
            try await pool.query(AttackRaw("SELECT tenant FROM pg_temp.leaktemp", .tenant))
        }
        #expect(!(rows ?? []).contains { $0.values.contains { $0?.hasPrefix("acme") == true } })
    }

    /// A function (migrated by the app) that sets a setting: the statement's text shows nothing.
    @Test func settingMadeInsideAFunctionDoesNotReachNextLease() async throws {
        let (configuration, pool) = try await Self.setUp("atk2_function")
        defer { Task { await pool.close() } }
        try await TenancyDatabase.admin(
            configuration,
            "CREATE FUNCTION public.remember_tenant(t text) RETURNS text LANGUAGE sql AS $f$ SELECT pg_catalog.set_config('app.leak', t, false) $f$"
        )
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.query(AttackRaw("SELECT public.remember_tenant('acme')", .tenant))
        }
        let after = try await pool.withTenant(subdomain: "globex") {
            SessionProbe(values: try await pool.query(Self.probe)[0])
        }
        // Documented: what a user-defined function does inside is not seen (README, "A lease starts clean").
        withKnownIssue("a user-defined function's body is not read") {
            #expect(after.clean(), "\(after)")
        }
    }

    /// The session's temp schema named by its real name, `pg_temp_N`, rather than by the `pg_temp` alias.
    @Test func tempTableInTheNumberedTempSchemaDoesNotReachNextLease() async throws {
        let (_, pool) = try await Self.setUp("atk2_temp_numbered")
        defer { Task { await pool.close() } }
        // The one connection's temp schema gets its name once a temp object exists; the reset keeps the name.
        let schema = try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(PlainStatement("CREATE TEMP TABLE warm (x int)", scope: .tenant))
            return try await pool.queryFirst(
                AttackRaw("SELECT pg_my_temp_schema()::regnamespace::text AS s", .tenant))?["s"] ?? nil
        }
        let name = try #require(schema)
        #expect(name.hasPrefix("pg_temp_"))
        for sql in [
            "CREATE TABLE \(name).leak_numbered AS SELECT tenant FROM items",
            "CREATE TABLE \"\(name)\".leak_quoted AS SELECT tenant FROM items",
            "SELECT tenant INTO \(name).leak_into FROM items",
        ] {
            try await pool.withTenant(subdomain: "acme") { _ = try await pool.execute(AttackRaw(sql, .tenant)) }
            let after = try await pool.withTenant(subdomain: "globex") {
                SessionProbe(values: try await pool.query(Self.probe)[0])
            }
            #expect(after.clean(), "\(sql) -> next lease saw \(after)")
            try await Self.scrub(pool)
        }
    }

    /// A path that puts the temp schema first makes new tables temporary: the next lease, another
    /// tenant's, would write into a table of this one's.
    @Test func pathWithTheTempSchemaFirstIsCaught() async throws {
        let (configuration, pool) = try await Self.setUp("atk2_temp_first")
        defer { Task { await pool.close() } }
        do {
            try await pool.withTenant(subdomain: "acme") {
                try await pool.withTransaction { transaction in
                    _ = try await transaction.execute(
                        AttackRaw(
                            "SELECT set_config('search_path', 'pg_temp, \"tenant_acme\", \"public\"', true)", .tenant))
                    _ = try await transaction.execute(AttackRaw("CREATE TABLE invoices_archive (body text)", .tenant))
                }
            }
            Issue.record("BROKEN: a path with the temp schema first passed the check")
        } catch let error as SQLGenError {
            #expect(error.kind == .tenantSchemaUnavailable, "\(error)")
        }
        let after = try await pool.withTenant(subdomain: "globex") {
            SessionProbe(values: try await pool.query(Self.probe)[0])
        }
        #expect(after.clean(), "\(after)")
        let made = try await TenancyDatabase.adminValues(
            configuration, "SELECT count(*)::text FROM pg_class WHERE relname = 'invoices_archive'")
        #expect(made == ["0"])
    }

    /// Text the server would read in another encoding than the runtime: refused before it is sent.
    @Test func clientEncodingChangesAreRefused() async throws {
        let (configuration, pool) = try await Self.setUp("atk2_encoding")
        defer { Task { await pool.close() } }
        for sql in [
            "SELECT set_config('client_encoding', 'GBK', true)", "SET LOCAL client_encoding = 'GBK'",
            "SET NAMES 'SJIS'", "SELECT set_config('standard_conforming_strings', 'off', true)",
            "SELECT set_config($1, 'GBK', true)",
        ] {
            await expectFailure(.standardConformingStringsOff) {
                try await pool.withTenant(subdomain: "acme") {
                    try await pool.withTransaction { transaction in
                        _ = try await transaction.execute(AttackRaw(sql, .tenant))
                    }
                }
            }
        }
        // Set behind the runtime's back: multibyte text is refused, since its reading may differ.
        let session = try await PostgresSession.connect(configuration)
        defer { Task { await session.close() } }
        await session.runBehindTheRuntime("SET client_encoding = 'GBK'")
        await expectFailure(.standardConformingStringsOff) {
            _ = try await session.query(
                AttackRaw("SELECT E'\u{4E2D}\\', pg_catalog.set_config($$app.leak$$, $$x$$, false) AS a --'"))
        }
    }

    /// `currval()`: the last value this session drew from a sequence, perhaps in Acme's lease.
    @Test func currvalOfAcmeIsNotVisibleToGlobex() async throws {
        let (_, pool) = try await Self.setUp("atk2_currval")
        defer { Task { await pool.close() } }
        try await Self.scrub(pool)
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(InsertItem(tenant: "acme-secret-3", value: 3))
        }
        for sql in [
            "SELECT currval('tenant_acme.items_id_seq')::text AS v",
            "SELECT pg_catalog.currval('tenant_acme.items_id_seq'::regclass)::text AS v",
            "SELECT \"currval\"('tenant_acme.items_id_seq')::text AS v",
        ] {
            do {
                let value = try await pool.withTenant(subdomain: "globex") {
                    try await pool.query(AttackRaw(sql, .tenant))
                }
                Issue.record("globex read acme's currval: \(value)")
            } catch let error as SQLGenError {
                #expect(error.kind == .sessionStateRead, "\(sql): \(error)")
            }
        }
    }

    /// `lastval()` is session state too: the previous lease's sequence value.
    @Test func lastvalOfAcmeIsNotVisibleToGlobex() async throws {
        let (_, pool) = try await Self.setUp("atk2_lastval")
        defer { Task { await pool.close() } }
        try await Self.scrub(pool)
        try await pool.withTenant(subdomain: "acme") {
            _ = try await pool.execute(InsertItem(tenant: "acme-secret-3", value: 3))
        }
        // Routed, and as a read whose tenant names are qualified (`items` at the end).
        let qualified = "SELECT lastval()::text AS v FROM items"
        for statement in [
            AttackRaw("SELECT U&\"lastva\\006C\"()::text AS v", .tenant),
            AttackRaw("SELECT query_to_xml('SELECT lastval() AS v', false, false, '')::text AS v", .tenant),
            AttackRaw("SELECT lastval()::text AS v", .tenant),
            AttackRaw(qualified, .tenant, offsets: [qualified.utf8.count - 5]),
        ] {
            do {
                let value = try await pool.withTenant(subdomain: "globex") { try await pool.query(statement) }
                Issue.record("globex read acme's lastval: \(value)")
            } catch let error as SQLGenError {
                #expect(error.kind == .sessionStateRead, "\(error)")
            }
        }
    }

    /// A generated tenant read with tenant name offsets runs through runQualified, which never looks at
    /// the session effects of its text.
    @Test func qualifiedReadSettingDoesNotReachNextLease() async throws {
        let (_, pool) = try await Self.setUp("atk2_qualified")
        defer { Task { await pool.close() } }
        for sql in [
            "SELECT set_config('app.leak', 'acme', false) AS s, tenant FROM items",
            "SELECT pg_advisory_lock(4242)::text AS s, tenant FROM items",
        ] {
            let offset = sql.utf8.count - "items".utf8.count
            try await pool.withTenant(subdomain: "acme") {
                _ = try await pool.query(AttackRaw(sql, .tenant, offsets: [offset]))
            }
            let after = try await pool.withTenant(subdomain: "globex") {
                SessionProbe(values: try await pool.query(Self.probe)[0])
            }
            #expect(after.clean(), "qualified read [\(sql)] leaked: \(after)")
            try await Self.scrub(pool)
        }
    }

    /// `simpleQuery` text that starts with SAVEPOINT is not marked (keepsSearchPath skips notePlainSQL).
    @Test func simpleQueryAfterSavepointIsReset() async throws {
        let configuration = try await TenancyDatabase.create("atk2_savepoint")
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: configuration, options: options)
        defer { Task { await pool.close() } }
        try await pool.withConnection { connection in
            try await connection.simpleQuery("BEGIN")
            try await connection.simpleQuery("SAVEPOINT s; SET app.leak = 'lease1'; SELECT pg_advisory_lock(7)")
            try await connection.simpleQuery("COMMIT")
        }
        let after = try await pool.withConnection { connection in
            SessionProbe(values: try await connection.query(Self.probe)[0])
        }
        #expect(after.clean(), "\(after)")
    }

    // MARK: 2. Behind PgBouncer (transaction pooling, one server connection)

    static func bouncerSetUp(_ name: String) async throws -> (
        direct: PostgresConfiguration, bouncer: PostgresConfiguration
    ) {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_PGBOUNCER_URL"] else {
            throw SQLGenError(.connectionFailed, message: "no PgBouncer")
        }
        let direct = try await TenancyDatabase.create(name)
        try await TenancyDatabase.admin(
            direct,
            "ALTER DATABASE \(name) SET DateStyle = 'ISO'; ALTER DATABASE \(name) SET TimeZone = 'UTC'; ALTER DATABASE \(name) SET IntervalStyle = 'iso_8601'; ALTER DATABASE \(name) SET extra_float_digits = 3"
        )
        var bouncer = try PostgresConfiguration(url: url)
        bouncer.parameters["dbname"] = name
        bouncer.transactionPooling = true
        return (direct, bouncer)
    }

    /// Ends every server connection of the database (PgBouncer opens a new one for the next client).
    static func killServers(_ direct: PostgresConfiguration, _ name: String) async throws {
        try await TenancyDatabase.admin(
            direct,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()"
        )
        try await Task.sleep(for: .milliseconds(150))
    }

    /// What the shared server connection carries, as another client of the pooler sees it.
    static func bouncerProbe(_ bouncer: PostgresConfiguration) async throws -> SessionProbe {
        let session = try await PostgresSession.connect(bouncer)
        defer { Task { await session.close() } }
        return SessionProbe(values: try await session.query(probe)[0])
    }

    enum Outcome: CustomStringConvertible {
        case refused, failed(String), leaked(SessionProbe), clean
        var description: String {
            switch self {
            case .refused: "refused"
            case .failed(let m): "server failed: \(m.prefix(140))"
            case .leaked(let p): "LEAKED: \(p)"
            case .clean: "ran, nothing left"
            }
        }
    }

    static func attempt(
        _ direct: PostgresConfiguration, _ bouncer: PostgresConfiguration, _ name: String,
        _ body: () async throws -> Void
    ) async throws -> Outcome {
        try await killServers(direct, name)
        do {
            try await body()
        } catch let error as SQLGenError where error.kind == .sessionStateBehindPooler {
            return .refused
        } catch {
            return .failed("\(error)")
        }
        let after = try await bouncerProbe(bouncer)
        return after.clean(path: "\"$user\", public") ? .clean : .leaked(after)
    }

    @Test func plainSQLBehindPoolerIsRefusedOrHarmless() async throws {
        let name = "atk2_bouncer_plain"
        let (direct, bouncer) = try await Self.bouncerSetUp(name)
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: bouncer, options: options)
        defer { Task { await pool.close() } }
        let attacks: [String] = [
            "SET app.leak = 'x'",
            "SET /**/ app.leak = 'x'",
            "sEt app.leak = 'x'",
            "SET local.leak = 'x'",
            "SET transaction.leak = 'x'",
            "SET constraints.leak = 'x'",
            "SET ROLE pg_read_all_data",
            "DO $$ BEGIN EXECUTE 'SET app.leak = ' || quote_literal('x'); END $$",
            "DO $$ BEGIN SET app.leak = 'x'; END $$",
            "DO $$ BEGIN PERFORM pg_advisory_lock(99); END $$",
            "SELECT 1 AS x INTO pg_temp.leak",
            "CREATE TABLE pg_temp.leak (x int)",
            "CREATE FUNCTION pg_temp.leakfn() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "WITH q AS (SELECT 1 AS x) SELECT * INTO TEMP leak FROM q",
            "EXPLAIN ANALYZE CREATE TEMP TABLE leak AS SELECT 1",
            "SELECT E'\\'', 1 INTO TEMP leak",
            "CREATE TEMP TABLE leak (x int)",
            "SELECT set_config\t('app.leak', 'x', false)",
            "SELECT set_config/**/('app.leak', 'x', false)",
            "SELECT \"set_config\"('app.leak', 'x', false)",
            "SELECT U&\"set\\005Fconfig\"('app.leak', 'x', false)",
            "SELECT set_config('app.leak', 'x', not true)",
            "SELECT U&\"pg_advisory\\005Flock\"(4242)",
            "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "PREPARE leak_p AS SELECT 1",
            "LISTEN leak_channel",
        ]
        var leaks: [String] = []
        for sql in attacks {
            // Probed from another client while the lease still holds its connection: the pooler has
            // already given the server connection back, and the lease's DISCARD ALL has not run yet.
            try await Self.killServers(direct, name)
            var outcome = Outcome.clean
            do {
                let seen = try await pool.withConnection { connection in
                    _ = try await connection.execute(PlainStatement(sql))
                    return try await Self.bouncerProbe(bouncer)
                }
                if !seen.clean(path: "\"$user\", public") { outcome = .leaked(seen) }
            } catch let error as SQLGenError where error.kind == .sessionStateBehindPooler {
                outcome = .refused
            } catch {
                outcome = .failed("\(error)")
            }
            if case .leaked = outcome { leaks.append("[\(sql)] \(outcome)") }
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
    }

    @Test func nonPlainAndSimpleQueryBehindPoolerAreRefusedOrHarmless() async throws {
        let name = "atk2_bouncer_raw"
        let (direct, bouncer) = try await Self.bouncerSetUp(name)
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: bouncer, options: options)
        defer { Task { await pool.close() } }
        var leaks: [String] = []
        for sql in [
            "SET app.leak = 'x'", "CREATE TEMP TABLE leak (x int)", "DECLARE leak_c CURSOR WITH HOLD FOR SELECT 1",
            "PREPARE leak_p AS SELECT 1", "LISTEN leak_channel", "SELECT set_config('app.leak', 'x', not true)",
        ] {
            let outcome = try await Self.attempt(direct, bouncer, name) {
                _ = try await pool.query(AttackRaw(sql, .unscoped))
            }
            if case .leaked = outcome { leaks.append("non-plain [\(sql)] \(outcome)") }
        }
        for sql in ["SET app.leak = 'x'", "SELECT pg_advisory_lock(5)"] {
            let outcome = try await Self.attempt(direct, bouncer, name) {
                try await pool.withConnection { try await $0.simpleQuery(sql) }
            }
            if case .leaked = outcome { leaks.append("simpleQuery [\(sql)] \(outcome)") }
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
    }

    /// simpleQuery is never refused behind the pooler: until the lease ends (and its DISCARD ALL runs),
    /// any other client the pooler serves gets the server connection with the setting.
    @Test func simpleQueryBehindPoolerIsRefused() async throws {
        let name = "atk2_bouncer_simple"
        let (direct, bouncer) = try await Self.bouncerSetUp(name)
        try await Self.killServers(direct, name)
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: bouncer, options: options)
        defer { Task { await pool.close() } }
        var refused = false
        var seen: SessionProbe?
        do {
            seen = try await pool.withConnection { connection in
                try await connection.simpleQuery("SET app.leak = 'lease-a'; SELECT pg_advisory_lock(77)")
                return try await Self.bouncerProbe(bouncer)
            }
        } catch let error as SQLGenError where error.kind == .sessionStateBehindPooler {
            refused = true
        }
        #expect(refused || seen?.clean(path: "\"$user\", public") == true, "\(String(describing: seen))")
    }

    @Test(arguments: [TenantSwitching.transactionLocal])
    func tenantPoolBehindPoolerLeavesNothingOnTheServer(switching: TenantSwitching) async throws {
        let name = "atk2_bouncer_tenant_\(switching == .transactionLocal ? "local" : "affinity")"
        let (direct, bouncer) = try await Self.bouncerSetUp(name)
        _ = try await TenancyDatabase.acmeAndGlobex(direct)
        let pool = try TenancyDatabase.pool(bouncer, maxConnections: 1, switching: switching)
        defer { Task { await pool.close() } }
        var leaks: [String] = []
        let qualified = "SELECT pg_advisory_lock(4243)::text AS s, tenant FROM items"
        let cases: [(String, AttackRaw)] = [
            ("plain tenant read", AttackRaw("SELECT tenant FROM items", .tenant)),
            ("qualified advisory lock", AttackRaw(qualified, .tenant, offsets: [qualified.utf8.count - 5])),
            ("routed SET", AttackRaw("SET app.leak = 'x'", .tenant)),
            ("routed temp table", AttackRaw("CREATE TEMP TABLE leak AS SELECT tenant FROM items", .tenant)),
            ("routed set_config not true", AttackRaw("SELECT set_config('app.leak', 'x', not true)", .tenant)),
            ("routed advisory unicode", AttackRaw("SELECT U&\"pg_advisory\\005Flock\"(4244)", .tenant)),
        ]
        for (label, statement) in cases {
            let outcome = try await Self.attempt(direct, bouncer, name) {
                try await pool.withTenant(subdomain: "acme") { _ = try await pool.query(statement) }
            }
            if case .leaked = outcome { leaks.append("\(label): \(outcome)") }
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
    }

    /// Harmless SQL must run behind the pooler.
    @Test func harmlessSQLBehindPoolerIsNotRefused() async throws {
        let name = "atk2_bouncer_false"
        let (_, bouncer) = try await Self.bouncerSetUp(name)
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: bouncer, options: options)
        defer { Task { await pool.close() } }
        var refused: [String] = []
        for sql in [
            "SELECT 'set role x'",
            "SELECT 'x; set role x'",
            "SELECT E'it\\'s; set role x'",
            "SELECT $q1$; SET ROLE x$q1$",
            "SELECT 1 /* /* nested */ ; set role x */",
            "SELECT 'set_config(''a'', ''b'', false)'",
            "SELECT 1 -- takes pg_advisory_lock on purpose? no",
            "SELECT set_config('app.leak', 'x', true)",
            "SELECT set_config('app.leak', 'x', TRUE )",
            "SELECT pg_advisory_xact_lock(1)",
            "SELECT 1 AS temp",
            "SELECT 'temp' AS x",
        ] {
            do throws(SQLGenError) {
                _ = try await pool.query(PlainStatement(sql))
            } catch {
                if error.kind == .sessionStateBehindPooler {
                    refused.append(sql)
                } else {
                    Issue.record("\(sql) failed: \(error)")
                }
            }
        }
        #expect(refused.isEmpty, "falsely refused: \(refused)")
    }

    // MARK: 3. Connect timeout

    @Test func connectTimeoutGivesUpAndLeaksNoSockets() async throws {
        let server = AttackSilentServer()
        var configuration = try PostgresConfiguration(
            url: "postgres://x@127.0.0.1:\(server.port)/db?sslmode=disable")
        configuration.connectTimeout = .milliseconds(300)
        let fixed = configuration
        // warm the reactor
        _ = try? await PostgresSession.connect(configuration)
        let before = attackOpenFDs()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await PostgresSession.connect(fixed)
                        Issue.record("connected to a silent server")
                    } catch {}
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        // Suites running beside this one open and close descriptors of their own meanwhile: wait, up
        // to two seconds, for the count to come back, which 20 leaked sockets never would.
        var after = attackOpenFDs()
        for _ in 0..<20 where after > before + 2 {
            try await Task.sleep(for: .milliseconds(100))
            after = attackOpenFDs()
        }
        #expect(elapsed < .seconds(3))
        #expect(after <= before + 2, "fds \(before) -> \(after)")
    }

    /// Timed-out connects wake their socket numbers for a while; a real connection reusing that number
    /// must keep working (and must not hang).
    @Test func timeoutsInterleavedWithRealConnections() async throws {
        let server = AttackSilentServer()
        var silent = try PostgresConfiguration(url: "postgres://x@127.0.0.1:\(server.port)/db?sslmode=disable")
        silent.connectTimeout = .milliseconds(50)
        var real = try TestDatabase.configuration()
        real.connectTimeout = .seconds(5)
        let silentFixed = silent
        let realFixed = real
        let failures = LockedState(0)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    for _ in 0..<15 {
                        if worker % 2 == 0 {
                            _ = try? await PostgresSession.connect(silentFixed)
                        } else {
                            do {
                                let session = try await PostgresSession.connect(realFixed)
                                _ = try await session.query(AttackRaw("SELECT pg_sleep(0.01)::text", .unscoped))
                                await session.close()
                            } catch {
                                failures.withLock { $0 += 1 }
                            }
                        }
                    }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func hugeURLConnectTimeoutDoesNotCrash() async throws {
        let server = AttackSilentServer()
        let configuration = try PostgresConfiguration(
            url: "postgres://x@127.0.0.1:\(server.port)/db?sslmode=disable&connect_timeout=9223372036854775807")
        let task = Task { try await PostgresSession.connect(configuration) }
        try await Task.sleep(for: .seconds(2))
        task.cancel()
    }

    @Test func cancelledConnectReturns() async throws {
        let server = AttackSilentServer()
        var configuration = try PostgresConfiguration(url: "postgres://x@127.0.0.1:\(server.port)/db?sslmode=disable")
        configuration.connectTimeout = .seconds(60)
        let started = ContinuousClock.now
        let task = Task { try await PostgresSession.connect(configuration) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        _ = await task.result
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(5), "a cancelled connect kept waiting for its 60 s deadline")
    }
}

extension PostgresSession {
    /// Runs `sql` on the connection without the runtime reading it, as other code holding the
    /// connection could.
    func runBehindTheRuntime(_ sql: String) async {
        guard let handle = native.connection else { return }
        PQclear(await execSimple(handle, sql))
    }
}
