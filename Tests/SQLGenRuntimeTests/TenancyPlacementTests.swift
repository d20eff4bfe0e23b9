import Foundation
import SQLGenWire
import Testing

@testable import SQLGenRuntime

/// Tenants on two servers: the registry's (the `make test` cluster) and a second throwaway cluster.
enum TwoServers {
    /// A fresh database `name` on the second server (`SQLGEN_TEST_SECOND_DATABASE_URL`).
    static func secondDatabase(_ name: String) async throws -> PostgresConfiguration {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_SECOND_DATABASE_URL"] else {
            throw SQLGenError(
                .connectionFailed, message: "SQLGEN_TEST_SECOND_DATABASE_URL is not set: run the tests with `make test`"
            )
        }
        var configuration = try PostgresConfiguration(url: url)
        let admin = try await PostgresSession.connect(configuration)
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        configuration.parameters["dbname"] = name
        return configuration
    }

    /// The registry's database `name` (with its `placement` column) and the second server's database
    /// of the same name, and a tenant pool over both with the second as placement "eu".
    static func setUp(_ name: String) async throws -> (
        main: PostgresConfiguration, eu: PostgresConfiguration, pool: TenantPool
    ) {
        let main = try await TenancyDatabase.create(name)
        let placement = try String(
            contentsOf: TenancyDatabase.repositoryRoot.appendingPathComponent("schema/000004_tenant_placement.up.sql"),
            encoding: .utf8)
        try await TenancyDatabase.admin(main, placement)
        let eu = try await secondDatabase(name)
        return (main, eu, try pool(main, eu))
    }

    static func pool(_ main: PostgresConfiguration, _ eu: PostgresConfiguration) throws -> TenantPool {
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = 4
        poolOptions.acquireTimeout = .seconds(20)
        var tenancy = TenancyOptions()
        tenancy.placements = ["eu": eu]
        return try TenantPool(configuration: main, poolOptions: poolOptions, tenancy: tenancy)
    }

    /// Whether `schema` exists on the server of `configuration`.
    static func hasSchema(_ configuration: PostgresConfiguration, _ schema: String) async throws -> Bool {
        try await TenancyDatabase.adminValues(
            configuration, "SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'") == ["1"]
    }
}

/// The number of tenants in the registry: a global statement, which only the registry's server answers.
struct CountTenants: SQLStatement {
    typealias Row = Int64
    static var name: String { "CountTenants" }
    static var sql: String { "SELECT count(*) FROM public.tenants" }
    static var scope: StatementScope { .global }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Int64 { try row.decode(0, name: "count") }
}

@Suite("Tenants placed on two servers")
struct TenancyPlacementTests {
    static let extraColumn = TenantMigration(
        version: 2, name: "extra", sql: "ALTER TABLE tenant_template.items ADD COLUMN extra integer")

