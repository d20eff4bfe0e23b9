import Foundation

/// What happened to one tenant's schema in ``TenantProvisioner/migrateAll(_:parallelism:progress:)``.
public struct TenantMigrationResult: Sendable, Hashable {
    /// The tenant's subdomain.
    public var subdomain: String
    /// The tenant's schema.
    public var schemaName: String
    /// The versions applied in this run (empty when the schema was up to date).
    public var applied: [Int64]
    /// The version the schema is at now.
    public var version: Int64
    /// Whether the tenant is dirty now: a migration failed for it, in this run or an earlier one, and
    /// runs skip it until ``TenantProvisioner/repairMigration(subdomain:version:)``.
    public var dirty: Bool = false
    /// Why the tenant's migration stopped or was skipped, or nil when it finished.
    public var failure: String?
}

/// One tenant finished (or failed), with how far the run is.
public struct TenantMigrationProgress: Sendable {
    /// How many tenants with work have finished (or failed) so far, this one included.
    public var completed: Int
    /// How many tenants the run migrates (those with migrations to apply).
    public var total: Int
    /// What happened to this tenant.
    public var result: TenantMigrationResult
}

/// A migration whose own SQL failed (not the connection, not the bookkeeping): its tenant is marked dirty.
private struct MigrationStepFailure: Error {
    var version: Int64
    var error: SQLGenError
}

extension TenantProvisioner {
    /// Brings the selected tenants (by default every tenant that is not deleted) up to the latest
    /// migration, `parallelism` tenants at a time; returns a result for every selected tenant.
    ///
    /// - One run at a time: the run holds a session advisory lock on a connection of its own; a second
    ///   run (another deploy) fails at once with ``SQLGenError/Kind/migrationInProgress``, naming the
    ///   first.
    /// - The versions of all selected tenants are read first (``migrationStatus(_:)``), in statements of
    ///   500 tenants each; tenants that are up to date cost nothing more, so a run with nothing to apply
    ///   takes a few statements, not one round trip per tenant.
    /// - Each migration runs in its own transaction with the tenant's `schema_migrations` row
    ///   (golang-migrate's `version bigint`, `dirty boolean`), so a failure leaves that tenant at its
    ///   last good version and the others unaffected.
    /// - A tenant whose migration failed is marked dirty at the failed version and skipped by later
    ///   runs (reported as a failure) until ``repairMigration(subdomain:version:)``.
    /// - `progress` hears of each tenant that had work, as it finishes.
    public func migrateAll(
        _ selection: TenantSelection = .all, parallelism: Int = 4,
        progress: (@Sendable (TenantMigrationProgress) -> Void)? = nil
    ) async throws -> [TenantMigrationResult] {
        guard parallelism >= 1 else {
            throw SQLGenError(.invalidParameter, message: "parallelism must be at least 1, not \(parallelism)")
        }
        let lock = try await MigrationRunLock.acquire(
            tenantPool.pool.configuration, registryTable: tenantPool.options.registryTable)
        do {
            let results = try await migrate(try await schemaVersions(selection), parallelism: parallelism, progress)
            await lock.release()
            return results
        } catch {
            await lock.release()
            throw error
        }
    }

    private func migrate(
        _ tenants: [TenantSchemaVersion], parallelism: Int,
        _ progress: (@Sendable (TenantMigrationProgress) -> Void)?
    ) async throws -> [TenantMigrationResult] {
        var results: [TenantMigrationResult] = []
        var work: [TenantSchemaVersion] = []
        for tenant in tenants {
            var result = TenantMigrationResult(
                subdomain: tenant.subdomain, schemaName: tenant.schemaName, applied: [], version: tenant.version ?? 0,
                dirty: tenant.dirty, failure: nil)
            if let refusal = tenant.refusal {
                result.failure = refusal
            } else if tenant.dirty {
                result.failure =
                    "skipped: dirty at version \(tenant.version ?? 0) (a migration failed in an earlier run); fix the cause, then repair it (repairMigration(subdomain:))"
            } else if !tenant.pending.isEmpty {
                work.append(tenant)
                continue
            }
            results.append(result)
        }
        try await withThrowingTaskGroup(of: TenantMigrationResult.self) { group in
            var next = 0
            var completed = 0
            func startNext() {
                guard next < work.count else { return }
                let tenant = work[next]
                next += 1
                group.addTask {
                    await self.migrate(
                        subdomain: tenant.subdomain, schema: tenant.schemaName, placement: tenant.placement)
                }
            }
            for _ in 0..<parallelism { startNext() }
            while let result = try await group.next() {
                results.append(result)
                completed += 1
                progress?(TenantMigrationProgress(completed: completed, total: work.count, result: result))
                startNext()
            }
        }
        return results.sorted { $0.subdomain < $1.subdomain }
    }

    /// Migrates one tenant's schema; errors become the result's failure, and a migration whose SQL
    /// failed marks the tenant dirty at its version.
    func migrate(subdomain: String, schema: String, placement: String? = nil) async -> TenantMigrationResult {
        var result = TenantMigrationResult(
            subdomain: subdomain, schemaName: schema, applied: [], version: 0, failure: nil)
        do {
            let pool = try tenantPool.pool(placement: placement)
            for migration in migrations {
                let outcome: (applied: Bool, version: Int64) = try await pool.withTransaction {
                    transaction in
                    try await apply(
                        migration, to: schema, subdomain: subdomain, placement: placement, on: transaction.connection)
                }
                result.version = outcome.version
                if outcome.applied { result.applied.append(migration.version) }
            }
        } catch let failure as MigrationStepFailure {
            result.failure = "migration \(failure.version) failed: \(failure.error)"
            do {
                try await markDirty(
                    schema: schema, subdomain: subdomain, version: failure.version, placement: placement)
                result.dirty = true
                result.version = failure.version
            } catch {
                result.failure? += "; marking the tenant dirty failed too: \(error)"
            }
        } catch {
            result.failure = "\(error)"
        }
        return result
    }

