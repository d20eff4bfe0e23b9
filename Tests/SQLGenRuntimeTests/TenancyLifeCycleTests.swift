import Foundation
import Testing

@testable import SQLGenRuntime

@Suite("Tenant life cycle: clone, rename, export and import")
struct TenancyLifeCycleTests {
    /// A template with what copying data must get right: a table referencing itself, a child whose
    /// key is an identity column (GENERATED ALWAYS) and whose total is a generated column, a trigger
    /// that would rewrite copied rows, a sequence of its own, and values whose text depends on settings.
    static let ledger = TenantMigration(
        version: 1, name: "ledger",
        sql: """
            CREATE SCHEMA tenant_template;
            CREATE TABLE tenant_template.accounts (
                id bigserial PRIMARY KEY,
                parent_id bigint REFERENCES tenant_template.accounts (id),
                name text NOT NULL,
                opened date NOT NULL DEFAULT current_date,
                rate double precision
            );
            CREATE TABLE tenant_template.entries (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                account_id bigint NOT NULL REFERENCES tenant_template.accounts (id),
                quantity integer NOT NULL,
                price numeric(10, 2) NOT NULL,
                total numeric GENERATED ALWAYS AS (quantity * price) STORED,
                note text,
                at timestamptz NOT NULL DEFAULT now(),
                span interval
            );
            CREATE SEQUENCE tenant_template.invoice_numbers START 1000;
            -- A reference row every new tenant starts with: a copy must not hold it twice.
            INSERT INTO tenant_template.accounts (id, name, opened) VALUES (100, 'opening balance', '2020-01-01');
            CREATE FUNCTION tenant_template.stamp_note() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.note := coalesce(NEW.note, 'written by trigger') || ' +'; RETURN NEW; END $$;
            CREATE TRIGGER entries_stamp BEFORE INSERT ON tenant_template.entries
                FOR EACH ROW EXECUTE FUNCTION tenant_template.stamp_note();
            """)

    /// Fills `schema` with rows that exercise the template, behind the runtime's back.
    static func seed(_ configuration: PostgresConfiguration, _ schema: String, tag: String) async throws {
        try await TenancyDatabase.admin(
            configuration,
            """
            SET TimeZone = 'Pacific/Chatham'; SET DateStyle = 'SQL, DMY';
            INSERT INTO \(schema).accounts (name, opened, rate) VALUES ('\(tag) root', '2024-02-29', 0.1);
            INSERT INTO \(schema).accounts (parent_id, name, rate) VALUES (1, '\(tag) child', 'NaN'), (1, 'tab\there', NULL);
            INSERT INTO \(schema).entries (account_id, quantity, price, note, at, span) VALUES
                (2, 3, 9.99, 'kept', '2024-03-01 12:00+00', '1 day 02:00'),
                (3, 1, 0.01, NULL, '2024-03-02 00:00+00', NULL),
                (2, 7, 1.50, E'line\\nbreak \\\\ backslash', 'infinity', '-3 months');
            SELECT nextval('\(schema).invoice_numbers'), nextval('\(schema).invoice_numbers');
            """)
    }

    /// Every row of `schema`'s tables as text (in a fixed time zone), and its sequences' positions.
    static func contents(_ configuration: PostgresConfiguration, _ schema: String) async throws -> [String?] {
        let connection = try await PostgresSession.connect(configuration)
        try await connection.simpleQuery("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'")
        let rows = try await connection.query(
            PlainStatement(
                """
                SELECT (SELECT string_agg(a::text, ' | ' ORDER BY id) FROM \(schema).accounts a)
                    || ' / ' || (SELECT string_agg(e::text, ' | ' ORDER BY id) FROM \(schema).entries e)
                    || ' / ' || (SELECT last_value || ':' || is_called FROM \(schema).invoice_numbers)
                    || ' / ' || (SELECT last_value || ':' || is_called FROM \(schema).entries_id_seq) AS contents
                """))
        await connection.close()
        return rows.map { $0["contents"] ?? nil }
    }

    static func provisioner(_ configuration: PostgresConfiguration) throws -> (TenantPool, TenantProvisioner) {
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        return (database, TenantProvisioner(tenantPool: database, migrations: [ledger]))
    }

