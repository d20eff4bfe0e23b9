import Foundation

extension TenantProvisioner {
    /// Copies a tenant within its server (its placement): a new tenant named `name` under `subdomain`, whose schema is
    /// built by the template's migrations and filled with a consistent snapshot of the source's rows
    /// (one REPEATABLE READ transaction) and sequence positions. User triggers do not fire on the copied
    /// rows. The source must be at the migrations' latest version, and not dirty.
    @discardableResult
    public func cloneTenant(from source: UUID, name: String, subdomain: String) async throws -> RegisteredTenant {
        let schema = schemaName(forSubdomain: subdomain)
        try checkTenantSchema(schema, "subdomain \"\(subdomain)\"")
        let id: UUID = try await tenantPool.pool.withTransaction(isolation: .repeatableRead) { transaction in
            let connection = transaction.connection
            try await lock(connection, key: subdomain)
            let original = try await registryRow(source, on: connection)
            try checkTenantSchema(original.schema, "cloning tenant \"\(original.subdomain)\"")
            let id = try await insertTenant(
                name: name, subdomain: subdomain, schema: schema, placement: original.placement, on: connection)
            try await onPlacement(
                original.placement, registry: connection, lockKey: subdomain, isolation: .repeatableRead
            ) { connection in
                _ = try await currentVersion(of: original.schema, on: connection)
                try await build(schema, on: connection)
                let data = try await TenantSchemaData.read(original.schema, on: connection, counting: false)
                try await TenantSchemaData.read(schema, on: connection, counting: false)
                    .emptyTables(in: schema, on: connection)
                try await data.setUserTriggers(enabled: false, in: schema, on: connection)
                for table in data.tables where !table.columns.isEmpty {
                    let columns = table.columns.joined(separator: ", ")
                    try await connection.simpleQuery(
                        "INSERT INTO \(SchemaName.quoted(schema)).\(SchemaName.quoted(table.name)) (\(columns)) "
                            + "OVERRIDING SYSTEM VALUE SELECT \(columns) FROM "
                            + "\(SchemaName.quoted(original.schema)).\(SchemaName.quoted(table.name))")
                }
                try await data.setUserTriggers(enabled: true, in: schema, on: connection)
                try await data.restoreSequences(in: schema, on: connection)
            }
            return id
        }
        tenantPool.registry.invalidateAll()
        return try await tenantPool.registry.tenant(id: id)
    }

    /// Gives a tenant another subdomain. Its schema keeps its name, so nothing that knows the tenant by
    /// id or schema (another process's registry cache) can reach another tenant's data, and the old
    /// subdomain stays taken (its schema name is this tenant's) until the tenant is purged: no other
    /// tenant can be reached under it while caches elsewhere still map it to this one.
    @discardableResult
    public func renameTenant(id: UUID, to subdomain: String) async throws -> RegisteredTenant {
        try await tenantPool.pool.withTransaction { transaction in
            let connection = transaction.connection
            try await lock(connection, key: subdomain)
            let row = try await registryRow(id, on: connection)
            guard row.status != RegisteredTenant.Status.deleted.rawValue else {
                throw SQLGenError(.tenantDeleted, message: "tenant \"\(row.subdomain)\" is deleted")
            }
            try await refuseClaimed(
                subdomain: subdomain, schema: schemaName(forSubdomain: subdomain), by: id, on: connection)
            _ = try await connection.execute(
                PlainStatement(
                    "UPDATE \(registryTable) SET subdomain = $2 WHERE id = $1", bindings: bindings(id, subdomain)))
        }
        tenantPool.registry.invalidateAll()
        return try await tenantPool.registry.tenant(id: id)
    }

    // MARK: - Registry rows

    /// A registry row, locked against change until the transaction ends.
    func registryRow(
        _ id: UUID, on connection: PostgresSession
    ) async throws -> (schema: String, subdomain: String, name: String, status: String, placement: String?) {
        guard
            let row = try await connection.queryFirst(
                PlainStatement(
                    "SELECT schema_name, subdomain, name, status::pg_catalog.text AS status, \(placementColumn) "
                        + "AS placement FROM \(registryTable) WHERE id = $1 FOR UPDATE",
                    bindings: bindings(id))),
            let schema = row["schema_name"], let subdomain = row["subdomain"], let name = row["name"],
            let status = row["status"]
        else { throw SQLGenError(.unknownTenant, message: "no tenant \(id) in the registry") }
        return (schema, subdomain, name, status, row["placement"])
    }

