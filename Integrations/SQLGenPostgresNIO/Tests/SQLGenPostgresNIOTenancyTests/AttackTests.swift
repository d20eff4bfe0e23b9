import Foundation
import PostgresNIO
import SQLGenPostgresNIO
import SQLGenPostgresNIOTestSupport
import SQLGenRuntime
import Testing

/// Attacks on tenant isolation through the public API of SQLGenPostgresNIO / SQLGenRuntime / PostgresNIO.
/// Every test asserts the *secure* outcome: a failing test is a hole.
@Suite("Attack: PostgresNIO tenant isolation", .serialized)
struct AttackTests {
    static let server = TestServer(database: "sqlgen_nio_attack") { configuration in
        try await NIOTenantIsolationTests.provision(
            configuration,
            extraSQL: "DO $$ BEGIN CREATE ROLE attack_low NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "GRANT USAGE ON SCHEMA public TO attack_low",
            seedSQL: "INSERT INTO tenant_acme.notes (tenant, body) VALUES ('acme', 'acme-secret'); "
                + "INSERT INTO tenant_globex.notes (tenant, body) VALUES ('globex', 'globex-secret')")
    }

    static func global(_ sql: String) -> PlainStatement { PlainStatement(sql, scope: .global) }
    static func tenant(_ sql: String) -> PlainStatement { PlainStatement(sql, scope: .tenant) }

    /// What the next lease of a one-connection client finds: the session's path, the notes an
    /// unqualified `notes` resolves to, the role, and whether a transaction is open.
    struct Probe: CustomStringConvertible {
        var path: String
        var bodies: String
        var role: String
        var inTransaction: Bool
        var description: String { "path=\(path) notes=[\(bodies)] role=\(role) inTransaction=\(inTransaction)" }
    }

    static func probe(_ plain: PostgresNIOExecutor) async throws -> Probe {
        let row = try await plain.queryFirst(
            global("SELECT pg_catalog.current_setting('search_path') AS path, current_user AS role"))
        // SAVEPOINT succeeds only inside a transaction block.
        var inTransaction = true
        do { _ = try await plain.execute(global("SAVEPOINT attack_probe")) } catch { inTransaction = false }
        var bodies = ""
        do {
            bodies =
                try await plain.queryFirst(
                    global("SELECT pg_catalog.string_agg(body, ',' ORDER BY id) AS bodies FROM notes"))?["bodies"] ?? ""
        } catch { bodies = "error: \(error)" }
        return Probe(path: row?["path"] ?? "?", bodies: bodies, role: row?["role"] ?? "?", inTransaction: inTransaction)
    }

    static func clean(_ probe: Probe) -> Bool {
        probe.path == "\"$user\", public" && probe.bodies == "decoy" && !probe.inTransaction && probe.role == "sqlgen"
    }

    /// Brings a one-connection client's connection back to a clean session (after a hole was shown).
    static func scrub(_ client: PostgresClient) async {
        _ = try? await client.query("ROLLBACK")
        _ = try? await client.query("RESET ALL")
        _ = try? await client.query("RESET ROLE")
    }

    // MARK: - A. Session-effects scanner bypass: UPDATE pg_settings (= set_config(name, value, false))

    @Test("A1: UPDATE pg_settings cannot set the session's search_path for the next lease")
    func pgSettingsSearchPath() async throws {
        try await Self.server.withClient(connections: 1) { client in
            defer { Task { await Self.scrub(client) } }
            let plain = PostgresNIOExecutor(client)
            var refused = false
            do {
                _ = try await plain.execute(
                    Self.global("UPDATE pg_settings SET setting = 'tenant_acme, public' WHERE name = 'search_path'"))
            } catch {
                refused = true
                print("A1 refused: \(error)")
            }
            let next = try await Self.probe(plain)
            print("A1 next lease: \(next)")
            #expect(refused, "UPDATE pg_settings passed the session-effects scanner")
            #expect(Self.clean(next), "the next lease found \(next)")
            await Self.scrub(client)
        }
    }

