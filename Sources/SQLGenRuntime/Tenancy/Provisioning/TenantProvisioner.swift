import Foundation

/// Creates, suspends, resumes and deletes tenants, and migrates every tenant's schema.
///
/// The registry table needs the columns `id`, `name`, `subdomain` (unique), `schema_name`,
/// `status` (`active`, `suspended`, `deleted`), `suspended_at` and `deleted_at`, as the
/// `000001_tenant_registry` migration defines them.
public struct TenantProvisioner: Sendable {
    /// The pool and registry the tenants live in.
    public let tenantPool: TenantPool
    /// The template's migrations, in version order.
    public let migrations: [TenantMigration]
    /// The schema the migrations are written against.
    public let templateSchema: String

    /// A provisioner of `tenantPool`'s tenants, building their schemas from `migrations` (sorted by version),
    /// written against `templateSchema`.
    public init(tenantPool: TenantPool, migrations: [TenantMigration], templateSchema: String = "tenant_template") {
        self.tenantPool = tenantPool
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.templateSchema = templateSchema
    }

    var registryTable: String { tenantPool.options.quotedRegistryTable }

    /// Refuses a schema that is not a tenant's: a reserved one (``TenancyOptions``), or this
    /// provisioner's template schema, which may differ from the pool's.
    func checkTenantSchema(_ schema: String, _ context: String) throws(SQLGenError) {
        try tenantPool.options.checkTenantSchema(schema, context)
        if schema.lowercased() == templateSchema.lowercased() {
            throw SQLGenError(
                .invalidTenantSchema, message: "\(context): schema \"\(schema)\" is the template schema")
        }
    }

    /// The schema a new tenant gets: `tenant_` and the subdomain, hyphens as underscores.
    public func schemaName(forSubdomain subdomain: String) -> String {
        "tenant_" + subdomain.replacingOccurrences(of: "-", with: "_")
    }

    /// Creates a tenant: its registry row and its schema, built by the template's migrations, in one
    /// transaction. Creating a tenant that exists returns it; one whose row exists without its schema
    /// gets its schema (so an interrupted creation is finished by running it again).
    ///
    /// `placement` puts the schema on another server (a key of ``TenancyOptions/placements``). The
    /// schema is then built in a transaction there, committed just before the registry's: a failure
    /// leaves no registry row.
    @discardableResult
    public func createTenant(name: String, subdomain: String, placement: String? = nil) async throws
        -> RegisteredTenant
    {
        let schema = schemaName(forSubdomain: subdomain)
        try checkTenantSchema(schema, "subdomain \"\(subdomain)\"")
        _ = try tenantPool.pool(placement: placement)
        let id: UUID = try await tenantPool.pool.withTransaction { transaction in
            let connection = transaction.connection
            try await lock(connection, key: subdomain)
            let existing = try await connection.queryFirst(
                PlainStatement("SELECT 1 FROM \(registryTable) WHERE subdomain = $1", bindings: bindings(subdomain)))
            let inserted = existing == nil
            if inserted {
                _ = try await insertTenant(
                    name: name, subdomain: subdomain, schema: schema, placement: placement, on: connection)
            }
            guard
                let row = try await connection.queryFirst(
                    PlainStatement(
                        "SELECT id, schema_name, \(placementColumn) AS placement FROM \(registryTable) "
                            + "WHERE subdomain = $1",
                        bindings: bindings(subdomain))),
                let id = row["id"].flatMap(UUID.init(uuidString:)), let existingSchema = row["schema_name"]
            else {
                throw SQLGenError(.unknownTenant, message: "the registry row for \"\(subdomain)\" was not created")
            }
            try await onPlacement(row["placement"], registry: connection, lockKey: subdomain) { connection in
                let present = try await schemaExists(existingSchema, on: connection)
                // A new row's schema must not be there already: it would be somebody else's.
                if present, inserted, row["placement"] != nil {
                    throw SQLGenError(
                        .tenantExists,
                        message: "schema \"\(existingSchema)\" exists on placement \"\(row["placement"] ?? "")\" "
                            + "and belongs to no tenant: drop it or choose another subdomain")
                }
                if !present { try await build(existingSchema, on: connection) }
            }
            return id
        }
        tenantPool.registry.invalidateAll()
        return try await tenantPool.registry.tenant(id: id)
    }

