import Foundation
import InMemoryTracing
import PostgresNIO
import SQLGenPostgresNIO
import SQLGenPostgresNIOTestSupport
import SQLGenRuntime
import Testing

/// Tenant isolation through the PostgresNIO tenant executor, tested as an attacker would: what a
/// lent connection, a transaction or a missing schema could carry from one tenant to the next.
@Suite("tenant isolation on PostgresNIO", .serialized)
struct NIOTenantIsolationTests {
    /// Two tenants, Acme and Globex, provisioned by the libpq runtime from the one-table template;
    /// and a `public.notes` decoy, where a name that fell through the tenant's schema would land.
    static let server = TestServer(database: "sqlgen_nio_tenancy") { configuration in
        try await provision(configuration)
    }

    /// Applies the registry migration, creates a `public.notes` decoy (and runs `extraSQL`), then
    /// provisions Acme, Globex and Doomed with the libpq runtime and runs `seedSQL`.
    static func provision(
        _ configuration: PostgresConfiguration, extraSQL: String = "", seedSQL: String = ""
    ) async throws {
        let session = try await PostgresSession.connect(configuration)
        try await session.simpleQuery(
            String(
                contentsOf: TestServer.file("../../../../schema/000001_tenant_registry.up.sql"), encoding: .utf8))
        try await session.simpleQuery(
            "CREATE TABLE public.notes (id bigserial PRIMARY KEY, tenant text NOT NULL, body text NOT NULL); "
                + "INSERT INTO public.notes (tenant, body) VALUES ('public', 'decoy'); " + extraSQL)
        let template = try String(contentsOf: TestServer.file("sql/template.sql"), encoding: .utf8)
        let provisioning = try TenantPool(configuration: configuration)
        let provisioner = TenantProvisioner(
            tenantPool: provisioning, migrations: [TenantMigration(version: 1, name: "notes", sql: template)])
        _ = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        _ = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        _ = try await provisioner.createTenant(name: "Doomed", subdomain: "doomed")
        await provisioning.close()
        if !seedSQL.isEmpty { try await session.simpleQuery(seedSQL) }
        await session.close()
    }

