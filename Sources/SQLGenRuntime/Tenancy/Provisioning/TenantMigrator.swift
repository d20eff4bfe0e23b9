import Foundation

/// What happened to one tenant's schema in ``TenantProvisioner/migrateAll(parallelism:progress:)``.
public struct TenantMigrationResult: Sendable, Hashable {
    /// The tenant's subdomain.
    public var subdomain: String
    /// The tenant's schema.
    public var schemaName: String
    /// The versions applied in this run (empty when the schema was up to date).
    public var applied: [Int64]
    /// The version the schema is at now.
    public var version: Int64
    /// Why the tenant's migration stopped, or nil when it finished.
    public var failure: String?
}

/// One tenant finished (or failed), with how far the run is.
public struct TenantMigrationProgress: Sendable {
    /// How many tenants have finished (or failed) so far, this one included.
    public var completed: Int
    /// How many tenants the run migrates.
    public var total: Int
    /// What happened to this tenant.
    public var result: TenantMigrationResult
}

extension TenantProvisioner {
    /// Brings every tenant that is not deleted up to the latest migration, `parallelism` tenants at a
    /// time. Each migration runs in its own transaction with the tenant's `schema_migrations` row
    /// (golang-migrate's `version bigint`, `dirty boolean`), so a failure leaves that tenant at its
    /// last good version and the others unaffected, and a rerun applies only what is missing.
    public func migrateAll(
        parallelism: Int = 4, progress: (@Sendable (TenantMigrationProgress) -> Void)? = nil
    ) async throws -> [TenantMigrationResult] {
        let rows = try await tenantPool.pool.query(
            PlainStatement(
                "SELECT subdomain, schema_name FROM \(registryTable) WHERE status::pg_catalog.text <> 'deleted' "
                    + "ORDER BY subdomain"))
        let tenants = rows.compactMap { row in row["subdomain"].flatMap { s in row["schema_name"].map { (s, $0) } } }
        var results: [TenantMigrationResult] = []
        try await withThrowingTaskGroup(of: TenantMigrationResult.self) { group in
            var next = 0
            func startNext() {
                guard next < tenants.count else { return }
                let (subdomain, schema) = tenants[next]
                next += 1
                group.addTask { await self.migrate(subdomain: subdomain, schema: schema) }
            }
            for _ in 0..<max(1, parallelism) { startNext() }
            while let result = try await group.next() {
                results.append(result)
                progress?(TenantMigrationProgress(completed: results.count, total: tenants.count, result: result))
                startNext()
            }
        }
        return results.sorted { $0.subdomain < $1.subdomain }
    }

    /// Migrates one tenant's schema; errors become the result's failure.
    func migrate(subdomain: String, schema: String) async -> TenantMigrationResult {
        var result = TenantMigrationResult(
            subdomain: subdomain, schemaName: schema, applied: [], version: 0, failure: nil)
        do {
            for migration in migrations {
                let outcome: (applied: Bool, version: Int64) = try await tenantPool.pool.withTransaction {
                    transaction in
                    try await apply(migration, to: schema, subdomain: subdomain, on: transaction.connection)
                }
                result.version = outcome.version
                if outcome.applied { result.applied.append(migration.version) }
            }
        } catch {
            result.failure = "\(error)"
        }
        return result
    }

    /// Applies `migration` unless the schema already has it; returns whether it did and the version after.
    private func apply(
        _ migration: TenantMigration, to schema: String, subdomain: String, on connection: PostgresSession
    ) async throws -> (applied: Bool, version: Int64) {
        try await lock(connection, key: subdomain)
        try tenantPool.options.checkTenantSchema(schema, "migrating tenant \"\(subdomain)\"")
        let quoted = SchemaName.quoted(schema)
        let present = try await connection.queryFirst(
            PlainStatement(
                "SELECT pg_catalog.to_regclass($1) IS NOT NULL AS present",
                bindings: bindings(quoted + ".schema_migrations")))
        guard present?["present"] == "t" else {
            // A registry row whose schema was never built: build it from every migration.
            try await build(schema, on: connection)
            return (true, migrations.last?.version ?? 0)
        }
        let row = try await connection.queryFirst(
            PlainStatement("SELECT version, dirty FROM \(quoted).schema_migrations FOR UPDATE"))
        let version = row?["version"].flatMap { Int64($0) } ?? 0
        if row?["dirty"] == "t" {
            throw SQLGenError(
                .server, message: "schema \(schema) is dirty at version \(version): fix it by hand, then clear dirty")
        }
        guard migration.version > version else { return (false, version) }
        try await setLocalSearchPath(schema, on: connection)
        try await connection.simpleQuery(SchemaRetargeting.retarget(migration.sql, from: templateSchema, to: schema))
        try await connection.simpleQuery("DELETE FROM \(quoted).schema_migrations")
        try await connection.simpleQuery(
            "INSERT INTO \(quoted).schema_migrations (version, dirty) VALUES (\(migration.version), false)")
        return (true, migration.version)
    }
}

/// Shows migration progress on a terminal: one line rewritten in place when standard error is a
/// terminal, one line per tenant otherwise; failures always get a line of their own.
public struct TerminalMigrationProgress: Sendable {
    private let interactive = isatty(STDERR_FILENO) == 1

    /// A reporter on standard error.
    public init() {}

    /// Shows one tenant's progress; pass it as `migrateAll`'s `progress`.
    public func report(_ progress: TenantMigrationProgress) {
        let result = progress.result
        let status =
            result.failure.map { "FAILED: \($0)" }
            ?? (result.applied.isEmpty
                ? "up to date" : "applied \(result.applied.map(String.init).joined(separator: ", "))")
        let line = "[\(progress.completed)/\(progress.total)] \(result.subdomain) (\(result.schemaName)): \(status)"
        if interactive, result.failure == nil {
            FileHandle.standardError.write(
                Data(("\r\u{1B}[K" + line + (progress.completed == progress.total ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
