extension TenantProvisioner {
    /// Creates (when missing) and grants the tenant role of `schema` (``TenantRoles``), inside the
    /// caller's transaction. Nothing without tenant roles.
    func grantTenantRole(_ schema: String, on connection: PostgresSession) async throws {
        guard let roles = tenantPool.options.tenantRoles else { return }
        try checkTenantSchema(schema, "granting a tenant role")
        let name = roles.role(forSchema: schema)
        // PostgreSQL would cut a longer name to 63 bytes, and two tenants could share the cut role.
        guard name.utf8.count <= 63 else {
            throw SQLGenError(
                .invalidTenantSchema,
                message: "tenant role \"\(name)\" would be longer than 63 bytes: use a shorter prefix or schema name")
        }
        let role = SchemaName.quoted(name)
        let quotedSchema = SchemaName.quoted(schema)
        // The role name is a plain identifier (a validated prefix and schema name): safe in a literal.
        var script = """
            DO $sqlgen$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) '\(name)') THEN
                CREATE ROLE \(role) NOLOGIN;
              END IF;
            END $sqlgen$;
            GRANT \(role) TO CURRENT_USER;
            GRANT USAGE ON SCHEMA \(quotedSchema) TO \(role);
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(quotedSchema) TO \(role);
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA \(quotedSchema) TO \(role);
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA \(quotedSchema) TO \(role);
            ALTER DEFAULT PRIVILEGES IN SCHEMA \(quotedSchema) GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(role);
            ALTER DEFAULT PRIVILEGES IN SCHEMA \(quotedSchema) GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO \(role);
            ALTER DEFAULT PRIVILEGES IN SCHEMA \(quotedSchema) GRANT EXECUTE ON FUNCTIONS TO \(role);

            """
        let shared = roles.sharedTablePrivileges.map(\.rawValue).sorted().joined(separator: ", ")
        for schema in tenantPool.options.sharedSchemas {
            script += "GRANT USAGE ON SCHEMA \(SchemaName.quoted(schema)) TO \(role);\n"
            if !shared.isEmpty {
                script += "GRANT \(shared) ON ALL TABLES IN SCHEMA \(SchemaName.quoted(schema)) TO \(role);\n"
            }
        }
        // The registry is never a tenant's to read or change: it maps every tenant to its schema.
        script += "REVOKE ALL ON \(registryTable) FROM \(role);\n"
        try await connection.simpleQuery(script)
    }

    /// Drops the tenant role of `schema` and its privileges, inside the caller's transaction.
    func dropTenantRole(_ schema: String, on connection: PostgresSession) async throws {
        guard let roles = tenantPool.options.tenantRoles else { return }
        let name = roles.role(forSchema: schema)
        try await connection.simpleQuery(
            """
            DO $sqlgen$ BEGIN
              IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) '\(name)') THEN
                DROP OWNED BY \(SchemaName.quoted(name));
                DROP ROLE \(SchemaName.quoted(name));
              END IF;
            END $sqlgen$
            """)
    }

    /// Creates and grants the tenant roles (``TenantRoles``) of the selected tenants, for tenants
    /// created before the pool's options asked for them (and after a schema's privileges were
    /// changed by hand); returns how many were granted. Each tenant's grant is its own transaction.
    @discardableResult
    public func grantTenantRoles(_ selection: TenantSelection = .all) async throws -> Int {
        guard tenantPool.options.tenantRoles != nil else {
            throw SQLGenError(
                .invalidParameter,
                message: "the tenant pool's options ask for no tenant roles (TenancyOptions.tenantRoles)")
        }
        var granted = 0
        for tenant in try await schemaVersions(selection) where tenant.refusal == nil && tenant.version != nil {
            try await tenantPool.pool.withTransaction { transaction in
                try await lock(transaction.connection, key: tenant.subdomain)
                try await grantTenantRole(tenant.schemaName, on: transaction.connection)
            }
            granted += 1
        }
        return granted
    }
}
