import Foundation
import Testing

@testable import SQLGenRuntime

/// Any SQL with a declared scope, not a PlainStatement (so the pool does not reset the session
/// after it just because it is plain SQL): the first column's text.
private struct Hand: SQLStatement {
    typealias Row = String?
    static var name: String { "Hand" }
    static var sql: String { "" }
    static var scope: StatementScope { .tenant }
    let text: String
    var scopeValue: StatementScope = .tenant
    var values: [String] = []
    init(_ text: String, _ scope: StatementScope = .tenant, _ values: [String] = []) {
        self.text = text
        self.scopeValue = scope
        self.values = values
    }
    var sqlText: String { text }
    var declaredScope: StatementScope { scopeValue }
    func bind(to bindings: inout SQLBindings) { for value in values { bindings.append(value) } }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String? { row.text(0) }
}

/// A COPY into another tenant's table, named by hand.
private struct CopyToGlobex: SQLCopyStatement {
    typealias Row = SQLNoRow
    static var name: String { "CopyToGlobex" }
    static var sql: String { "INSERT INTO tenant_globex.items (tenant, value) VALUES ($1, $2)" }
    static var scope: StatementScope { .tenant }
    static var copyTable: String { "tenant_globex.items" }
    static var copyColumns: [String] { ["tenant", "value"] }
    var tenant: String
    var value: Int32
    func bind(to bindings: inout SQLBindings) {
        bindings.append(tenant)
        bindings.append(value)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

private struct Wall {
    let configuration: PostgresConfiguration
    let pool: TenantPool
    let provisioner: TenantProvisioner
    let acme: RegisteredTenant
    let globex: RegisteredTenant
    let prefix: String
    func role(_ tenant: RegisteredTenant) -> String { prefix + tenant.schemaName }

    static func options(
        prefix: String, switching: TenantSwitching, shared: Set<TenantRoles.SharedTablePrivilege>
    ) -> TenancyOptions {
        var tenancy = TenancyOptions()
        tenancy.switching = switching
        tenancy.tenantRoles = TenantRoles(prefix: prefix, sharedTablePrivileges: shared)
        return tenancy
    }

    static func pool(
        _ configuration: PostgresConfiguration, prefix: String, switching: TenantSwitching = .sessionAffinity,
        shared: Set<TenantRoles.SharedTablePrivilege> = [.select], maxConnections: Int = 1
    ) throws -> TenantPool {
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = maxConnections
        poolOptions.acquireTimeout = .seconds(20)
        return try TenantPool(
            configuration: configuration, poolOptions: poolOptions,
            tenancy: options(prefix: prefix, switching: switching, shared: shared))
    }

    /// A database with Acme and Globex made under tenant roles, a secret row in Globex's items.
    static func make(
        _ database: String, prefix: String, switching: TenantSwitching = .sessionAffinity,
        shared: Set<TenantRoles.SharedTablePrivilege> = [.select], before: String? = nil,
        maxConnections: Int = 1
    ) async throws -> Wall {
        let configuration = try await TenancyDatabase.create(database)
        if let before { try await TenancyDatabase.admin(configuration, before) }
        let pool = try pool(
            configuration, prefix: prefix, switching: switching, shared: shared, maxConnections: maxConnections)
        let provisioner = TenantProvisioner(tenantPool: pool, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await TenancyDatabase.admin(
            configuration, "INSERT INTO tenant_globex.items (tenant, value) VALUES ('globex-secret', 42)")
        return Wall(
            configuration: configuration, pool: pool, provisioner: provisioner, acme: acme, globex: globex,
            prefix: prefix)
    }

    func globexRows() async throws -> [String?] {
        try await TenancyDatabase.adminValues(configuration, "SELECT tenant FROM tenant_globex.items ORDER BY id")
    }

    /// `current_user/session_user` of a global statement outside any transaction, on the pool.
    func globalUsers() async throws -> (current: String, session: String) {
        let row = try await pool.queryFirst(Hand("SELECT current_user::text || '/' || session_user::text", .global))
        let parts = ((row ?? nil) ?? "").split(separator: "/").map(String.init)
        return (parts.first ?? "", parts.last ?? "")
    }
}

/// `body` must fail; returns the failure's text for the report.
@discardableResult
private func mustFail(
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Any
) async -> String {
    do {
        let value = try await body()
        Issue.record("BROKEN: \(what) succeeded: \(value)", sourceLocation: sourceLocation)
        return "succeeded: \(value)"
    } catch let error as SQLGenError {
        return "\(error.kind) \(error.sqlState ?? "-") \(error.message)"
    } catch {
        return "\(error)"
    }
}

@Suite("Wall attacks", .serialized)
struct WallAttackTests {
    // A1: names written by hand: another tenant's schema, the registry, a shared table given SELECT only.
    @Test(
        "A1 a tenant cannot name another tenant's schema, the registry, or write a SELECT-only shared table",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func crossSchemaByName(switching: TenantSwitching) async throws {
        let tag = switching == .sessionAffinity ? "s" : "t"
        let wall = try await Wall.make("wall_a1\(tag)", prefix: "wa1\(tag)_", switching: switching)
        defer { Task { await wall.pool.close() } }
        try await wall.pool.withTenant(subdomain: "acme") {
            let me = try await wall.pool.queryFirst(Hand("SELECT current_user::text"))
            #expect(me == wall.role(wall.acme))
            print(
                "A1[\(tag)] read:",
                await mustFail("read tenant_globex.items") {
                    try await wall.pool.query(Hand("SELECT tenant FROM tenant_globex.items"))
                })
            await mustFail("insert tenant_globex.items") {
                try await wall.pool.execute(Hand("INSERT INTO tenant_globex.items (tenant) VALUES ('acme-was-here')"))
            }
            print(
                "A1[\(tag)] registry:",
                await mustFail("read public.tenants") {
                    try await wall.pool.query(Hand("SELECT schema_name FROM public.tenants"))
                })
            await mustFail("update public.tenants") {
                try await wall.pool.execute(Hand("UPDATE public.tenants SET schema_name = 'tenant_acme'"))
            }
            await mustFail("insert public.plans (SELECT only)") {
                try await wall.pool.execute(Hand("INSERT INTO public.plans (code, name) VALUES ('evil', 'Evil')"))
            }
            await mustFail("read pg_read_file") {
                try await wall.pool.query(Hand("SELECT pg_catalog.pg_read_file('PG_VERSION')"))
            }
            let plans = try await wall.pool.queryFirst(Hand("SELECT count(*)::text FROM plans"))
            #expect(plans == "4")
        }
        #expect(try await wall.globexRows() == ["globex-secret"])
    }

    // A2: a batch whose first statement sets the role (to the connecting user, or to Globex's role):
    // the docs say such a statement is caught by the check after it. In a batch the check after the
    // batch sets the role again before checking.
    @Test(
        "A2 a batch statement that sets the role is caught",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func batchRoleSwitch(switching: TenantSwitching) async throws {
        let tag = switching == .sessionAffinity ? "s" : "t"
        let wall = try await Wall.make("wall_a2\(tag)", prefix: "wa2\(tag)_", switching: switching)
        defer { Task { await wall.pool.close() } }
        let globexRole = wall.role(wall.globex)
        try await wall.pool.withTenant(subdomain: "acme") {
            print(
                "A2[\(tag)] queryBatch none:",
                await mustFail("queryBatch reading globex after set_config('role','none',true)") {
                    try await wall.pool.queryBatch([
                        Hand("SELECT pg_catalog.set_config('role', 'none', true)"),
                        Hand("SELECT string_agg(tenant, ',') FROM tenant_globex.items"),
                    ])
                })
            print(
                "A2[\(tag)] queryBatch globex role:",
                await mustFail("queryBatch as globex's role") {
                    try await wall.pool.queryBatch([
                        Hand("SELECT pg_catalog.set_config('role', $1, true)", .tenant, [globexRole]),
                        Hand("SELECT string_agg(tenant, ',') FROM tenant_globex.items"),
                    ])
                })
            print(
                "A2[\(tag)] executeBatch:",
                await mustFail("executeBatch writing globex and the registry") {
                    try await wall.pool.executeBatch([
                        Hand("SELECT pg_catalog.set_config('role', 'none', true)"),
                        Hand("INSERT INTO tenant_globex.items (tenant) VALUES ('written-by-acme')"),
                        Hand("UPDATE public.tenants SET name = 'pwned' WHERE subdomain = 'globex'"),
                    ])
                })
            print(
                "A2[\(tag)] tx.queryBatch:",
                await mustFail("queryBatch inside withTransaction") {
                    try await wall.pool.withTransaction { transaction in
                        try await transaction.queryBatch([
                            Hand("SELECT pg_catalog.set_config('role', 'none', true)"),
                            Hand("SELECT string_agg(tenant, ',') FROM tenant_globex.items"),
                        ])
                    }
                })
        }
        #expect(try await wall.globexRows() == ["globex-secret"])
        let name = try await TenancyDatabase.adminValues(
            wall.configuration, "SELECT name FROM public.tenants WHERE subdomain = 'globex'")
        #expect(name == ["Globex"])
    }

    // A3: one statement, no function created: reset the role, run a query through query_to_xml, set it back.
    @Test("A3 one statement cannot read another tenant by resetting the role around query_to_xml")
    func singleStatementRoleDance() async throws {
        let wall = try await Wall.make("wall_a3", prefix: "wa3_")
        defer { Task { await wall.pool.close() } }
        try await wall.pool.withTenant(subdomain: "acme") {
            print(
                "A3:",
                await mustFail("role dance in one statement") {
                    try await wall.pool.queryFirst(
                        Hand(
                            "SELECT pg_catalog.set_config('role', 'none', true) || pg_catalog.query_to_xml("
                                + "'SELECT tenant FROM tenant_globex.items UNION ALL SELECT schema_name FROM public.tenants', "
                                + "false, false, '')::text || pg_catalog.set_config('role', $1, true)",
                            .tenant, [wall.role(wall.acme)])) as Any
                })
        }
    }

    // A3b: the same dance around the other built-ins that run SQL, or read a table, named at run time.
    @Test(
        "A3b one statement cannot read another tenant by resetting the role around any built-in that runs SQL",
        arguments: [
            "tsr", "txm", "sxm", "dxm", "ctb",
        ])
    func singleStatementRoleDanceAroundSQLRunners(tag: String) async throws {
        let readers = [
            "tsr": "pg_catalog.ts_rewrite('a'::pg_catalog.tsquery, 'SELECT ''a''::pg_catalog.tsquery, "
                + "pg_catalog.string_agg(tenant, '' | '')::pg_catalog.tsquery FROM tenant_globex.items')::text",
            "txm":
                "pg_catalog.table_to_xml(pg_catalog.concat('tenant_globex', '.items')::pg_catalog.regclass, false, false, '')::text",
            "sxm":
                "pg_catalog.schema_to_xml(pg_catalog.concat('tenant_', 'globex')::pg_catalog.name, false, false, '')::text",
            "dxm": "pg_catalog.database_to_xml(false, false, '')::text",
            "ctb":
                "(SELECT pg_catalog.string_agg(t, ',') FROM public.crosstab('SELECT tenant, tenant, tenant FROM tenant_globex.items') AS c(r text, t text))",
        ]
        let reader = try #require(readers[tag])
        let wall = try await Wall.make("wall_a3b_\(tag)", prefix: "w\(tag)_", before: "CREATE EXTENSION tablefunc")
        defer { Task { await wall.pool.close() } }
        do {
            let read = try await wall.pool.withTenant(subdomain: "acme") {
                try await wall.pool.queryFirst(
                    Hand(
                        "SELECT pg_catalog.set_config('role', 'none', true) || \(reader) || pg_catalog.set_config('role', $1, true)",
                        .tenant, [wall.role(wall.acme)]))
            }
            let text = (read ?? nil) ?? ""
            Issue.record("BROKEN: the dance ran; Globex's row was \(text.contains("globex-secret") ? "" : "not ")read")
        } catch let error as SQLGenError {
            #expect(error.kind == .refusedUnderTenantRole, "\(error)")
        }
    }

    // A3c: the dance as statements: a DO block, or several statements in one text, that leave the
    // tenant's role, write Globex's table and take the role back before the check after them.
    @Test(
        "A3c a DO block or a multi-statement text cannot leave the role and come back",
        arguments: ["do", "multi", "setconfig"])
    func roleDanceAcrossStatements(tag: String) async throws {
        let wall = try await Wall.make("wall_a3c_\(tag)", prefix: "w\(tag.prefix(4))_")
        defer { Task { await wall.pool.close() } }
        let acmeRole = wall.role(wall.acme)
        let write = "INSERT INTO tenant_globex.items (tenant) VALUES ('written-by-acme')"
        do {
            try await wall.pool.withTenant(subdomain: "acme") {
                switch tag {
                case "do":
                    _ = try await wall.pool.execute(
                        Hand("DO $$ BEGIN SET LOCAL ROLE NONE; \(write); EXECUTE 'SET LOCAL ROLE \(acmeRole)'; END $$"))
                case "multi":
                    _ = try await wall.pool.execute(
                        PlainStatement("SET LOCAL ROLE NONE; \(write); SET LOCAL ROLE \(acmeRole)", scope: .tenant))
                default:
                    _ = try await wall.pool.execute(
                        PlainStatement(
                            "SELECT pg_catalog.set_config('role', 'none', true); \(write); SELECT pg_catalog.set_config('role', '\(acmeRole)', true)",
                            scope: .tenant))
                }
            }
            Issue.record("BROKEN: the dance ran")
        } catch let error as SQLGenError {
            #expect(error.kind == .refusedUnderTenantRole, "\(error)")
        }
        #expect(try await wall.globexRows() == ["globex-secret"])
    }

    // A3d: a batch that leaves the role through session_authorization, or a function of the
    // application's that sets it, and reads Globex before the check after the batch.
    @Test(
        "A3d a batch cannot leave the role before the check after it",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func batchLeavesTheRole(switching: TenantSwitching) async throws {
        let tag = switching == .sessionAffinity ? "s" : "t"
        let wall = try await Wall.make(
            "wall_a3d\(tag)", prefix: "wa3d\(tag)_", switching: switching,
            before:
                "CREATE FUNCTION public.leave_the_role() RETURNS text LANGUAGE sql AS $f$ SELECT pg_catalog.set_config('role', 'none', true) $f$"
        )
        defer { Task { await wall.pool.close() } }
        let read = Hand("SELECT string_agg(tenant, ',') FROM tenant_globex.items")
        for first in [
            "SET LOCAL session_authorization = DEFAULT", "RESET session_authorization",
            "SELECT public.leave_the_role()",
        ] {
            do {
                let rows = try await wall.pool.withTenant(subdomain: "acme") {
                    try await wall.pool.queryBatch([Hand(first), read])
                }
                Issue.record("BROKEN[\(tag)] \(first): the batch ran: \(rows)")
            } catch let error as SQLGenError {
                #expect(error.kind != .server || error.sqlState == "42501", "\(first): \(error)")
            }
        }
        #expect(try await wall.globexRows() == ["globex-secret"])
    }

    // A3e: a function made for the moment, in the temp schema or elsewhere, whose body leaves the role.
    @Test("A3e a tenant statement cannot make a function")
    func temporaryFunctionLeavesTheRole() async throws {
        let wall = try await Wall.make("wall_a3e", prefix: "wa3e_")
        defer { Task { await wall.pool.close() } }
        for sql in [
            "CREATE FUNCTION pg_temp.f() RETURNS SETOF text LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config('role', 'none', true); "
                + "RETURN QUERY SELECT tenant FROM tenant_globex.items; END $$",
            "CREATE OR REPLACE FUNCTION f() RETURNS text LANGUAGE sql SET role = 'none' AS $$ SELECT '1' $$",
            "SELECT * FROM pg_temp.f()",
        ] {
            await expectFailure(.refusedUnderTenantRole) {
                try await wall.pool.withTenant(subdomain: "acme") { _ = try await wall.pool.execute(Hand(sql)) }
            }
        }
    }

    // A4: a session-level role smuggled in a string literal (query_to_xml), which SessionEffects does not read.
    @Test(
        "A4 a tenant's role never outlives its statement (set_config inside query_to_xml)",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func sessionRoleSmuggled(switching: TenantSwitching) async throws {
        let tag = switching == .sessionAffinity ? "s" : "t"
        let wall = try await Wall.make("wall_a4\(tag)", prefix: "wa4\(tag)_", switching: switching)
        defer { Task { await wall.pool.close() } }
        // Refused before it is sent: SQL given as text could leave the tenant's role.
        await expectFailure(.refusedUnderTenantRole) {
            try await wall.pool.withTenant(subdomain: "acme") {
                _ = try await wall.pool.query(
                    Hand(
                        "SELECT pg_catalog.query_to_xml('SELECT pg_catalog.set_config(''role'', current_user::text, false)', false, false, '')::text"
                    ))
            }
        }
        let users = try await wall.globalUsers()
        print("A4[\(tag)] next global statement runs as:", users)
        #expect(users.current == users.session, "global statement ran as \(users.current)")
        // Provisioning on the same connection: as the connecting user?
        print(
            "A4[\(tag)] createTenant after:",
            await {
                do {
                    return
                        "ok \(try await wall.provisioner.createTenant(name: "Initech", subdomain: "initech").schemaName)"
                } catch { return "\(error)" }
            }())
    }

    // A5: the session role set to Globex's role, the local one to Acme's, so the check after passes.
    @Test("A5 the next lease never runs as another tenant's role")
    func sessionRoleOfAnotherTenant() async throws {
        let wall = try await Wall.make("wall_a5", prefix: "wa5_")
        defer { Task { await wall.pool.close() } }
        let globexRole = wall.role(wall.globex)
        let acmeRole = wall.role(wall.acme)
        await expectFailure(.refusedUnderTenantRole) {
            try await wall.pool.withTenant(subdomain: "acme") {
                _ = try await wall.pool.query(
                    Hand(
                        "SELECT pg_catalog.query_to_xml('SELECT pg_catalog.set_config(''role'', ''\(globexRole)'', false), "
                            + "pg_catalog.set_config(''role'', ''\(acmeRole)'', true)', false, false, '')::text"))
            }
        }
        let users = try await wall.globalUsers()
        print("A5 next global statement runs as:", users)
        #expect(users.current == users.session, "global statement ran as \(users.current)")
        let read = try? await wall.pool.queryFirst(
            Hand("SELECT string_agg(tenant, ',') FROM tenant_globex.items", .global))
        print("A5 global statement naming tenant_globex.items:", String(describing: read))
    }

    // A6: set_config(..., false) written plainly is refused, and nothing is left to the next lease.
    @Test("A6 a plainly written session-level set_config('role') is refused, and the next lease is clean")
    func plainSessionRoleIsRefused() async throws {
        let wall = try await Wall.make("wall_a6", prefix: "wa6_")
        defer { Task { await wall.pool.close() } }
        await expectFailure(.refusedUnderTenantRole) {
            try await wall.pool.withTenant(subdomain: "acme") {
                _ = try await wall.pool.query(Hand("SELECT pg_catalog.set_config('role', current_user::text, false)"))
            }
        }
        let users = try await wall.globalUsers()
        #expect(users.current == users.session)
    }

    // A7: after an error, a cancel mid-statement, a stream left early.
    @Test("A7 no role is left after an error, a cancel or a stream left early")
    func roleAfterFailures() async throws {
        let wall = try await Wall.make("wall_a7", prefix: "wa7_")
        defer { Task { await wall.pool.close() } }
        let pool = wall.pool
        _ = try await pool.withTenant(subdomain: "acme") {
            await mustFail("1/0") { try await pool.query(Hand("SELECT (1/0)::text")) }
        }
        var users = try await wall.globalUsers()
        #expect(users.current == users.session, "after error: \(users)")

        let sleeper = Task {
            try await pool.withTenant(subdomain: "acme") { try await pool.query(Hand("SELECT pg_sleep(5)::text")) }
        }
        try await Task.sleep(for: .milliseconds(400))
        sleeper.cancel()
        _ = await sleeper.result
        users = try await wall.globalUsers()
        #expect(users.current == users.session, "after cancel: \(users)")
        try await pool.withTenant(subdomain: "globex") {
            let me = try await pool.queryFirst(Hand("SELECT current_user::text"))
            #expect(me == wall.role(wall.globex), "globex after acme's cancel ran as \(String(describing: me))")
        }

        try await pool.withTenant(subdomain: "acme") {
            for try await _ in pool.stream(Hand("SELECT g::text FROM generate_series(1, 200000) g")) { break }
        }
        users = try await wall.globalUsers()
        #expect(users.current == users.session, "after stream: \(users)")

        // Inside a transaction: a tenant statement fails, the body throws.
        _ = try? await pool.withTenant(subdomain: "acme") {
            try await pool.withTransaction { transaction in
                _ = try await transaction.query(Hand("SELECT current_user::text"))
                _ = try await transaction.query(Hand("SELECT (1/0)::text"))
            }
        }
        users = try await wall.globalUsers()
        #expect(users.current == users.session, "after failed transaction: \(users)")
    }

    // A8: a global statement after a tenant statement inside one withTransaction.
    @Test(
        "A8 global statements inside a tenant transaction run as the connecting user",
        arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func globalInsideTenantTransaction(switching: TenantSwitching) async throws {
        let tag = switching == .sessionAffinity ? "s" : "t"
        let wall = try await Wall.make("wall_a8\(tag)", prefix: "wa8\(tag)_", switching: switching)
        defer { Task { await wall.pool.close() } }
        let pool = wall.pool
        let (a, b, c, d) = try await pool.withTenant(subdomain: "acme") {
            try await pool.withTransaction { transaction in
                let a = try await transaction.queryFirst(Hand("SELECT current_user::text")) ?? nil
                let b = try await transaction.queryFirst(Hand("SELECT current_user::text", .global)) ?? nil
                let c =
                    try await transaction.queryFirst(Hand("SELECT count(*)::text FROM public.tenants", .global)) ?? nil
                let d = try await transaction.queryFirst(Hand("SELECT current_user::text")) ?? nil
                return (a, b, c, d)
            }
        }
        #expect(a == wall.role(wall.acme))
        #expect(b == "sqlgen")
        #expect(c == "2")
        #expect(d == wall.role(wall.acme))
    }

    // A9: COPY into another tenant's table, named by hand; alone and inside a transaction.
    @Test("A9 COPY cannot write another tenant's table")
    func copyIntoAnotherTenant() async throws {
        let wall = try await Wall.make("wall_a9", prefix: "wa9_")
        defer { Task { await wall.pool.close() } }
        let pool = wall.pool
        try await pool.withTenant(subdomain: "acme") {
            print(
                "A9:",
                await mustFail("copy into tenant_globex.items") {
                    try await pool.copy([CopyToGlobex(tenant: "copied-by-acme", value: 1)])
                })
            await mustFail("copy in a transaction") {
                try await pool.withTransaction { transaction in
                    try await transaction.copy([CopyToGlobex(tenant: "copied-by-acme", value: 1)])
                }
            }
            let copied = try await pool.copy([CopyItem(tenant: "acme", value: 1)])
            #expect(copied == 1)
        }
        #expect(try await wall.globexRows() == ["globex-secret"])
    }

    // A10: a routing mistake simulated with the internal runRouted: Globex's path under Acme's role.
    @Test("A10 a wrong path under the tenant's role reads nothing of the other tenant")
    func routingMistake() async throws {
        let wall = try await Wall.make("wall_a10", prefix: "wa10_")
        await wall.pool.close()
        let connection = try await PostgresSession.connect(wall.configuration)
        let wrong = SearchPathRoute(tenant: wall.globex, sharedSchemas: ["public"], role: wall.role(wall.acme))
        for switching in [TenantSwitching.sessionAffinity, .transactionLocal] {
            print(
                "A10:",
                await mustFail("ItemStamps on globex's path as acme") {
                    try await connection.runRouted(ItemStamps(), route: wrong, switching: switching) {
                        result throws(SQLGenError) in
                        try ResultReading.rows(result, of: ItemStamps.self, name: "ItemStamps")
                    }
                })
        }
        let right = SearchPathRoute(tenant: wall.acme, sharedSchemas: ["public"], role: wall.role(wall.acme))
        await mustFail("named globex on acme's route") {
            try await connection.runRouted(
                Hand("SELECT tenant FROM tenant_globex.items"), route: right, switching: .sessionAffinity
            ) {
                result throws(SQLGenError) in try ResultReading.rows(result, of: Hand.self, name: "Hand")
            }
        }
        await connection.close()
    }

    // A11: a role name past 63 bytes.
    @Test("A11 a role name longer than 63 bytes is refused, leaving nothing behind")
    func longSchemaName() async throws {
        let configuration = try await TenancyDatabase.create("wall_a11")
        let pool = try Wall.pool(configuration, prefix: "wa11_")
        defer { Task { await pool.close() } }
        let provisioner = TenantProvisioner(tenantPool: pool, migrations: [TenancyDatabase.itemsMigration])
        let long = String(repeating: "a", count: 52)  // tenant_ + 52 = 59; + wa11_ = 64 bytes
        print(
            "A11:",
            await mustFail("createTenant with a 64-byte role") {
                try await provisioner.createTenant(name: "Long", subdomain: long)
            })
        let left = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT (SELECT count(*) FROM public.tenants)::text || '/' || (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant_aaaa%')::text || '/' || (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'wa11_%')::text"
        )
        #expect(left == ["0/0/0"])
    }

    // A12: a role of the tenant's name that exists already (another app, a leftover) with more rights.
    @Test("A12 an existing role of the same name is not adopted with its privileges")
    func preExistingRoleAdopted() async throws {
        let admin = try await TestDatabase.connect()
        try await admin.simpleQuery(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wa12_tenant_acme') THEN "
                + "CREATE ROLE wa12_tenant_acme NOLOGIN IN ROLE pg_read_all_data; END IF; END $$")
        await admin.close()
        // Provisioning refuses to adopt it, naming the rule.
        do {
            let wall = try await Wall.make("wall_a12", prefix: "wa12_")
            await wall.pool.close()
            Issue.record("BROKEN: a role with rights of its own was adopted as a tenant's")
        } catch {
            #expect("\(error)".contains("a tenant role must be made by sqlgen"), "\(error)")
        }
    }

    // A13: tenants made before tenant roles; one with its schema dropped.
    @Test("A13 tenants made before roles fail closed until granted; a missing schema is skipped")
    func grantLater() async throws {
        let configuration = try await TenancyDatabase.create("wall_a13")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        try await TenancyDatabase.admin(configuration, "DROP SCHEMA tenant_globex CASCADE")
        let pool = try Wall.pool(configuration, prefix: "wa13_")
        defer { Task { await pool.close() } }
        try await pool.withTenant(subdomain: "acme") {
            print(
                "A13 before grant:",
                await mustFail("tenant statement before grantTenantRoles") {
                    try await pool.query(Hand("SELECT current_user::text"))
                })
        }
        let provisioner = TenantProvisioner(tenantPool: pool, migrations: [TenancyDatabase.itemsMigration])
        let granted = try await provisioner.grantTenantRoles()
        #expect(granted == 1)
        try await pool.withTenant(subdomain: "acme") {
            let me = try await pool.queryFirst(Hand("SELECT current_user::text"))
            #expect(me == "wa13_tenant_acme")
        }
    }

    // A14: objects a later migration creates (default privileges).
    @Test("A14 tables and sequences of a later migration are usable by the tenant role")
    func migrateAllDefaultPrivileges() async throws {
        let wall = try await Wall.make("wall_a14", prefix: "wa14_")
        defer { Task { await wall.pool.close() } }
        let notes = TenantMigration(
            version: 2, name: "notes",
            sql: "CREATE TABLE tenant_template.notes (id bigserial PRIMARY KEY, body text NOT NULL);")
        let migrator = TenantProvisioner(tenantPool: wall.pool, migrations: [TenancyDatabase.itemsMigration, notes])
        _ = try await migrator.migrateAll()
        try await wall.pool.withTenant(subdomain: "acme") {
            let inserted = try await wall.pool.execute(Hand("INSERT INTO notes (body) VALUES ('hi')"))
            let count = try await wall.pool.queryFirst(Hand("SELECT count(*)::text FROM notes"))
            #expect(inserted == 1)
            #expect(count == "1")
        }
    }

    // A15: CREATE in public (for another tenant to use) and in its own schema.
    @Test("A15 a tenant role cannot create objects in public")
    func createInPublic() async throws {
        let wall = try await Wall.make("wall_a15", prefix: "wa15_")
        defer { Task { await wall.pool.close() } }
        try await wall.pool.withTenant(subdomain: "acme") {
            await mustFail("CREATE TABLE public.evil") {
                try await wall.pool.execute(Hand("CREATE TABLE public.evil (x int)"))
            }
            await mustFail("CREATE FUNCTION public.now()") {
                try await wall.pool.execute(
                    Hand("CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$"))
            }
            print(
                "A15 own schema CREATE:",
                await {
                    do {
                        return "ok \(try await wall.pool.execute(Hand("CREATE TABLE tenant_acme.mine (x int)")))"
                    } catch { return "\(error)" }
                }())
        }
    }

    // A16: INSERT chosen on the shared tables, on a table with a serial key.
    @Test("A16 a shared table given INSERT can be inserted into (its sequence)")
    func sharedInsertWithSerial() async throws {
        let wall = try await Wall.make(
            "wall_a16", prefix: "wa16_", shared: [.select, .insert],
            before: "CREATE TABLE public.audit (id bigserial PRIMARY KEY, note text NOT NULL)")
        defer { Task { await wall.pool.close() } }
        try await wall.pool.withTenant(subdomain: "acme") {
            do {
                let inserted = try await wall.pool.execute(Hand("INSERT INTO audit (note) VALUES ('acme')"))
                #expect(inserted == 1)
            } catch {
                Issue.record("BROKEN: insert into a shared table given INSERT failed: \(error)")
            }
        }
    }

    // A17: views and SECURITY DEFINER functions in public (the grant covers every relation there).
    @Test("A17 nothing in public reads the registry or another tenant for a tenant role")
    func throughPublicObjects() async throws {
        let wall = try await Wall.make(
            "wall_a17", prefix: "wa17_",
            before: "CREATE VIEW public.tenant_directory AS SELECT subdomain, schema_name FROM public.tenants")
        defer { Task { await wall.pool.close() } }
        try await TenancyDatabase.admin(
            wall.configuration,
            """
            CREATE VIEW public.all_items AS SELECT tenant FROM tenant_globex.items;
            CREATE FUNCTION public.globex_secrets() RETURNS text LANGUAGE sql SECURITY DEFINER
              AS $$ SELECT string_agg(tenant, ',') FROM tenant_globex.items $$;
            """)
        _ = try await wall.provisioner.grantTenantRoles()
        try await wall.pool.withTenant(subdomain: "acme") {
            print(
                "A17 view over registry:",
                await mustFail("SELECT FROM tenant_directory") {
                    try await wall.pool.query(Hand("SELECT string_agg(schema_name, ',') FROM tenant_directory"))
                })
            print(
                "A17 view over globex:",
                await mustFail("SELECT FROM all_items") {
                    try await wall.pool.query(Hand("SELECT string_agg(tenant, ',') FROM all_items"))
                })
            // Documented: a SECURITY DEFINER function runs with its owner's rights; one the application
            // writes over tenant data is a door in the wall (revoke EXECUTE from PUBLIC on it).
            await withKnownIssue("a SECURITY DEFINER function the application made runs with its owner's rights") {
                print(
                    "A17 security definer:",
                    await mustFail("SELECT globex_secrets()") {
                        try await wall.pool.query(Hand("SELECT public.globex_secrets()"))
                    })
            }
        }
    }

    // A18: delete drops the role, and what it owned (a large object).
    @Test("A18 delete(purge:) drops the tenant's role and its large objects")
    func deleteDropsRole() async throws {
        let wall = try await Wall.make("wall_a18", prefix: "wa18_")
        defer { Task { await wall.pool.close() } }
        let oid = try await wall.pool.withTenant(subdomain: "acme") {
            try await wall.pool.queryFirst(Hand("SELECT pg_catalog.lo_from_bytea(0, 'acme-blob')::text")) ?? nil
        }
        _ = try await wall.pool.withTenant(subdomain: "globex") {
            await mustFail("globex reads acme's large object") {
                try await wall.pool.query(Hand("SELECT pg_catalog.lo_get(\(oid ?? "0"))::text"))
            }
        }
        try await wall.provisioner.delete(id: wall.acme.id, purge: true)
        let left = try await TenancyDatabase.adminValues(
            wall.configuration,
            "SELECT (SELECT count(*) FROM pg_roles WHERE rolname = 'wa18_tenant_acme')::text || '/' || (SELECT count(*) FROM pg_largeobject_metadata)::text"
        )
        #expect(left == ["0/0"])
    }

    // A19: prefixes and other executors.
    @Test("A19 odd prefixes are refused; executors routing themselves refuse tenant roles")
    func prefixesAndExecutors() async throws {
        let configuration = try TestDatabase.configuration()
        for prefix in ["Ab_", "a-b", "1ab", "abcdefg", "a\"b", "é", "a b"] {
            await mustFail("prefix \(prefix)") { try Wall.pool(configuration, prefix: prefix) }
        }
        let wall = try await Wall.make("wall_a19", prefix: "wa19_")
        defer { Task { await wall.pool.close() } }
        let options = Wall.options(prefix: "wa19_", switching: .sessionAffinity, shared: [.select])
        try await wall.pool.withTenant(subdomain: "acme") {
            await mustFail("registry.route with tenant roles") {
                try await wall.pool.registry.route(for: ItemStamps(), options: options)
            }
            await mustFail("registry.route of a global statement with tenant roles") {
                try await wall.pool.registry.route(for: GlobalSchemas(), options: options)
            }
        }
    }
}
