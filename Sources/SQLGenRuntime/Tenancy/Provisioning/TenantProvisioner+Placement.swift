import Foundation

extension TenantProvisioner {
    /// Runs `body` in a transaction on `placement`'s server: the registry's own transaction
    /// (`registry`) when the placement is the registry's server, so that the work and the registry
    /// change commit as one; else a transaction of its own there, taking the tenant's lock
    /// (`lockKey`) on that server too, committed before the registry's.
    func onPlacement<T: Sendable>(
        _ placement: String?, registry: PostgresSession, lockKey: String,
        isolation: IsolationLevel = .readCommitted, _ body: @Sendable (PostgresSession) async throws -> T
    ) async throws -> T {
        guard let placement else { return try await body(registry) }
        return try await tenantPool.pool(placement: placement).withTransaction(isolation: isolation) { transaction in
            try await lock(transaction.connection, key: lockKey)
            return try await body(transaction.connection)
        }
    }
}

/// What moving a tenant between servers did (``TenantProvisioner/moveTenant(id:to:maxWriteFreeze:)``).
public struct TenantMove: Sendable {
    /// The tenant as the registry describes it after the move.
    public let tenant: RegisteredTenant
    /// The rows copied, in all tables.
    public let rows: Int
    /// How long the tenant's writes waited: from the tables' lock to the old schema's drop.
    public let writeFreeze: Duration
}

extension TenantProvisioner {
    /// Moves a tenant's schema and rows to another server (a key of ``TenancyOptions/placements``, or
    /// nil for the registry's server), then switches its registry row.
    ///
    /// 1. On the old server, the tenant's tables are locked in EXCLUSIVE mode: reads go on, writes
    ///    wait (the write freeze). `maxWriteFreeze` is each step's statement and lock timeout; past it
    ///    the move is undone and the tenant stays where it was.
    /// 2. The rows are exported (as ``exportTenant(id:to:)`` does, to a temporary folder) and imported
    ///    on the new server into a schema built by the same migrations; every table's row count and
    ///    checksum must match, or the move is undone.
    /// 3. The old schema is dropped in the transaction that holds the lock (a drop that cannot get its
    ///    lock in time undoes the move), then the registry row is switched, and that transaction
    ///    commits. Writes that waited fail (the schema is gone), and the registry entry they used is
    ///    forgotten, so a retry reaches the new server. No acknowledged write stays behind.
    ///
    /// Only the last COMMIT comes after the switch. If it fails (the old server lost), the tenant has
    /// moved and its old schema is still there: drop it by hand.
    @discardableResult
    public func moveTenant(
        id: UUID, to placement: String?, maxWriteFreeze: Duration = .seconds(60)
    ) async throws -> TenantMove {
        let source = try await tenantPool.pool.withTransaction { transaction in
            try await registryRow(id, on: transaction.connection)
        }
        guard source.status != RegisteredTenant.Status.deleted.rawValue else {
            throw SQLGenError(.tenantDeleted, message: "tenant \"\(source.subdomain)\" is deleted")
        }
        try checkTenantSchema(source.schema, "moving tenant \"\(source.subdomain)\"")
        let sourcePool = try tenantPool.pool(placement: source.placement)
        let targetPool = try tenantPool.pool(placement: placement)
        guard source.placement != placement else {
            return TenantMove(tenant: try await tenantPool.registry.tenant(id: id), rows: 0, writeFreeze: .zero)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlgen-move-\(UUID())")
        // A temporary folder left behind loses nothing: the rows are in the database.
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(folder.path): \(error.localizedDescription)")
        }
        // Each step, and each wait for a lock (a delete of the tenant holding its registry row), is bounded.
        let milliseconds = min(86_400_000, max(1, maxWriteFreeze.components.seconds * 1000))
        let timeout = "SET LOCAL statement_timeout = \(milliseconds); SET LOCAL lock_timeout = \(milliseconds)"
        let quotedSchema = SchemaName.quoted(source.schema)
        let clock = ContinuousClock()
        let (rows, frozen): (Int, ContinuousClock.Instant) = try await sourcePool.withTransaction { transaction in
            let connection = transaction.connection
            try await lock(connection, key: source.subdomain)
            let tables = try await TenantSchemaData.read(source.schema, on: connection, counting: false)
            let locked = (tables.tables.map(\.name) + ["schema_migrations"]).map {
                quotedSchema + "." + SchemaName.quoted($0)
            }
            try await connection.simpleQuery(
                "\(timeout); LOCK TABLE \(locked.joined(separator: ", ")) IN EXCLUSIVE MODE")
            let frozen = clock.now
            let (version, data) = try await writeData(of: source.schema, to: folder, on: connection)
            let manifest = TenantExportManifest(
                format: 1, name: source.name, subdomain: source.subdomain, version: version, tables: data.tables,
                sequences: data.sequences)
            try await targetPool.withTransaction { target in
                try await lock(target.connection, key: source.subdomain)
                try await target.connection.simpleQuery(timeout)
                if try await schemaExists(source.schema, on: target.connection) {
                    throw SQLGenError(
                        .tenantExists,
                        message: "schema \"\(source.schema)\" already exists on "
                            + (placement.map { "placement \"\($0)\"" } ?? "the registry's server")
                            + ": drop it, or move the tenant elsewhere")
                }
                try await build(source.schema, on: target.connection)
                try await load(manifest, from: folder, into: source.schema, on: target.connection)
            }
            // The old schema is dropped before the switch, in this transaction, so that nothing after the
            // switch can fail but its COMMIT: a drop that waited too long for a reader undoes the move.
            do {
                try await connection.simpleQuery("DROP SCHEMA \(quotedSchema) CASCADE")
                try await dropTenantRole(source.schema, on: connection)
            } catch {
                try await dropCopy(of: source.schema, on: targetPool, after: error)
                throw error
            }
            try await switchPlacement(
                id, from: source.placement, to: placement, timeout: timeout, undoingOn: targetPool,
                schema: source.schema)
            return (data.tables.reduce(0) { $0 + ($1.rows ?? 0) }, frozen)
        }
        let freeze = clock.now - frozen
        tenantPool.registry.invalidateAll()
        return TenantMove(tenant: try await tenantPool.registry.tenant(id: id), rows: rows, writeFreeze: freeze)
    }