    /// Whether `schema` exists on `connection`'s server.
    func schemaExists(_ schema: String, on connection: PostgresSession) async throws -> Bool {
        let row = try await connection.queryFirst(
            PlainStatement(
                "SELECT pg_catalog.to_regnamespace(pg_catalog.quote_ident($1)) IS NOT NULL AS present",
                bindings: bindings(schema)))
        return row?["present"] == "t"
    }

    /// Builds `schema` from every migration and records the latest version, inside the caller's transaction.
    func build(_ schema: String, on connection: PostgresSession) async throws {
        try checkTenantSchema(schema, "building a tenant")
        try await setLocalSearchPath(schema, on: connection)
        for migration in migrations {
            try await connection.simpleQuery(
                SchemaRetargeting.retarget(migration.sql, from: templateSchema, to: schema))
        }
        let quoted = SchemaName.quoted(schema)
        try await connection.simpleQuery(
            "CREATE TABLE IF NOT EXISTS \(quoted).schema_migrations (version bigint NOT NULL PRIMARY KEY, "
                + "dirty boolean NOT NULL)")
        try await connection.simpleQuery("DELETE FROM \(quoted).schema_migrations")
        if let latest = migrations.last?.version {
            try await connection.simpleQuery(
                "INSERT INTO \(quoted).schema_migrations (version, dirty) VALUES (\(latest), false)")
        }
        try await grantTenantRole(schema, on: connection)
    }

    /// Suspends a tenant: its statements fail with ``SQLGenError/Kind/tenantSuspended`` once the
    /// registry cache has expired (at once in this process).
    public func suspend(id: UUID) async throws {
        try await setStatus(id: id, "status = 'suspended', suspended_at = now()")
    }

    /// Makes a suspended tenant active again.
    public func resume(id: UUID) async throws {
        try await setStatus(id: id, "status = 'active', suspended_at = NULL")
    }

    /// Deletes a tenant: drops its schema and marks its row deleted, or removes the row when `purge`.
    /// A schema on another server is dropped in a transaction there, committed just before the
    /// registry's; if the registry's then fails, deleting again finishes the work.
    public func delete(id: UUID, purge: Bool = false) async throws {
        try await tenantPool.pool.withTransaction { transaction in
            let connection = transaction.connection
            let row = try await registryRow(id, on: connection)
            try checkTenantSchema(row.schema, "refusing to drop a schema")
            try await onPlacement(row.placement, registry: connection, lockKey: row.subdomain) { connection in
                try await connection.simpleQuery("DROP SCHEMA IF EXISTS \(SchemaName.quoted(row.schema)) CASCADE")
                try await dropTenantRole(row.schema, on: connection)
            }
            let change =
                purge
                ? "DELETE FROM \(registryTable) WHERE id = $1"
                : "UPDATE \(registryTable) SET status = 'deleted', deleted_at = now(), suspended_at = NULL WHERE id = $1"
            _ = try await connection.execute(PlainStatement(change, bindings: bindings(id)))
        }
        tenantPool.registry.invalidateAll()
    }

    private func setStatus(id: UUID, _ assignments: String) async throws {
        let changed = try await tenantPool.pool.execute(
            PlainStatement("UPDATE \(registryTable) SET \(assignments) WHERE id = $1", bindings: bindings(id)))
        tenantPool.registry.invalidateAll()
        if changed == 0 { throw SQLGenError(.unknownTenant, message: "no tenant \(id) in the registry") }
    }

    /// Serialises work on one tenant across processes until the transaction ends.
    func lock(_ connection: PostgresSession, key: String) async throws {
        _ = try await connection.query(
            PlainStatement(
                "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 0))",
                bindings: bindings("sqlgen.tenant:" + key)))
    }

    /// Unqualified names in migrations land in the tenant's schema.
    func setLocalSearchPath(_ schema: String, on connection: PostgresSession) async throws {
        let path = SearchPathRoute(tenant: nil, sharedSchemas: [schema] + tenantPool.options.sharedSchemas).setting
        _ = try await connection.query(
            PlainStatement("SELECT pg_catalog.set_config('search_path', $1, true)", bindings: bindings(path)))
    }
}

/// Parameters in order.
func bindings(_ values: any SQLEncodable...) -> SQLBindings {
    var bindings = SQLBindings()
    for value in values { bindings.append(value) }
    return bindings
}