    /// Applies `migration` unless the schema already has it; returns whether it did and the version after.
    private func apply(
        _ migration: TenantMigration, to schema: String, subdomain: String, placement: String?,
        on connection: PostgresSession
    ) async throws -> (applied: Bool, version: Int64) {
        try await lock(connection, key: subdomain)
        try checkTenantSchema(schema, "migrating tenant \"\(subdomain)\"")
        let quoted = SchemaName.quoted(schema)
        let present = try await connection.queryFirst(
            PlainStatement(
                "SELECT pg_catalog.to_regclass($1) IS NOT NULL AS present",
                bindings: bindings(quoted + ".schema_migrations")))
        guard present?["present"] == "t" else {
            // A registry row whose schema was never built: build it from every migration, on the server
            // the registry names now (a tenant moved since the run read it has no schema here, by design).
            let now = try await tenantPool.pool.queryFirst(
                PlainStatement(
                    "SELECT \(placementColumn) AS placement FROM \(registryTable) WHERE subdomain = $1",
                    bindings: bindings(subdomain)))
            guard let now, now["placement"] == placement else {
                throw SQLGenError(
                    .tenantSchemaUnavailable,
                    message: "tenant \"\(subdomain)\" moved to another server during the run: run it again")
            }
            try await build(schema, on: connection)
            return (true, migrations.last?.version ?? 0)
        }
        let row = try await connection.queryFirst(
            PlainStatement("SELECT version, dirty FROM \(quoted).schema_migrations FOR UPDATE"))
        let version = row?["version"].flatMap { Int64($0) } ?? 0
        if row?["dirty"] == "t" {
            throw SQLGenError(
                .server,
                message:
                    "schema \(schema) is dirty at version \(version) (a migration failed); fix the cause, then repair it (repairMigration(subdomain:))"
            )
        }
        guard migration.version > version else { return (false, version) }
        try await setLocalSearchPath(schema, on: connection)
        do throws(SQLGenError) {
            try await connection.simpleQuery(
                SchemaRetargeting.retarget(migration.sql, from: templateSchema, to: schema))
        } catch {
            throw MigrationStepFailure(version: migration.version, error: error)
        }
        try await record(version: migration.version, dirty: false, in: quoted, on: connection)
        return (true, migration.version)
    }

    /// Sets the schema's one `schema_migrations` row.
    func record(version: Int64, dirty: Bool, in quotedSchema: String, on connection: PostgresSession) async throws {
        try await connection.simpleQuery("DELETE FROM \(quotedSchema).schema_migrations")
        try await connection.simpleQuery(
            "INSERT INTO \(quotedSchema).schema_migrations (version, dirty) VALUES (\(version), \(dirty))")
    }

    /// Marks the tenant dirty at `version`, in a transaction of its own (the migration's was rolled back).
    private func markDirty(schema: String, subdomain: String, version: Int64, placement: String?) async throws {
        try await tenantPool.pool(placement: placement).withTransaction { transaction in
            try await lock(transaction.connection, key: subdomain)
            try await record(version: version, dirty: true, in: SchemaName.quoted(schema), on: transaction.connection)
        }
    }

    /// Marks a dirty tenant clean, so that runs migrate it again, and returns the version it is at now.
    ///
    /// A migration runs in one transaction, so when it fails its work is rolled back and the schema is
    /// as the previous migration left it: by default the tenant is marked clean at the version before
    /// the failed one, and the next run applies the failed migration again. Fix what made it fail first
    /// (the run's report has the error). `version` forces another version, as golang-migrate's `force`
    /// does, for a schema that a tool without transactions left half-migrated and that was mended by hand.
    @discardableResult
    public func repairMigration(subdomain: String, version: Int64? = nil) async throws -> Int64 {
        let rows = try await tenantPool.pool.query(
            PlainStatement(
                "SELECT schema_name::pg_catalog.text AS schema_name, \(placementColumn) AS placement FROM \(registryTable) "
                    + "WHERE subdomain::pg_catalog.text OPERATOR(pg_catalog.=) $1 "
                    + "AND status::pg_catalog.text OPERATOR(pg_catalog.<>) 'deleted'",
                bindings: bindings(subdomain)))
        guard let schema = rows.first?["schema_name"] else {
            throw SQLGenError(.unknownTenant, message: "no tenant \"\(subdomain)\" in the registry")
        }
        try checkTenantSchema(schema, "repairing tenant \"\(subdomain)\"")
        let quoted = SchemaName.quoted(schema)
        return try await tenantPool.pool(placement: rows.first?["placement"]).withTransaction { transaction in
            let connection = transaction.connection
            try await lock(connection, key: subdomain)
            let row = try await connection.queryFirst(
                PlainStatement("SELECT version, dirty FROM \(quoted).schema_migrations FOR UPDATE"))
            guard let current = row?["version"].flatMap({ Int64($0) }), row?["dirty"] == "t" else {
                throw SQLGenError(
                    .invalidParameter, message: "tenant \"\(subdomain)\" is not dirty; there is nothing to repair")
            }
            let target = version ?? migrations.map(\.version).filter { $0 < current }.max() ?? 0
            try await record(version: target, dirty: false, in: quoted, on: connection)
            return target
        }
    }
}