    /// Points the registry row at the new server; when that fails, drops the copy made there.
    private func switchPlacement(
        _ id: UUID, from old: String?, to new: String?, timeout: String, undoingOn target: PostgresPool,
        schema: String
    ) async throws {
        do {
            try await tenantPool.pool.withTransaction { transaction in
                try await transaction.connection.simpleQuery(timeout)
                let switched = try await transaction.connection.execute(
                    PlainStatement(
                        "UPDATE \(registryTable) SET placement = $2 WHERE id = $1 AND placement IS NOT DISTINCT FROM $3",
                        bindings: bindings(id, new, old)))
                guard switched == 1 else {
                    throw SQLGenError(.unknownTenant, message: "tenant \(id) changed in the registry during the move")
                }
            }
        } catch {
            try await dropCopy(of: schema, on: target, after: error)
            throw error
        }
    }

    /// Drops the copy a move made on the new server, after `error` stopped the move.
    private func dropCopy(of schema: String, on target: PostgresPool, after error: any Error) async throws {
        do {
            try await target.withTransaction { transaction in
                try await transaction.connection.simpleQuery(
                    "DROP SCHEMA IF EXISTS \(SchemaName.quoted(schema)) CASCADE")
                try await dropTenantRole(schema, on: transaction.connection)
            }
        } catch let undo {
            throw SQLGenError(
                .server,
                message: "the move failed (\(error)), and dropping its copy on the new server failed too (\(undo))")
        }
    }
}
