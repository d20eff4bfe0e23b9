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
              ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) '\(name)'
                  AND (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolcanlogin OR r.rolreplication
                    OR r.rolbypassrls OR EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                      WHERE m.member OPERATOR(pg_catalog.=) r.oid))) THEN
                -- A role made some other way may carry rights of its own: never adopt it as a tenant's.
                RAISE EXCEPTION 'role "%" exists with attributes or memberships of its own (superuser, createrole, createdb, login, replication, bypassrls, or a member of another role); a tenant role must be made by sqlgen', '\(name)'
                  USING ERRCODE = '42710';
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
            let quoted = SchemaName.quoted(schema)
            script += "GRANT USAGE ON SCHEMA \(quoted) TO \(role);\n"
            guard !shared.isEmpty else { continue }
            // Tables only, not views: a view runs with its owner's rights, and one over the registry or
            // over a tenant's schema would be a door in the wall. Grant safe views yourself.
            script += """
                DO $sqlgen$ DECLARE t pg_catalog.text; BEGIN
                  FOR t IN SELECT pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c
                    WHERE c.relnamespace OPERATOR(pg_catalog.=) '\(quoted)'::pg_catalog.regnamespace
                      AND c.relkind IN ('r', 'p') LOOP
                    EXECUTE 'GRANT \(shared) ON \(quoted).' OPERATOR(pg_catalog.||) t OPERATOR(pg_catalog.||) ' TO \(role)';
                  END LOOP;
                END $sqlgen$;

                """
            if roles.sharedTablePrivileges.contains(.insert) {
                // Serial and identity columns of shared tables draw from their sequences.
                script += "GRANT USAGE ON ALL SEQUENCES IN SCHEMA \(quoted) TO \(role);\n"
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
            try await tenantPool.pool(placement: tenant.placement).withTransaction { transaction in
                try await lock(transaction.connection, key: tenant.subdomain)
                try await grantTenantRole(tenant.schemaName, on: transaction.connection)
            }
            granted += 1
        }
        return granted
    }
}