    @Test("a clone holds the source's rows, keys and sequence positions; triggers did not rewrite them")
    func cloneCopiesEverything() async throws {
        let configuration = try await TenancyDatabase.create("lifecycle_clone")
        let (database, provisioner) = try Self.provisioner(configuration)
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        try await Self.seed(configuration, "tenant_acme", tag: "acme")
        let before = try await Self.contents(configuration, "tenant_acme")
        #expect(before.first??.contains("written by trigger +") == true)

        let staging = try await provisioner.cloneTenant(from: acme.id, name: "Acme staging", subdomain: "acme-staging")
        #expect(staging.schemaName == "tenant_acme_staging")
        #expect(staging.id != acme.id)
        #expect(try await Self.contents(configuration, "tenant_acme_staging") == before)

        // The copy's triggers are on again, its identity and sequences continue after the source's,
        // and its writes stay in its own schema.
        try await TenancyDatabase.admin(
            configuration, "INSERT INTO tenant_acme_staging.entries (account_id, quantity, price) VALUES (1, 1, 1)")
        let added = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT id || ':' || note || ':' || nextval('tenant_acme_staging.invoice_numbers') FROM tenant_acme_staging.entries ORDER BY id DESC LIMIT 1"
        )
        #expect(added == ["4:written by trigger +:1002"])
        #expect(try await Self.contents(configuration, "tenant_acme") == before)

