import Foundation
import Testing

@testable import SQLGenRuntime

/// A database of its own for a tenancy test, with the repository's tenant registry migration applied.
enum TenancyDatabase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh database named `name` with `000001_tenant_registry` applied; `registryCheck` false drops
    /// the registry's own CHECK on schema names, to test the runtime's validation alone.
    static func create(_ name: String, registryCheck: Bool = true) async throws -> PostgresConfiguration {
        let admin = try await TestDatabase.connect()
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        var configuration = try TestDatabase.configuration()
        configuration.parameters["dbname"] = name
        let connection = try await PostgresSession.connect(configuration)
        let registry = try String(
            contentsOf: repositoryRoot.appendingPathComponent("schema/000001_tenant_registry.up.sql"), encoding: .utf8)
        try await connection.simpleQuery(registry)
        if !registryCheck {
            try await connection.simpleQuery(
                "ALTER TABLE public.tenants DROP CONSTRAINT tenants_schema_name_format; "
                    + "ALTER TABLE public.tenants ALTER COLUMN schema_name TYPE text")
        }
        await connection.close()
        return configuration
    }

    /// The CRM's tenant migrations (000002, 000003) from `schema/`.
    static func crmMigrations() throws -> [TenantMigration] {
        try TenantMigration.load(
            directory: repositoryRoot.appendingPathComponent("schema"), templateSchema: "tenant_template")
    }

    /// A one-table template: rows stamped with the tenant they were written for.
    static let itemsMigration = TenantMigration(
        version: 1, name: "items",
        sql: """
            CREATE SCHEMA tenant_template;
            CREATE TABLE tenant_template.items (
                id bigserial PRIMARY KEY,
                tenant text NOT NULL,
                value integer NOT NULL DEFAULT 0
            );
            """)

    static func pool(
        _ configuration: PostgresConfiguration, maxConnections: Int = 8, perTenant: Int? = nil,
        switching: TenantSwitching = .sessionAffinity
    ) throws -> TenantPool {
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = maxConnections
        poolOptions.maxConnectionsPerTenant = perTenant
        poolOptions.acquireTimeout = .seconds(20)
        var tenancy = TenancyOptions()
        tenancy.switching = switching
        return try TenantPool(configuration: configuration, poolOptions: poolOptions, tenancy: tenancy)
    }

    /// Creates the tenants Acme and Globex (with the items table) through a pool of their own, closed
    /// afterwards, so that the pool under test starts with no connection and no tenant seen.
    static func acmeAndGlobex(_ configuration: PostgresConfiguration) async throws -> (
        acme: RegisteredTenant, globex: RegisteredTenant
    ) {
        let provisioning = try pool(configuration, maxConnections: 2)
        let provisioner = TenantProvisioner(tenantPool: provisioning, migrations: [itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        await provisioning.close()
        return (acme, globex)
    }

    /// Runs plain SQL on a connection of its own (behind the runtime's back).
    static func admin(_ configuration: PostgresConfiguration, _ sql: String) async throws {
        let connection = try await PostgresSession.connect(configuration)
        defer { Task { await connection.close() } }
        try await connection.simpleQuery(sql)
    }

    /// The first column of each row of `sql`, run on a connection of its own.
    static func adminValues(_ configuration: PostgresConfiguration, _ sql: String) async throws -> [String?] {
        let connection = try await PostgresSession.connect(configuration)
        let rows = try await connection.query(PlainStatement(sql))
        await connection.close()
        return rows.map { $0.values.first ?? nil }
    }
}

/// Inserts a row stamped with `tenant` into the current tenant's `items`.
struct InsertItem: SQLStatement {
    typealias Row = SQLNoRow
    static var name: String { "InsertItem" }
    static var sql: String { "INSERT INTO items (tenant, value) VALUES ($1, $2)" }
    static var scope: StatementScope { .tenant }
    var tenant: String
    var value: Int32
    func bind(to bindings: inout SQLBindings) {
        bindings.append(tenant)
        bindings.append(value)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

/// The stamps of every row in the current tenant's `items`.
struct ItemStamps: SQLStatement {
    typealias Row = String
    static var name: String { "ItemStamps" }
    static var sql: String { "SELECT tenant FROM items ORDER BY id" }
    static var scope: StatementScope { .tenant }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "tenant") }
}

/// ``ItemStamps`` as the generator emits a tenant read: with the offset of its tenant name, so the tenant
/// pool writes the tenant's schema in front of it and runs it on the shared path.
struct QualifiedItemStamps: SQLStatement {
    typealias Row = String
    static var name: String { "QualifiedItemStamps" }
    static var sql: String { "SELECT tenant FROM items ORDER BY id" }
    static var scope: StatementScope { .tenant }
    static var tenantNameOffsets: [Int]? { [19] }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "tenant") }
}

/// The schemas names resolve in, as PostgreSQL reports them, for the current route.
struct CurrentSchemas: SQLStatement {
    typealias Row = [String]
    static var name: String { "CurrentSchemas" }
    static var sql: String { "SELECT pg_catalog.current_schemas(false)::text[]" }
    static var scope: StatementScope { .tenant }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> [String] { try row.decode(0, name: "schemas") }
}

/// The same as ``CurrentSchemas`` for global statements.
struct GlobalSchemas: SQLStatement {
    typealias Row = [String]
    static var name: String { "GlobalSchemas" }
    static var sql: String { "SELECT pg_catalog.current_schemas(false)::text[]" }
    static var scope: StatementScope { .global }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> [String] { try row.decode(0, name: "schemas") }
}

/// Whether `body` fails with a ``SQLGenError`` of `kind`.
func expectFailure(
    _ kind: SQLGenError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected a \(kind) error, got success", sourceLocation: sourceLocation)
    } catch let error as SQLGenError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a \(kind) error, got \(error)", sourceLocation: sourceLocation)
    }
}

/// `InsertItem` as a `:copyfrom` statement.
struct CopyItem: SQLCopyStatement {
    typealias Row = SQLNoRow
    static var name: String { "CopyItem" }
    static var sql: String { "INSERT INTO items (tenant, value) VALUES ($1, $2)" }
    static var scope: StatementScope { .tenant }
    static var copyTable: String { "items" }
    static var copyColumns: [String] { ["tenant", "value"] }
    var tenant: String
    var value: Int32
    func bind(to bindings: inout SQLBindings) {
        bindings.append(tenant)
        bindings.append(value)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}
