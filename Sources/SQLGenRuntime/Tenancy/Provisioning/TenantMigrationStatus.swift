/// Where one tenant's schema stands against the template's migrations.
public struct TenantSchemaVersion: Sendable, Hashable {
    /// The tenant's subdomain.
    public var subdomain: String
    /// The tenant's schema.
    public var schemaName: String
    /// The version its `schema_migrations` row records; nil when the schema, or that table, is missing
    /// (a run builds it from every migration).
    public var version: Int64?
    /// Whether a migration failed for it: runs skip it until ``TenantProvisioner/repairMigration(subdomain:version:)``.
    public var dirty: Bool
    /// Why the tenant is not migrated at all (its schema name is reserved, or not a tenant schema).
    public var refusal: String?
    /// The migrations a run would apply to it, in order: none when it is up to date, dirty or refused.
    public var pending: [Int64]
    /// The server its schema lives on (``RegisteredTenant/placement``): nil for the registry's.
    public var placement: String? = nil
}

/// The migration state of a selection of tenants, read without applying anything: how many are at
/// each version, which are dirty, and what a run would apply where (a dry run).
public struct TenantMigrationStatus: Sendable, CustomStringConvertible {
    /// The latest migration's version.
    public var latest: Int64
    /// Every selected tenant, by subdomain.
    public var tenants: [TenantSchemaVersion]

    /// How many tenants are at each version (a missing schema counts under nil).
    public var tenantsByVersion: [Int64?: Int] {
        tenants.reduce(into: [:]) { counts, tenant in counts[tenant.version, default: 0] += 1 }
    }
    /// The tenants a run skips until repaired.
    public var dirty: [TenantSchemaVersion] { tenants.filter(\.dirty) }
    /// The tenants a run would migrate.
    public var pending: [TenantSchemaVersion] { tenants.filter { !$0.pending.isEmpty } }

    /// A report: the counts by version, the dirty and refused tenants, and what a run would apply.
    public var description: String {
        var lines = ["\(tenants.count) tenants; latest migration \(latest)"]
        for (version, count) in tenantsByVersion.sorted(by: { ($0.key ?? -1) < ($1.key ?? -1) }) {
            lines.append(
                "  \(count) at "
                    + (version.map { "version \($0)" } ?? "no version recorded (the schema is built on the next run)"))
        }
        for tenant in dirty {
            lines.append("  dirty: \(tenant.subdomain) (\(tenant.schemaName)) at version \(tenant.version ?? 0)")
        }
        for tenant in tenants where tenant.refusal != nil {
            lines.append("  refused: \(tenant.subdomain): \(tenant.refusal ?? "")")
        }
        let pending = self.pending
        if pending.isEmpty {
            lines.append("nothing to apply")
        } else {
            let plans = Dictionary(grouping: pending, by: \.pending).sorted { $0.key.first ?? 0 < $1.key.first ?? 0 }
            for (versions, tenants) in plans {
                let names = tenants.prefix(5).map(\.subdomain).joined(separator: ", ")
                lines.append(
                    "would apply \(versions.map(String.init).joined(separator: ", ")) to \(tenants.count) tenants ("
                        + names + (tenants.count > 5 ? ", ..." : "") + ")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension TenantProvisioner {
    /// How many tenants' versions one statement reads: each table read takes a lock until the
    /// statement ends, and the server's lock table is shared (`max_locks_per_transaction`).
    static let versionsPerStatement = 500

    /// The migration state of the selected tenants, applying nothing: a dry run of
    /// ``migrateAll(_:parallelism:progress:)`` and a status report in one. Reads the registry once and
    /// every tenant's `schema_migrations` in statements of 500 tenants each, not one round trip per tenant.
    public func migrationStatus(_ selection: TenantSelection = .all) async throws -> TenantMigrationStatus {
        TenantMigrationStatus(latest: migrations.last?.version ?? 0, tenants: try await schemaVersions(selection))
    }

    /// The selected tenants and their schemas' versions.
    func schemaVersions(_ selection: TenantSelection) async throws -> [TenantSchemaVersion] {
        try selection.validate()
        let (conditions, values) = selection.conditions()
        var bound = SQLBindings()
        for value in values { bound.append(value) }
        let rows = try await tenantPool.pool.query(
            PlainStatement(
                "SELECT subdomain::pg_catalog.text AS subdomain, schema_name::pg_catalog.text AS schema_name, "
                    + "\(placementColumn) AS placement FROM \(registryTable) "
                    + "WHERE status::pg_catalog.text OPERATOR(pg_catalog.<>) 'deleted'\(conditions) ORDER BY subdomain",
                bindings: bound))
        var tenants: [TenantSchemaVersion] = []
        var byPlacement: [String?: [Int]] = [:]
        for row in rows {
            guard let subdomain = row["subdomain"], let schema = row["schema_name"] else { continue }
            var tenant = TenantSchemaVersion(
                subdomain: subdomain, schemaName: schema, version: nil, dirty: false, refusal: nil, pending: [],
                placement: row["placement"])
            do throws(SQLGenError) {
                try checkTenantSchema(schema, "tenant \"\(subdomain)\"")
                _ = try tenantPool.pool(placement: tenant.placement)
                byPlacement[tenant.placement, default: []].append(tenants.count)
            } catch {
                tenant.refusal = error.message
            }
            tenants.append(tenant)
        }
        // Each server is asked about the schemas it holds: which have a version table, then their versions.
        for (placement, indices) in byPlacement {
            let pool = try tenantPool.pool(placement: placement)
            var present: [Int] = []
            var start = 0
            while start < indices.count {
                let chunk = Array(indices[start..<min(start + Self.versionsPerStatement, indices.count)])
                let names = chunk.map { SchemaName.quoted(tenants[$0].schemaName) + ".schema_migrations" }
                let found = try await pool.query(
                    PlainStatement(
                        "SELECT i FROM pg_catalog.unnest($1::pg_catalog.text[]) WITH ORDINALITY AS n(name, i) "
                            + "WHERE pg_catalog.to_regclass(n.name) IS NOT NULL",
                        bindings: bindings(names)))
                present += found.compactMap { $0["i"].flatMap(Int.init) }.map { chunk[$0 - 1] }
                start += Self.versionsPerStatement
            }
            start = 0
            while start < present.count {
                let chunk = present[start..<min(start + Self.versionsPerStatement, present.count)]
                let sql = chunk.map { index in
                    "SELECT \(index) AS tenant, version, dirty FROM \(SchemaName.quoted(tenants[index].schemaName)).schema_migrations"
                }.joined(separator: " UNION ALL ")
                for row in try await pool.query(PlainStatement(sql)) {
                    guard let index = row["tenant"].flatMap(Int.init),
                        let version = row["version"].flatMap(Int64.init), tenants.indices.contains(index)
                    else { continue }
                    // golang-migrate keeps one row; of several, the highest counts.
                    if version >= tenants[index].version ?? Int64.min {
                        tenants[index].version = version
                        tenants[index].dirty = row["dirty"] == "t"
                    }
                }
                start += Self.versionsPerStatement
            }
        }
        for index in tenants.indices where tenants[index].refusal == nil && !tenants[index].dirty {
            let version = tenants[index].version
            tenants[index].pending = migrations.map(\.version).filter { version == nil || $0 > version ?? 0 }
        }
        return tenants
    }
}