        // A taken subdomain, and a source behind the migrations, are refused; nothing is left behind.
        await expectFailure(.tenantExists) {
            try await provisioner.cloneTenant(from: acme.id, name: "Again", subdomain: "acme-staging")
        }
        let ahead = TenantProvisioner(
            tenantPool: database,
            migrations: [Self.ledger, TenantMigration(version: 2, name: "more", sql: "SELECT 1")])
        await expectFailure(.tenantSchemaUnavailable) {
            try await ahead.cloneTenant(from: acme.id, name: "Old", subdomain: "acme-old")
        }
        let leftovers = try await TenancyDatabase.adminValues(
            configuration,
            "SELECT (SELECT count(*) FROM public.tenants) || ':' || (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant_acme%')"
        )
        #expect(leftovers == ["2:2"])
        await database.close()
    }

    @Test("a renamed tenant keeps its schema, and its old subdomain cannot be given to another tenant")
    func renameKeepsTheSchema() async throws {
        let configuration = try await TenancyDatabase.create("lifecycle_rename")
        let (database, provisioner) = try Self.provisioner(configuration)
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        // Cached under its old subdomain before the rename.
        #expect(try await database.registry.tenant(subdomain: "acme") == acme)

        let renamed = try await provisioner.renameTenant(id: acme.id, to: "acme-corp")
        #expect(renamed.id == acme.id)
        #expect(renamed.subdomain == "acme-corp")
        #expect(renamed.schemaName == "tenant_acme")
        await expectFailure(.unknownTenant) { _ = try await database.registry.tenant(subdomain: "acme") }

        // "acme" names tenant_acme, which is the renamed tenant's: no new tenant, clone, import or
        // rename may take it, so no cache elsewhere that still maps "acme" to it can reach another tenant.
        await expectFailure(.tenantExists) { try await provisioner.createTenant(name: "New Acme", subdomain: "acme") }
        await expectFailure(.tenantExists) {
            try await provisioner.cloneTenant(from: globex.id, name: "New Acme", subdomain: "acme")
        }
        await expectFailure(.tenantExists) { try await provisioner.renameTenant(id: globex.id, to: "acme") }
        await expectFailure(.tenantExists) { try await provisioner.renameTenant(id: globex.id, to: "acme-corp") }

        try await database.withTenant(subdomain: "acme-corp") {
            _ = try await database.execute(InsertAccount(value: "acme"))
        }
        #expect(
            try await TenancyDatabase.adminValues(
                configuration, "SELECT name FROM tenant_acme.accounts WHERE id <> 100") == ["acme"])

        // Back to its old subdomain, which its schema still names.
        #expect(try await provisioner.renameTenant(id: acme.id, to: "acme").subdomain == "acme")
        try await provisioner.delete(id: acme.id)
        await expectFailure(.tenantDeleted) { try await provisioner.renameTenant(id: acme.id, to: "acme-2") }
        await database.close()
    }

    @Test("an export imported into another database holds the same rows, checked by count and checksum")
    func exportAndImport() async throws {
        let source = try await TenancyDatabase.create("lifecycle_export")
        let target = try await TenancyDatabase.create("lifecycle_import")
        // The target reads dates and times another way: the import must not depend on it.
        try await TenancyDatabase.admin(
            target,
            "ALTER DATABASE lifecycle_import SET DateStyle = 'SQL, DMY'; ALTER DATABASE lifecycle_import SET TimeZone = 'Asia/Kolkata'"
        )
        let (sourcePool, exporter) = try Self.provisioner(source)
        let (targetPool, importer) = try Self.provisioner(target)
        let acme = try await exporter.createTenant(name: "Acme", subdomain: "acme")
        try await Self.seed(source, "tenant_acme", tag: "acme")
        let before = try await Self.contents(source, "tenant_acme")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }

        let manifest = try await exporter.exportTenant(id: acme.id, to: folder)
        #expect(manifest.tables.map(\.name) == ["accounts", "entries"])
        #expect(manifest.tables.map(\.rows) == [4, 3])
        #expect(manifest.tables[1].columns.contains("total") == false)
        await expectFailure(.tenantArchive) { try await exporter.exportTenant(id: acme.id, to: folder) }

        // Rows changed on the way (a line of a COPY file lost) are refused, and nothing is created.
        let entries = folder.appendingPathComponent(try #require(manifest.tables[1].file))
        let original = try String(contentsOf: entries, encoding: .utf8)
        try String(original.split(separator: "\n").dropLast().joined(separator: "\n") + "\n")
            .write(to: entries, atomically: true, encoding: .utf8)
        await expectFailure(.tenantDataMismatch) { try await importer.importTenant(from: folder) }
        // A value changed in place keeps the count and changes the checksum.
        try original.replacingOccurrences(of: "9.99", with: "9.98").write(
            to: entries, atomically: true, encoding: .utf8)
        await expectFailure(.tenantDataMismatch) { try await importer.importTenant(from: folder) }
        #expect(
            try await TenancyDatabase.adminValues(
                target,
                "SELECT (SELECT count(*) FROM public.tenants) || ':' || (SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_acme')"
            ) == ["0:0"])
        try original.write(to: entries, atomically: true, encoding: .utf8)

        let imported = try await importer.importTenant(from: folder)
        #expect(imported.subdomain == "acme")
        #expect(imported.name == "Acme")
        #expect(try await Self.contents(target, "tenant_acme") == before)
        let copy = try await importer.importTenant(from: folder, name: "Acme copy", subdomain: "acme-copy")
        #expect(try await Self.contents(target, "tenant_acme_copy") == before)
        #expect(copy.id != imported.id)

        // An import needs the migrations' version, and reads no file outside the export's folder.
        let ahead = TenantProvisioner(
            tenantPool: targetPool,
            migrations: [Self.ledger, TenantMigration(version: 2, name: "more", sql: "SELECT 1")])
        await expectFailure(.tenantArchive) { try await ahead.importTenant(from: folder, subdomain: "acme-3") }
        // A data file that is a link to a file elsewhere is not read either.
        let accounts = folder.appendingPathComponent(try #require(manifest.tables[0].file))
        let saved = try Data(contentsOf: accounts)
        try FileManager.default.removeItem(at: accounts)
        try FileManager.default.createSymbolicLink(atPath: accounts.path, withDestinationPath: "/etc/passwd")
        await expectFailure(.tenantArchive) { try await importer.importTenant(from: folder, subdomain: "acme-5") }
        try FileManager.default.removeItem(at: accounts)
        try saved.write(to: accounts)
        var tampered = manifest
        tampered.tables[0].file = "../manifest.json"
        let encoded = try JSONEncoder().encode(tampered)
        try encoded.write(to: folder.appendingPathComponent(TenantExportManifest.fileName))
        await expectFailure(.tenantArchive) { try await importer.importTenant(from: folder, subdomain: "acme-4") }
        await sourcePool.close()
        await targetPool.close()
    }
}

/// Inserts an account into the current tenant's ledger.
struct InsertAccount: SQLStatement {
    typealias Row = SQLNoRow
    static var name: String { "InsertAccount" }
    static var sql: String { "INSERT INTO accounts (name) VALUES ($1)" }
    static var scope: StatementScope { .tenant }
    var value: String
    func bind(to bindings: inout SQLBindings) { bindings.append(value) }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}