    /// The registry's `placement` column as text, or NULL when the registry has no such column: read
    /// whether or not placements are configured, so that a placed tenant is refused by a process that
    /// does not know its server, never taken for a local one.
    var placementColumn: String {
        let table = tenantPool.options.registryTable.split(separator: ".").last.map(String.init) ?? "tenants"
        return "(pg_catalog.to_jsonb(\(SchemaName.quoted(table))) OPERATOR(pg_catalog.->>) 'placement')"
    }

    /// Refuses `subdomain` for the tenant `id` (nil for a new one) when another tenant has it or holds
    /// the schema it names, or when that schema exists without being a tenant's.
    func refuseClaimed(
        subdomain: String, schema: String, by id: UUID?, on connection: PostgresSession
    ) async throws {
        let holders = try await connection.query(
            PlainStatement(
                "SELECT id, subdomain FROM \(registryTable) WHERE subdomain = $1 OR schema_name = $2",
                bindings: bindings(subdomain, schema)))
        for holder in holders where holder["id"].flatMap(UUID.init(uuidString:)) != id {
            let other = holder["subdomain"] ?? "?"
            throw SQLGenError(
                .tenantExists,
                message: other == subdomain
                    ? "subdomain \"\(subdomain)\" belongs to another tenant"
                    : "subdomain \"\(subdomain)\" names schema \"\(schema)\", which belongs to tenant \"\(other)\" (renamed from it): choose another subdomain"
            )
        }
        if holders.isEmpty, id == nil {
            let existing = try await connection.queryFirst(
                PlainStatement(
                    "SELECT pg_catalog.to_regnamespace(pg_catalog.quote_ident($1)) IS NOT NULL AS present",
                    bindings: bindings(schema)))
            if existing?["present"] == "t" {
                throw SQLGenError(
                    .tenantExists,
                    message: "schema \"\(schema)\" exists and belongs to no tenant: drop it or choose another subdomain"
                )
            }
        }
    }

    /// Inserts a new tenant's registry row after ``refuseClaimed(subdomain:schema:by:on:)``; returns its id.
    func insertTenant(
        name: String, subdomain: String, schema: String, placement: String? = nil, on connection: PostgresSession
    ) async throws -> UUID {
        try await refuseClaimed(subdomain: subdomain, schema: schema, by: nil, on: connection)
        let insert =
            placement == nil
            ? PlainStatement(
                "INSERT INTO \(registryTable) (name, subdomain, schema_name) VALUES ($1, $2, $3) RETURNING id",
                bindings: bindings(name, subdomain, schema))
            : PlainStatement(
                "INSERT INTO \(registryTable) (name, subdomain, schema_name, placement) VALUES ($1, $2, $3, $4) "
                    + "RETURNING id",
                bindings: bindings(name, subdomain, schema, placement ?? ""))
        guard
            let row = try await connection.queryFirst(insert),
            let id = row["id"].flatMap(UUID.init(uuidString:))
        else { throw SQLGenError(.unknownTenant, message: "the registry row for \"\(subdomain)\" was not created") }
        return id
    }

    /// The version `schema` records; an error when it is dirty or not the migrations' latest.
    func currentVersion(of schema: String, on connection: PostgresSession) async throws -> Int64 {
        let row = try await connection.queryFirst(
            PlainStatement(
                "SELECT version, dirty FROM \(SchemaName.quoted(schema)).schema_migrations ORDER BY version DESC LIMIT 1"
            ))
        let latest = migrations.last?.version ?? 0
        guard let row, let version = row["version"].flatMap({ Int64($0) }) else {
            throw SQLGenError(.tenantSchemaUnavailable, message: "schema \"\(schema)\" records no migration version")
        }
        guard row["dirty"] != "t" else {
            throw SQLGenError(
                .tenantSchemaUnavailable,
                message: "schema \"\(schema)\" is dirty at version \(version): repair it (repairMigration) first")
        }
        guard version == latest else {
            throw SQLGenError(
                .tenantSchemaUnavailable,
                message: "schema \"\(schema)\" is at version \(version), the migrations at \(latest): migrate it first")
        }
        return version
    }
}