    @Test("each tenant reads and writes only its own schema, also when many requests share few connections")
    func tenantsStayApart() async throws {
        try await Self.server.withClient(connections: 2) { client in
            let database = try PostgresNIOTenantExecutor(client)
            let queries = QueriesQueries(database)
            for subdomain in ["acme", "globex"] {
                try await database.withTenant(subdomain: subdomain) { _ = try await queries.clearNotes() }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<120 {
                    let subdomain = index % 2 == 0 ? "acme" : "globex"
                    group.addTask {
                        try await database.withTenant(subdomain: subdomain) {
                            _ = try await queries.addNote(tenant: subdomain, body: "note \(index)")
                            let notes = try await queries.listNotes()
                            #expect(notes.allSatisfy { $0.tenant == subdomain }, "\(subdomain) read another's note")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let acme = try await database.withTenant(subdomain: "acme") { try await queries.countNotes() }
            let globex = try await database.withTenant(subdomain: "globex") { try await queries.countNotes() }
            #expect(acme == 60 && globex == 60)
            // A global statement runs on the shared path.
            #expect(try await queries.tenantCount() == 3)
            // Nothing was left on the lent connections: their path is the default, and unqualified
            // names resolve where the application's own queries expect them.
            for _ in 0..<4 {
                let rows = try await client.query("SELECT current_setting('search_path'), (SELECT count(*) FROM notes)")
                for try await (path, notes) in rows.decode((String, Int).self) {
                    #expect(path == "\"$user\", public")
                    #expect(notes == 1)
                }
            }
        }
    }

    @Test("without a tenant, a tenant statement is refused; the plain executor refuses it too")
    func noTenantNoStatement() async throws {
        try await Self.server.withClient { client in
            let database = try PostgresNIOTenantExecutor(client)
            await #expect(throws: SQLGenError.self) { _ = try await QueriesQueries(database).listNotes() }
            // QueriesQueries(PostgresNIOExecutor(client)) does not compile; a tenant statement of one's
            // own is refused at run time.
            let plain = PostgresNIOExecutor(client)
            let kind = await Self.failure { () async throws(SQLGenError) in
                _ = try await plain.query(PlainStatement("SELECT count(*) FROM notes", scope: .tenant))
            }
            #expect(kind == .tenantStatementNotRouted)
        }
    }

    @Test("a tenant cannot move its statements to another schema, nor leave its path on a connection")
    func pathCannotBeMoved() async throws {
        try await Self.server.withClient(connections: 1) { client in
            let database = try PostgresNIOTenantExecutor(client)
            try await database.withTenant(subdomain: "acme") {
                for sql in [
                    "SET search_path = tenant_globex", "SELECT set_config('search_path', 'tenant_globex', false)",
                    "CREATE TEMP TABLE notes (id int, tenant text, body text)",
                ] {
                    let kind = await Self.failure { () async throws(SQLGenError) in
                        _ = try await database.execute(PlainStatement(sql, scope: .tenant))
                    }
                    #expect(kind == .sessionStateBehindPooler, "\(sql)")
                }
                // A transaction-local path inside the statement's transaction is caught by the check.
                let moved = await Self.failure { () async throws(SQLGenError) in
                    _ = try await database.query(
                        PlainStatement(
                            "SELECT set_config('search_path', 'tenant_globex', true), count(*) FROM notes",
                            scope: .tenant))
                }
                #expect(moved == .tenantSchemaUnavailable)
            }
            let notes = try await database.withTenant(subdomain: "globex") {
                try await QueriesQueries(database).listNotes()
            }
            #expect(notes.allSatisfy { $0.tenant == "globex" })
        }
    }

    @Test("a dropped tenant schema fails its statements; nothing falls through to the shared schema")
    func droppedSchemaFails() async throws {
        try await Self.server.withClient { client in
            let database = try PostgresNIOTenantExecutor(client)
            let queries = QueriesQueries(database)
            try await database.withTenant(subdomain: "doomed") {
                _ = try await queries.addNote(tenant: "doomed", body: "before")
                try await Self.server.admin("DROP SCHEMA tenant_doomed CASCADE")
                let write = await Self.failure { () async throws(SQLGenError) in
                    _ = try await queries.addNote(tenant: "doomed", body: "after")
                }
                #expect(write == .tenantSchemaUnavailable)
                let read = await Self.failure { () async throws(SQLGenError) in _ = try await queries.listNotes() }
                #expect(read == .tenantSchemaUnavailable)
                let copy = await Self.failure { () async throws(SQLGenError) in
                    _ = try await queries.copyNotes([QueriesQueries.CopyNotes(tenant: "doomed", body: "copied")])
                }
                #expect(copy == .tenantSchemaUnavailable)
            }
            let decoys = try await client.query("SELECT count(*) FROM public.notes")
            for try await count in decoys.decode(Int.self) { #expect(count == 1) }
        }
    }

    @Test("COPY, batches and transactions run in the tenant's schema; a transaction rolls back whole")
    func bulkAndTransactions() async throws {
        try await Self.server.withClient { client in
            let database = try PostgresNIOTenantExecutor(client)
            let queries = QueriesQueries(database)
            try await database.withTenant(subdomain: "globex") {
                _ = try await queries.clearNotes()
                let rows = (0..<50).map { QueriesQueries.CopyNotes(tenant: "globex", body: "copy \($0 % 5)") }
                #expect(try await queries.copyNotes(rows) == 50)
                let found = try await queries.notesByBody([.init(body: "copy 1"), .init(body: "none")])
                #expect(found[0].count == 10 && found[0].allSatisfy { $0.tenant == "globex" } && found[1].isEmpty)
                await #expect(throws: SQLGenError.self) {
                    try await database.withTransaction { transaction in
                        _ = try await QueriesQueries(transaction).addNote(tenant: "globex", body: "rolled back")
                        throw SQLGenError(.invalidParameter, message: "undo")
                    }
                }
                #expect(try await queries.countNotes() == 50)
                try await database.withTransaction { transaction in
                    _ = try await QueriesQueries(transaction).addNote(tenant: "globex", body: "kept")
                    #expect(try await QueriesQueries(transaction).tenantCount() == 3)
                }
                #expect(try await queries.countNotes() == 51)
            }
            let acme = try await database.withTenant(subdomain: "acme") { try await queries.listNotes() }
            #expect(acme.allSatisfy { $0.tenant == "acme" })
        }
    }

    @Test("a routed statement's span carries the tenant's schema; a global one's does not")
    func spansNameTheTenant() async throws {
        let tracer = InMemoryTracer()
        try await Self.server.withClient { client in
            let database = try PostgresNIOTenantExecutor(client, tracer: tracer)
            let queries = QueriesQueries(database)
            _ = try await database.withTenant(subdomain: "acme") { try await queries.countNotes() }
            _ = try await queries.tenantCount()
        }
        let count = try #require(tracer.finishedSpans.first { $0.operationName == "CountNotes" })
        #expect(count.attributes.get("sqlgen.tenant.schema") == .string("tenant_acme"))
        let global = try #require(tracer.finishedSpans.first { $0.operationName == "TenantCount" })
        #expect(global.attributes.get("sqlgen.tenant.schema") == nil)
    }

    /// The kind of error `body` fails with, or nil when it does not fail.
    static func failure(_ body: () async throws(SQLGenError) -> Void) async -> SQLGenError.Kind? {
        do {
            try await body()
            return nil
        } catch {
            return error.kind
        }
    }
}
