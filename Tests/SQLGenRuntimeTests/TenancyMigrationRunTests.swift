import Foundation
import Testing

@testable import SQLGenRuntime

/// Migration runs at scale: one run at a time, subsets and canaries, dry runs that change nothing.
@Suite("Tenant migration runs")
struct TenancyMigrationRunTests {
    /// A second migration of the items template.
    static let notes = TenantMigration(
        version: 2, name: "notes", sql: "CREATE TABLE tenant_template.notes (id bigserial PRIMARY KEY);")

    /// Each tenant's version, by subdomain, read behind the runtime's back.
    static func versions(_ configuration: PostgresConfiguration) async throws -> [String: String] {
        let rows = try await TenancyDatabase.adminValues(
            configuration, "SELECT subdomain || '=' || schema_name FROM public.tenants ORDER BY subdomain")
        let connection = try await PostgresSession.connect(configuration)
        defer { Task { await connection.close() } }
        var versions: [String: String] = [:]
        for row in rows {
            let parts = (row ?? "").split(separator: "=").map(String.init)
            let version = try await connection.query(
                PlainStatement("SELECT version::text AS v FROM \(parts[1]).schema_migrations"))
            versions[parts[0]] = version.first?["v"] ?? "none"
        }
        return versions
    }

    @Test("a second run while one is migrating is refused at once, naming the first; nothing of it runs")
    func secondRunIsRefused() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_migrate_lock")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 4)
        defer { Task { await database.close() } }
        _ = try await TenancyStressTests.provision(database, count: 4)
        let slow = TenantMigration(
            version: 2, name: "slow",
            sql: "SELECT pg_sleep(0.4); CREATE TABLE tenant_template.notes (id bigserial PRIMARY KEY);")
        let migrator = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration, slow])
        let first = Task { try await migrator.migrateAll(parallelism: 1) }
        // Wait until the first run holds its lock (its connection is named after it).
        var holding = false
        for _ in 0..<100 where !holding {
            let running = try await TenancyDatabase.adminValues(
                configuration,
                "SELECT count(*)::text FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND a.application_name = 'sqlgen migrateAll'"
            )
            holding = running == ["1"]
            if !holding { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(holding)
        var refusal: SQLGenError?
        do {
            _ = try await migrator.migrateAll(parallelism: 4)
        } catch let error as SQLGenError { refusal = error }
        #expect(refusal?.kind == .migrationInProgress)
        #expect(
            refusal?.message.contains("application \"sqlgen migrateAll\"") == true, "\(String(describing: refusal))")
        let results = try await first.value
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0.applied == [2] && $0.failure == nil })
        // The lock went with the first run: a third run runs, with nothing to apply.
        let third = try await migrator.migrateAll()
        #expect(third.allSatisfy { $0.applied.isEmpty && $0.failure == nil && $0.version == 2 })
    }

    @Test("named tenants, registry filters and growing percentages migrate exactly the tenants selected")
    func subsetsAndCanaries() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_migrate_subsets")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 4)
        defer { Task { await database.close() } }
        let tenants = try await TenancyStressTests.provision(database, count: 40)
        try await TenancyDatabase.admin(
            configuration,
            "INSERT INTO public.plans (code, name) VALUES ('pro', 'Pro') ON CONFLICT DO NOTHING; "
                + "UPDATE public.tenants SET plan = 'pro' WHERE subdomain IN ('t3', 't17', 't21')")
        let migrator = TenantProvisioner(
            tenantPool: database, migrations: [TenancyDatabase.itemsMigration, Self.notes])

        // A dry run changes nothing and says what a run would do.
        let before = try await migrator.migrationStatus(.all.matching("plan", ["pro"]))
        #expect(before.pending.map(\.subdomain) == ["t17", "t21", "t3"])
        #expect(before.pending.allSatisfy { $0.pending == [2] })
        #expect(before.description.contains("would apply 2 to 3 tenants"), "\(before)")
        #expect(Set(try await Self.versions(configuration).values) == ["1"])

        let named = try await migrator.migrateAll(.subdomains(["t5", "t6", "nobody"]))
        #expect(named.map(\.subdomain) == ["t5", "t6"])
        let pro = try await migrator.migrateAll(.all.matching("plan", ["pro"]))
        #expect(pro.filter { $0.applied == [2] }.map(\.subdomain) == ["t17", "t21", "t3"])

        let quarter = try await migrator.migrateAll(.all.percentage(25)).map(\.subdomain)
        let half = try await migrator.migrateAll(.all.percentage(50)).map(\.subdomain)
        #expect(Set(quarter).isSubset(of: Set(half)))
        #expect((4...18).contains(quarter.count), "\(quarter.count) of 40 at 25%")
        #expect((12...30).contains(half.count), "\(half.count) of 40 at 50%")
        let versions = try await Self.versions(configuration)
        let migrated = Set(versions.filter { $0.value == "2" }.keys)
        #expect(migrated == Set(["t5", "t6", "t17", "t21", "t3"] + half))

        let rest = try await migrator.migrationStatus()
        #expect(rest.tenantsByVersion == [2: migrated.count, 1: tenants.count - migrated.count])
        _ = try await migrator.migrateAll()
        #expect(Set(try await Self.versions(configuration).values) == ["2"])
        await expectFailure(.invalidParameter) { _ = try await migrator.migrateAll(.all.percentage(120)) }
    }

    @Test("a migration file that controls its own transaction is refused when loaded, naming the file")
    func migrationWithTransactionControlIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("000002_notes.up.sql")
        try "BEGIN;\nCREATE TABLE tenant_template.notes (id int);\nCOMMIT;\n".write(
            to: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try TenantMigration.load(directory: directory, templateSchema: "tenant_template")
        } throws: { error in
            "\(error)".hasPrefix(file.path + ": error: the migration controls its transaction")
        }
        try "CREATE TABLE tenant_template.notes (id int); -- no COMMIT here\n".write(
            to: file, atomically: true, encoding: .utf8)
        #expect(try TenantMigration.load(directory: directory, templateSchema: "tenant_template").count == 1)
    }
}