    // MARK: - B. Transaction control is not refused: a lease goes back mid-transaction

    @Test("B1: a plain BEGIN cannot leave the client's connection mid-transaction for the next lease")
    func plainBeginLeavesTransactionOpen() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            var refused = false
            do {
                _ = try await plain.execute(Self.global("BEGIN"))
                // Transaction-local settings are allowed by the scanner, but now outlive the lease.
                _ = try await plain.queryFirst(
                    Self.global("SELECT pg_catalog.set_config('search_path', 'tenant_acme, public', true)"))
                _ = try await plain.execute(Self.global("SET LOCAL ROLE attack_low"))
                _ = try await plain.queryFirst(Self.global("SELECT pg_advisory_xact_lock(4242)"))
            } catch {
                refused = true
                print("B1 refused: \(error)")
            }
            // The next lease (any other request of the process).
            let next = try await Self.probe(plain)
            print("B1 next lease: \(next)")
            #expect(refused, "BEGIN passed StatementChecks and the connection went back to the client in a transaction")
            #expect(Self.clean(next), "the next lease found \(next)")
            await Self.scrub(client)
        }
    }

    @Test("B2: COMMIT inside a tenant transaction cannot make a later tenant write land outside the tenant's schema")
    func commitInsideTenantTransaction() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            let plain = PostgresNIOExecutor(client)
            let marker = "b2-\(UUID().uuidString)"
            do {
                try await tenants.withTenant(subdomain: "acme") {
                    try await tenants.withTransaction { tx in
                        _ = try await tx.execute(Self.global("COMMIT"))
                        _ = try await tx.execute(
                            Self.tenant("INSERT INTO notes (tenant, body) VALUES ('acme', '\(marker)')"))
                    }
                }
            } catch {
                print("B2 the transaction threw: \(error)")
            }
            let shared = try await plain.queryFirst(
                Self.global("SELECT count(*)::text AS n FROM public.notes WHERE body = '\(marker)'"))?["n"]
            print("B2 acme rows committed into public.notes: \(shared ?? "?")")
            #expect(shared == "0", "acme's tenant INSERT ran on the default path and was committed into public.notes")
            _ = try await plain.execute(Self.global("DELETE FROM public.notes WHERE body = '\(marker)'"))
        }
    }

    @Test("B3: ROLLBACK inside a tenant transaction cannot silently split it")
    func rollbackInsideTenantTransaction() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            let plain = PostgresNIOExecutor(client)
            let marker = "b3-\(UUID().uuidString)"
            var threw = false
            do {
                try await tenants.withTenant(subdomain: "acme") {
                    try await tenants.withTransaction { tx in
                        _ = try await tx.execute(Self.global("ROLLBACK"))
                        _ = try await tx.execute(Self.global("BEGIN"))
                        _ = try await tx.execute(
                            Self.global("INSERT INTO public.notes (tenant, body) VALUES ('x', '\(marker)')"))
                    }
                }
            } catch {
                threw = true
                print("B3 threw: \(error)")
            }
            let next = try await Self.probe(plain)
            print("B3 threw=\(threw); next lease: \(next)")
            #expect(threw, "transaction control inside withTransaction was accepted")
            _ = try await plain.execute(Self.global("DELETE FROM public.notes WHERE body = '\(marker)'"))
            await Self.scrub(client)
        }
    }

    // MARK: - C. COPY's INSERT fallback runs S.sql without the session-effects scan

    struct EvilCopy: SQLCopyStatement {
        typealias Row = SQLNoRow
        static var name: String { "EvilCopy" }
        static var sql: String { "SET search_path = tenant_acme, public" }
        static var scope: StatementScope { .global }
        static var copyTable: String { "public.notes" }
        static var copyColumns: [String] { ["body"] }
        func bind(to bindings: inout SQLBindings) {}
        static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
    }

    @Test("C1: a COPY statement whose table has a dot cannot run a session SET through the INSERT fallback")
    func copyFallbackUnscanned() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            var refused = false
            do {
                _ = try await plain.copy([EvilCopy()])
            } catch {
                refused = true
                print("C1 refused: \(error)")
            }
            let next = try await Self.probe(plain)
            print("C1 next lease: \(next)")
            #expect(refused, "BulkStatements' INSERT fallback ran S.sql unchecked")
            #expect(Self.clean(next), "the next lease found \(next)")
            await Self.scrub(client)
        }
    }

    // MARK: - D. withConnection's executor escapes its closure

    @Test("D1: an executor kept past withConnection cannot run on a connection another tenant's transaction holds")
    func withConnectionEscape() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            let tenants = try PostgresNIOTenantExecutor(client)
            let escaped = try await plain.withConnection { connection in connection }
            let marker = "d1-\(UUID().uuidString)"
            var leaked: [String] = []
            var refused = false
            _ = try? await tenants.withTenant(subdomain: "acme") {
                try await tenants.withTransaction { tx in
                    _ = try await tx.execute(
                        Self.tenant("INSERT INTO notes (tenant, body) VALUES ('acme', '\(marker)')"))
                    // Another request, with no tenant, holding the escaped executor.
                    let result = await Task.detached { () -> Result<[PlainStatement.Row], SQLGenError> in
                        do throws(SQLGenError) {
                            return .success(try await escaped.query(Self.global("SELECT body FROM notes ORDER BY id")))
                        } catch { return .failure(error) }
                    }.value
                    switch result {
                    case .success(let rows): leaked = rows.compactMap { $0["body"] }
                    case .failure(let error):
                        refused = true
                        print("D1 refused: \(error)")
                    }
                    throw CancellationError()  // roll acme's work back
                }
            }
            print("D1 the escaped executor read: \(leaked)")
            #expect(refused, "the escaped executor ran inside acme's transaction and read \(leaked)")
        }
    }

    // MARK: - E. Concurrent statements of different tenants in one transaction

    @Test("E1: concurrent tenants in one withTransaction never see each other's rows")
    func concurrentTenantsInOneTransaction() async throws {
        try await Self.server.withClient(connections: 2) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            let acme = try await tenants.registry.tenant(subdomain: "acme")
            let globex = try await tenants.registry.tenant(subdomain: "globex")
            var leaks: [String] = []
            for attempt in 0..<40 where leaks.isEmpty {
                _ = try? await tenants.withTransaction { tx in
                    try await withThrowingTaskGroup(of: [String].self) { group in
                        for task in 0..<6 {
                            let me = task % 2 == 0 ? acme : globex
                            group.addTask {
                                await withTenant(me) {
                                    var found: [String] = []
                                    do {
                                        for _ in 0..<5 {
                                            for try await row in tx.stream(Self.tenant("SELECT tenant FROM notes")) {
                                                if let owner = row["tenant"], owner != me.subdomain {
                                                    found.append("\(me.subdomain) streamed \(owner)'s row")
                                                }
                                            }
                                            for row in try await tx.query(Self.tenant("SELECT tenant FROM notes")) {
                                                if let owner = row["tenant"], owner != me.subdomain {
                                                    found.append("\(me.subdomain) queried \(owner)'s row")
                                                }
                                            }
                                        }
                                    } catch {}
                                    return found
                                }
                            }
                        }
                        for try await found in group { leaks += found }
                    }
                    throw CancellationError()
                }
                if !leaks.isEmpty { print("E1 leak on attempt \(attempt): \(Set(leaks))") }
            }
            #expect(leaks.isEmpty, "\(Set(leaks))")
        }
    }

    // MARK: - F. Scanner evasions that should be refused (isolation expected to hold)

    @Test(
        "F1: the scanner refuses session effects however they are spelled",
        arguments: [
            "SET search_path = tenant_acme",
            "/* c */ SET search_path = tenant_acme",
            "-- c\nSET search_path = tenant_acme",
            "set SESSION search_path = tenant_acme",
            "SET SESSION AUTHORIZATION attack_low",
            "SET ROLE attack_low",
            "RESET ALL",
            "DISCARD ALL",
            "SELECT set_config('search_path', 'tenant_acme', false)",
            "SELECT pg_catalog.set_config('search_path', 'tenant_acme', false)",
            "SELECT \"set_config\"('search_path', 'tenant_acme', false)",
            "SELECT set_config('search_path', 'tenant_acme', 1 = 0)",
            "SELECT set_config('search_path', 'tenant_acme', is_local => false)",
            "SELECT set_config('search_path', 'tenant_acme', true::bool AND false)",
            "WITH x AS (SELECT set_config('search_path', 'tenant_acme', false)) SELECT * FROM x",
            "SELECT (SELECT set_config/**/('search_path', 'tenant_acme', false))",
            "SELECT * FROM (SELECT 1) s WHERE set_config('search_path', 'tenant_acme', 'f'::bool) IS NOT NULL",
            "SELECT U&\"set\\005fconfig\"('search_path', 'tenant_acme', false)",
            "CREATE TEMP TABLE t (x int)",
            "CREATE TEMPORARY VIEW v AS SELECT 1",
            "CREATE TABLE pg_temp.t (x int)",
            "SELECT 1 INTO TEMP t",
            "PREPARE p AS SELECT 1",
            "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "LISTEN chan",
            "SELECT pg_advisory_lock(1)",
            "SELECT pg_try_advisory_lock_shared(1)",
            "SELECT pg_catalog.pg_advisory_lock (1)",
            "DO $$ BEGIN PERFORM set_config('search_path', 'tenant_acme', false); END $$",
            "SELECT lastval()",
            "EXPLAIN ANALYZE SELECT set_config('search_path', 'tenant_acme', false)",
            "UPDATE pg_settings SET setting = 'tenant_acme' WHERE name = 'search_path'",
            "WITH u AS (UPDATE pg_catalog.pg_settings SET setting = 'tenant_acme' WHERE name = 'search_path' RETURNING 1) SELECT 1",
            "SELECT 1; SET search_path = tenant_acme",
            "BEGIN",
            "START TRANSACTION",
            "COMMIT",
            "ROLLBACK",
        ])
    func scannerRefuses(sql: String) async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            var outcome = "sent"
            do {
                _ = try await plain.execute(Self.global(sql))
            } catch {
                outcome = String(describing: error).prefix(120).description
            }
            let next = try await Self.probe(plain)
            print("F1 \(sql.debugDescription): \(outcome); next lease \(next)")
            #expect(Self.clean(next), "\(sql) left \(next) (outcome: \(outcome))")
            await Self.scrub(client)
        }
    }

    // MARK: - G. Streams abandoned or cancelled midway

    @Test("G1: a routed stream left early or cancelled gives the connection back outside a transaction")
    func abandonedStreams() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            let tenants = try PostgresNIOTenantExecutor(client)
            let many = Self.tenant("SELECT g::text AS n, tenant FROM notes, generate_series(1, 20000) g")
            try await tenants.withTenant(subdomain: "acme") {
                for try await _ in tenants.stream(many) { break }
            }
            let afterBreak = try await Self.probe(plain)
            print("G1 after break: \(afterBreak)")
            #expect(Self.clean(afterBreak))

            let task = Task {
                try await tenants.withTenant(subdomain: "acme") {
                    var count = 0
                    for try await _ in tenants.stream(many) {
                        count += 1
                        if count == 10 { withUnsafeCurrentTask { $0?.cancel() } }
                    }
                }
            }
            _ = await task.result
            let afterCancel = try await Self.probe(plain)
            print("G1 after cancel: \(afterCancel)")
            #expect(Self.clean(afterCancel))

            // Iterator dropped without finishing, in another task.
            let dropped = Task {
                try await tenants.withTenant(subdomain: "acme") {
                    var iterator = tenants.stream(many).makeAsyncIterator()
                    _ = try await iterator.next()
                }
            }
            _ = await dropped.result
            try await Task.sleep(for: .milliseconds(200))
            let afterDrop = try await Self.probe(plain)
            print("G1 after dropped iterator: \(afterDrop)")
            #expect(Self.clean(afterDrop))

            // A stream inside a transaction that is cancelled mid-way.
            let inTransaction = Task {
                try await tenants.withTenant(subdomain: "acme") {
                    try await tenants.withTransaction { tx in
                        var count = 0
                        for try await _ in tx.stream(many) {
                            count += 1
                            if count == 10 { withUnsafeCurrentTask { $0?.cancel() } }
                        }
                    }
                }
            }
            _ = await inTransaction.result
            let afterTx = try await Self.probe(plain)
            print("G1 after cancelled stream in a transaction: \(afterTx)")
            #expect(Self.clean(afterTx))
        }
    }

    @Test("G2: a cancelled task around routed statements and transactions leaves nothing behind")
    func cancelledRouted() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            let tenants = try PostgresNIOTenantExecutor(client)
            _ = try await tenants.withTenant(subdomain: "acme") {
                try await tenants.query(Self.tenant("SELECT 1 AS x"))
            }
            for delay in [0, 1, 2, 5, 10] {
                let task = Task {
                    try await tenants.withTenant(subdomain: "acme") {
                        try await tenants.withTransaction { tx in
                            for _ in 0..<20 {
                                _ = try await tx.query(Self.tenant("SELECT pg_sleep(0.001), tenant FROM notes"))
                            }
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(delay))
                task.cancel()
                _ = await task.result
                let next = try await Self.probe(plain)
                #expect(Self.clean(next), "after cancel at \(delay)ms: \(next)")
            }
        }
    }

    // MARK: - H. Lying statements: scope .global / crafted offsets

    struct LyingRead: SQLStatement {
        typealias Row = SQLRowValues
        static var name: String { "LyingRead" }
        // The generator would give offsets for both `notes`; this one names only the first.
        static var sql: String { "SELECT n.tenant FROM notes n UNION ALL SELECT m.tenant FROM notes m" }
        static var scope: StatementScope { .tenant }
        static var tenantNameOffsets: [Int]? { [21] }
        func bind(to bindings: inout SQLBindings) {}
        static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLRowValues { row.values }
    }

    @Test("H1: a tenant read whose offsets miss a name does not read a shared table of that name")
    func missingOffset() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            var owners: [String] = []
            do {
                owners = try await tenants.withTenant(subdomain: "acme") {
                    try await tenants.query(LyingRead()).compactMap { $0["tenant"] }
                }
            } catch { print("H1 refused: \(error)") }
            print("H1 read: \(owners)")
            #expect(!owners.contains("public"), "a tenant-scoped read of acme read public.notes: \(owners)")
        }
    }

    @Test("H2: a .tenant statement naming another tenant's schema (or a .global one) is not stopped (by design?)")
    func explicitlyQualified() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            let rows = try await tenants.withTenant(subdomain: "globex") {
                try await tenants.query(Self.tenant("SELECT body FROM tenant_acme.notes")).compactMap { $0["body"] }
            }
            let viaGlobal = try await tenants.query(Self.global("SELECT body FROM tenant_acme.notes")).compactMap {
                $0["body"]
            }
            print("H2 globex read acme's notes: \(rows), via .global: \(viaGlobal)")
        }
    }

    // MARK: - I. Registry lookups resolve operators through the session's path

    @Test("I1: a poisoned session path cannot make the registry return another tenant")
    func registryOperatorHijack() async throws {
        try await Self.server.admin(
            "CREATE SCHEMA IF NOT EXISTS evil; "
                + "CREATE OR REPLACE FUNCTION evil.eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE "
                + "AS $$ SELECT CASE WHEN $2 OPERATOR(pg_catalog.=) 'acme' THEN $1 OPERATOR(pg_catalog.=) 'globex' "
                + "ELSE $1 OPERATOR(pg_catalog.=) $2 END $$; "
                + "DROP OPERATOR IF EXISTS evil.= (text, text); "
                + "CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.eq)")
        try await Self.server.withClient(connections: 1) { client in
            // A colleague's direct PostgresNIO call (not through sqlgen) leaves a session path.
            try await client.query("SET search_path = evil, pg_catalog, public")
            let tenants = try PostgresNIOTenantExecutor(client)
            var resolved = "?"
            do {
                resolved = try await tenants.registry.tenant(subdomain: "acme").schemaName
            } catch { resolved = "error: \(error)" }
            print("I1 subdomain acme resolved to \(resolved)")
            #expect(resolved == "tenant_acme")
            await Self.scrub(client)
        }
        try await Self.server.admin("DROP SCHEMA evil CASCADE")
    }

    @Test("I2: a temp table left by a colleague does not catch a routed statement's unqualified name")
    func leftoverTempTable() async throws {
        try await Self.server.withClient(connections: 1) { client in
            try await client.query("CREATE TEMP TABLE audit (tenant text, body text)")
            let tenants = try PostgresNIOTenantExecutor(client)
            var outcome = "sent"
            do {
                _ = try await tenants.withTenant(subdomain: "acme") {
                    try await tenants.execute(Self.tenant("INSERT INTO audit VALUES ('acme', 'acme-audit')"))
                }
            } catch { outcome = "\(error)" }
            var caught: [String] = []
            var readOutcome = "read"
            do {
                caught = try await tenants.withTenant(subdomain: "globex") {
                    try await tenants.query(Self.tenant("SELECT body FROM audit")).compactMap { $0["body"] }
                }
            } catch { readOutcome = "\(error)" }
            print("I2 acme insert: \(outcome); globex read: \(readOutcome) \(caught)")
            #expect(outcome != "sent", "acme's insert into a session temp table went through")
            #expect(caught.isEmpty, "acme's row went into a session temp table globex then read")
            await Self.scrub(client)
            _ = try? await client.query("DISCARD ALL")
        }
    }

    // MARK: - I3. The path check's `=` resolves through the path it checks

    @Test("I3: an operator in a shared schema cannot switch off the path check (dropped tenant schema)")
    func pathCheckOperatorHijack() async throws {
        try await Self.server.admin(
            "CREATE OR REPLACE FUNCTION public.always(pg_catalog.name[], pg_catalog.name[]) RETURNS boolean "
                + "LANGUAGE sql IMMUTABLE AS $$ SELECT true $$; "
                + "DROP OPERATOR IF EXISTS public.= (pg_catalog.name[], pg_catalog.name[]); "
                + "CREATE OPERATOR public.= (LEFTARG = pg_catalog.name[], RIGHTARG = pg_catalog.name[], FUNCTION = public.always)"
        )
        let marker = "i3-\(UUID().uuidString)"
        try await Self.server.withClient(connections: 1) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            // Warm the registry cache while the schema exists, then drop it.
            _ = try await tenants.withTenant(subdomain: "doomed") {
                try await tenants.query(Self.tenant("SELECT count(*) AS n FROM notes"))
            }
            try await Self.server.admin("DROP SCHEMA tenant_doomed CASCADE")
            var outcome = "succeeded"
            do {
                _ = try await tenants.withTenant(subdomain: "doomed") {
                    try await tenants.execute(
                        Self.tenant("INSERT INTO notes (tenant, body) VALUES ('doomed', '\(marker)')"))
                }
            } catch { outcome = "\(error)" }
            let plain = PostgresNIOExecutor(client)
            let shared = try await plain.queryFirst(
                Self.global("SELECT count(*)::text AS n FROM public.notes WHERE body = '\(marker)'"))?["n"]
            print("I3 doomed insert after its schema was dropped: \(outcome); rows in public.notes: \(shared ?? "?")")
            #expect(shared == "0", "the hijacked path check let doomed's INSERT commit into public.notes")
        }
        try await Self.server.admin(
            "DROP OPERATOR public.= (pg_catalog.name[], pg_catalog.name[]); DROP FUNCTION public.always(pg_catalog.name[], pg_catalog.name[]); "
                + "DELETE FROM public.notes WHERE tenant = 'doomed'")
    }

    // MARK: - J. A swallowed failure inside withTransaction

    @Test("J1: withTransaction does not report success when COMMIT rolled back an aborted transaction")
    func swallowedErrorSilentRollback() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            let marker = "j1-\(UUID().uuidString)"
            var returned = false
            do {
                try await tenants.withTenant(subdomain: "acme") {
                    try await tenants.withTransaction { tx in
                        _ = try await tx.execute(
                            Self.tenant("INSERT INTO notes (tenant, body) VALUES ('acme', '\(marker)')"))
                        _ = try? await tx.execute(Self.tenant("SELECT 1/0 AS boom FROM notes"))
                    }
                }
                returned = true
            } catch { print("J1 threw: \(error)") }
            let kept = try await tenants.withTenant(subdomain: "acme") {
                try await tenants.queryFirst(
                    Self.tenant("SELECT count(*)::text AS n FROM notes WHERE body = '\(marker)'"))?["n"]
            }
            print("J1 withTransaction returned normally: \(returned); rows kept: \(kept ?? "?")")
            #expect(!(returned && kept == "0"), "withTransaction returned normally but its work was rolled back")
        }
    }

    // MARK: - F2. A function the scanner cannot see into (documented limitation)

    @Test(
        "F2: a SQL function calling set_config(..., false) leaves the session path (documented: functions are not seen)"
    )
    func functionBody() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let plain = PostgresNIOExecutor(client)
            _ = try await plain.execute(
                Self.global(
                    "CREATE OR REPLACE FUNCTION public.innocent() RETURNS text LANGUAGE sql "
                        + "AS $$ SELECT pg_catalog.set_config('search_path', 'tenant_acme, public', false) $$"))
            _ = try await plain.queryFirst(Self.global("SELECT public.innocent() AS x"))
            let next = try await Self.probe(plain)
            // What a function does inside is not seen (as on the libpq runtime): a known limitation, kept
            // here so that the day it is closed, this test says so.
            withKnownIssue("a function's body is not scanned for session state") {
                #expect(Self.clean(next), "the next lease found \(next)")
            }
            await Self.scrub(client)
            _ = try await plain.execute(Self.global("DROP FUNCTION public.innocent()"))
        }
    }

    @Test("E2: concurrent tenants in one withTransaction: query (rows returned only after the path check) never leaks")
    func concurrentTenantsQueryOnly() async throws {
        try await Self.server.withClient(connections: 2) { client in
            let tenants = try PostgresNIOTenantExecutor(client)
            let acme = try await tenants.registry.tenant(subdomain: "acme")
            let globex = try await tenants.registry.tenant(subdomain: "globex")
            var leaks: [String] = []
            var attempts = 0
            for _ in 0..<200 where leaks.isEmpty {
                attempts += 1
                _ = try? await tenants.withTransaction { tx in
                    try await withThrowingTaskGroup(of: [String].self) { group in
                        for task in 0..<8 {
                            let me = task % 2 == 0 ? acme : globex
                            group.addTask {
                                await withTenant(me) {
                                    var found: [String] = []
                                    do {
                                        for _ in 0..<5 {
                                            for row in try await tx.query(Self.tenant("SELECT tenant FROM notes")) {
                                                if let owner = row["tenant"], owner != me.subdomain {
                                                    found.append("\(me.subdomain) got \(owner)'s row from query()")
                                                }
                                            }
                                        }
                                    } catch {}
                                    return found
                                }
                            }
                        }
                        for try await found in group { leaks += found }
                    }
                    throw CancellationError()
                }
            }
            print("E2 after \(attempts) transactions: \(Set(leaks))")
            #expect(leaks.isEmpty, "\(Set(leaks))")
        }
    }
}