    @Test("each tenant's statements run on its own server, global ones on the registry's, migrations on both")
    func routesByPlacement() async throws {
        let (main, eu, database) = try await TwoServers.setUp("placement_routes")
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex", placement: "eu")
        #expect(acme.placement == nil)
        #expect(globex.placement == "eu")
        #expect(try await TwoServers.hasSchema(main, "tenant_acme"))
        #expect(try await !TwoServers.hasSchema(eu, "tenant_acme"))
        #expect(try await TwoServers.hasSchema(eu, "tenant_globex"))
        #expect(try await !TwoServers.hasSchema(main, "tenant_globex"))

        for tenant in [acme, globex] {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: 1))
                #expect(try await database.query(ItemStamps()) == [tenant.subdomain])
                #expect(try await database.query(QualifiedItemStamps()) == [tenant.subdomain])
                #expect(try await database.query(CountTenants()) == [2])
            }
        }
        #expect(try await TenancyDatabase.adminValues(eu, "SELECT tenant FROM tenant_globex.items") == ["globex"])
        #expect(try await TenancyDatabase.adminValues(main, "SELECT tenant FROM tenant_acme.items") == ["acme"])

        // A transaction runs on one server: the registry's statements are refused in a placed tenant's.
        try await withTenant(globex) {
            try await database.withTransaction { transaction in
                _ = try await transaction.execute(InsertItem(tenant: "globex", value: 2))
                await expectFailure(.placementMismatch) { _ = try await transaction.query(CountTenants()) }
                await withTenant(acme) { () async -> Void in
                    await expectFailure(.placementMismatch) { _ = try await transaction.query(ItemStamps()) }
                }
            }
        }
        try await withTenant(acme) {
            try await database.withTransaction { transaction in
                let count = try await transaction.query(CountTenants())
                #expect(count == [2])
                await withTenant(globex) { () async -> Void in
                    await expectFailure(.placementMismatch) { _ = try await transaction.query(ItemStamps()) }
                }
            }
        }

        // Migrations reach each tenant on its server.
        let next = TenantProvisioner(
            tenantPool: database, migrations: [TenancyDatabase.itemsMigration, Self.extraColumn])
        #expect(try await next.migrationStatus().tenants.map(\.pending) == [[2], [2]])
        let results = try await next.migrateAll()
        #expect(results.map(\.failure) == [nil, nil])
        #expect(results.map(\.applied) == [[2], [2]])
        #expect(try await next.migrationStatus().tenants.map(\.version) == [2, 2])
        #expect(
            try await TenancyDatabase.adminValues(
                eu,
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'tenant_globex' AND column_name = 'extra'"
            )
                == ["1"])

        // A placement the options do not name is refused, for new tenants and for registry rows.
        await expectFailure(.unknownPlacement) {
            try await provisioner.createTenant(name: "Initech", subdomain: "initech", placement: "us")
        }
        try await TenancyDatabase.admin(main, "UPDATE public.tenants SET placement = 'us' WHERE subdomain = 'acme'")
        database.registry.invalidateAll()
        await expectFailure(.unknownPlacement) {
            try await withTenant(try await database.registry.tenant(id: acme.id)) {
                _ = try await database.query(ItemStamps())
            }
        }
        try await TenancyDatabase.admin(main, "UPDATE public.tenants SET placement = NULL WHERE subdomain = 'acme'")
        database.registry.invalidateAll()

        try await next.delete(id: globex.id)
        #expect(try await !TwoServers.hasSchema(eu, "tenant_globex"))
        await database.close()
    }

    @Test(
        "a process that configures no placements refuses a placed tenant, and a pooled placement needs transactionLocal"
    )
    func placementsAreNeverIgnored() async throws {
        let (_, eu, database) = try await TwoServers.setUp("placement_unconfigured")
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex", placement: "eu")
        await database.close()

        // A pool of the main server alone still reads the placement, and sends nothing to its own copy.
        var configuration = try TestDatabase.configuration()
        configuration.parameters["dbname"] = "placement_unconfigured"
        let unplaced = try TenantPool(configuration: configuration)
        await expectFailure(.unknownPlacement) {
            _ = try await unplaced.withTenant(id: globex.id) { try await unplaced.query(ItemStamps()) }
        }
        let status = try await TenantProvisioner(tenantPool: unplaced, migrations: [TenancyDatabase.itemsMigration])
            .migrateAll()
        #expect(status.map { $0.failure?.contains("placement") == true } == [true])
        #expect(try await !TwoServers.hasSchema(configuration, "tenant_globex"))
        await unplaced.close()

        var pooled = eu
        pooled.transactionPooling = true
        var tenancy = TenancyOptions()
        tenancy.placements = ["eu": pooled]
        #expect(throws: SQLGenError.self) { _ = try TenantPool(configuration: configuration, tenancy: tenancy) }
    }

    @Test("a move copies every row, switches the registry, and keeps every write it acknowledged")
    func moveKeepsEveryWrite() async throws {
        let (main, eu, database) = try await TwoServers.setUp("placement_move")
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await TenancyDatabase.admin(
            main, "INSERT INTO tenant_globex.items (tenant, value) SELECT 'seed', g FROM generate_series(1, 5000) g")

        // Writes go on through the move: each is acknowledged, or fails and is not counted.
        let acknowledged = LockedState(0)
        let failed = LockedState(0)
        let stop = LockedState(false)
        let writer = Task {
            while !stop.withLock({ $0 }) {
                do {
                    try await database.withTenant(id: globex.id) {
                        _ = try await database.execute(InsertItem(tenant: "written", value: 1))
                    }
                    acknowledged.withLock { $0 += 1 }
                    // Paced, as a client's writes are: a storm of them would slow every other test.
                    do { try await Task.sleep(for: .milliseconds(2)) } catch { break }
                } catch {
                    failed.withLock { $0 += 1 }
                    // A failure can come back without suspending (a cached "schema missing"): back off,
                    // as a client would, rather than spin on one of the few cooperative threads.
                    do { try await Task.sleep(for: .milliseconds(5)) } catch { break }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let move = try await provisioner.moveTenant(id: globex.id, to: "eu")
        try await Task.sleep(for: .milliseconds(300))
        stop.withLock { $0 = true }
        await writer.value

        #expect(move.tenant.placement == "eu")
        #expect(move.rows >= 5_000)
        #expect(move.writeFreeze > .zero)
        #expect(try await !TwoServers.hasSchema(main, "tenant_globex"))
        let written = try await TenancyDatabase.adminValues(
            eu, "SELECT count(*) FILTER (WHERE tenant = 'written') || ':' || count(*) FROM tenant_globex.items")
        let count = acknowledged.withLock { $0 }
        #expect(count > 0)
        #expect(written == ["\(count):\(count + 5_000)"], "failed writes: \(failed.withLock { $0 })")

        // Back to the registry's server, through the pool as before.
        let back = try await provisioner.moveTenant(id: globex.id, to: nil)
        #expect(back.tenant.placement == nil)
        #expect(back.rows == count + 5_000)
        try await database.withTenant(id: globex.id) {
            _ = try await database.execute(InsertItem(tenant: "after", value: 1))
        }
        #expect(
            try await TenancyDatabase.adminValues(main, "SELECT count(*) FROM tenant_globex.items") == [
                "\(count + 5_001)"
            ])

        // A target that already has the schema refuses the move, and the tenant stays where it was.
        try await TenancyDatabase.admin(eu, "CREATE SCHEMA tenant_globex")
        await expectFailure(.tenantExists) { try await provisioner.moveTenant(id: globex.id, to: "eu") }
        #expect(try await database.registry.tenant(id: globex.id).placement == nil)
        let stamps = try await database.withTenant(id: globex.id) { try await database.query(ItemStamps()) }
        #expect(stamps.count == count + 5_001)
        await database.close()
    }

    @Test("a reader that keeps the old schema past the write freeze undoes the move: nothing is switched or left")
    func moveThatCannotDropInTimeIsUndone() async throws {
        let (main, eu, database) = try await TwoServers.setUp("placement_move_undone")
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        try await TenancyDatabase.admin(
            main, "INSERT INTO tenant_globex.items (tenant, value) SELECT 'seed', g FROM generate_series(1, 500) g")

        // A long report holds the table with ACCESS SHARE: the move's EXCLUSIVE lock and its copy go
        // through, but the drop of the old schema waits for the reader, past the one-second freeze.
        let reader = try await PostgresSession.connect(main)
        let failure: SQLGenError? = try await reader.withTransaction { transaction in
            _ = try await transaction.query(PlainStatement("SELECT count(*) FROM tenant_globex.items"))
            do {
                try await provisioner.moveTenant(id: globex.id, to: "eu", maxWriteFreeze: .seconds(1))
                return nil
            } catch let error as SQLGenError {
                return error
            }
        }
        await reader.close()

        let error = try #require(failure, "the move went through while a reader held the old schema")
        // The drop gave up waiting for its lock: on lock_timeout or statement_timeout, both the freeze.
        #expect(["55P03", "57014"].contains(error.sqlState), "\(error)")
        // The registry still names the registry's server, the copy on the new server is gone, and
        // every row is where it was and reachable through the pool.
        #expect(try await database.registry.tenant(id: globex.id).placement == nil)
        #expect(try await !TwoServers.hasSchema(eu, "tenant_globex"))
        let stamps = try await database.withTenant(id: globex.id) { try await database.query(ItemStamps()) }
        #expect(stamps.count == 500)
        try await database.withTenant(id: globex.id) {
            _ = try await database.execute(InsertItem(tenant: "after", value: 1))
        }
        #expect(try await TenancyDatabase.adminValues(main, "SELECT count(*) FROM tenant_globex.items") == ["501"])

        // The same from the second server back to the registry's: there the registry row is not locked by
        // the move's own transaction, so only the order (drop, then switch) keeps the registry right.
        try await provisioner.moveTenant(id: globex.id, to: "eu")
        let placedReader = try await PostgresSession.connect(eu)
        let placedFailure: SQLGenError? = try await placedReader.withTransaction { transaction in
            _ = try await transaction.query(PlainStatement("SELECT count(*) FROM tenant_globex.items"))
            do {
                try await provisioner.moveTenant(id: globex.id, to: nil, maxWriteFreeze: .seconds(1))
                return nil
            } catch let error as SQLGenError {
                return error
            }
        }
        await placedReader.close()
        #expect(placedFailure != nil, "the move went through while a reader held the old schema")
        #expect(try await database.registry.tenant(id: globex.id).placement == "eu")
        #expect(try await !TwoServers.hasSchema(main, "tenant_globex"))
        let placedStamps = try await database.withTenant(id: globex.id) { try await database.query(ItemStamps()) }
        #expect(placedStamps.count == 501)
        await database.close()
    }

    @Test("a run that read a tenant's server before the tenant moved builds no empty schema where it was")
    func migrationOfAMovedTenantBuildsNoGhostSchema() async throws {
        let (_, eu, database) = try await TwoServers.setUp("placement_moved_during_run")
        let provisioner = TenantProvisioner(
            tenantPool: database, migrations: [TenancyDatabase.itemsMigration, Self.extraColumn])
        _ = try await provisioner.createTenant(name: "Globex", subdomain: "globex")

        // The run read the tenant on "eu" (it has moved back to the registry's server since): on "eu"
        // there is no schema, and building one there would give the tenant an empty second home.
        let stale = await provisioner.migrate(subdomain: "globex", schema: "tenant_globex", placement: "eu")
        #expect(stale.failure?.contains("moved to another server during the run") == true, "\(stale)")
        #expect(stale.applied.isEmpty)
        #expect(try await !TwoServers.hasSchema(eu, "tenant_globex"))

        // Where the registry does name the tenant's server, the run migrates it as usual.
        let current = await provisioner.migrate(subdomain: "globex", schema: "tenant_globex", placement: nil)
        #expect(current.failure == nil, "\(current)")
        #expect(current.version == Self.extraColumn.version)
        await database.close()
    }
}
