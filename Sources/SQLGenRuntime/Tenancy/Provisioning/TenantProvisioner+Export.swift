import Foundation

extension TenantProvisioner {
    /// Writes one tenant to `directory` (created, and refused if it already holds an export): a
    /// ``TenantExportManifest`` as `manifest.json` and each table's rows as a COPY text file, all
    /// read from one consistent snapshot, with each table's row count and checksum. The tenant must be
    /// at the migrations' latest version, and not dirty; its schema is not exported, since an import
    /// builds it from the same migrations.
    @discardableResult
    public func exportTenant(id: UUID, to directory: URL) async throws -> TenantExportManifest {
        let manifestURL = directory.appendingPathComponent(TenantExportManifest.fileName)
        guard !FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw SQLGenError(.tenantArchive, message: "\(manifestURL.path): an export is already there")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(directory.path): \(error.localizedDescription)")
        }
        let manifest: TenantExportManifest = try await tenantPool.pool.withTransaction(isolation: .repeatableRead) {
            transaction in
            let row = try await registryRow(id, on: transaction.connection)
            try checkTenantSchema(row.schema, "exporting tenant \"\(row.subdomain)\"")
            return try await onPlacement(
                row.placement, registry: transaction.connection, lockKey: row.subdomain, isolation: .repeatableRead
            ) { connection in
                let (version, data) = try await writeData(of: row.schema, to: directory, on: connection)
                return TenantExportManifest(
                    format: 1, name: row.name, subdomain: row.subdomain, version: version, tables: data.tables,
                    sequences: data.sequences)
            }
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(manifest).write(to: manifestURL)
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(manifestURL.path): \(error.localizedDescription)")
        }
        return manifest
    }

    /// Writes `schema`'s rows to `directory`, one COPY file per table, inside the caller's transaction
    /// (which should be REPEATABLE READ, or hold the tables still); returns its version and its tables
    /// with their files, row counts and checksums.
    func writeData(
        of schema: String, to directory: URL, on connection: PostgresSession
    ) async throws -> (Int64, TenantSchemaData) {
        try await connection.simpleQuery(TenantSchemaData.stableTextSettings)
        let version = try await currentVersion(of: schema, on: connection)
        var data = try await TenantSchemaData.read(schema, on: connection, counting: true)
        for index in data.tables.indices {
            let file = "table-\(index + 1).copy"
            data.tables[index].file = file
            let copied = try await writeRows(
                of: data.tables[index], in: schema, to: directory.appendingPathComponent(file), on: connection)
            if copied != data.tables[index].rows {
                throw SQLGenError(
                    .tenantDataMismatch,
                    message: "table \"\(data.tables[index].name)\": \(copied) rows written, "
                        + "\(data.tables[index].rows ?? 0) counted")
            }
        }
        return (version, data)
    }

    /// Creates a tenant from an export (``exportTenant(id:to:)``), on this provisioner's database: its
    /// schema built by the template's migrations, which must be at the export's version; its rows
    /// copied in with user triggers off; its sequences restored. Every table's row count and checksum
    /// must equal the export's, or nothing is created (``SQLGenError/Kind/tenantDataMismatch``).
    /// `name` and `subdomain` default to the exported ones; `placement` puts the tenant on another
    /// server (a key of ``TenancyOptions/placements``).
    @discardableResult
    public func importTenant(
        from directory: URL, name: String? = nil, subdomain: String? = nil, placement: String? = nil
    ) async throws -> RegisteredTenant {
        let manifest = try Self.readManifest(in: directory)
        let latest = migrations.last?.version ?? 0
        guard manifest.version == latest else {
            throw SQLGenError(
                .tenantArchive,
                message: "\(directory.path): exported at version \(manifest.version), the migrations are at \(latest)")
        }
        let subdomain = subdomain ?? manifest.subdomain
        let schema = schemaName(forSubdomain: subdomain)
        try checkTenantSchema(schema, "subdomain \"\(subdomain)\"")
        _ = try tenantPool.pool(placement: placement)
        let id: UUID = try await tenantPool.pool.withTransaction { transaction in
            try await lock(transaction.connection, key: subdomain)
            let id = try await insertTenant(
                name: name ?? manifest.name, subdomain: subdomain, schema: schema, placement: placement,
                on: transaction.connection)
            try await onPlacement(placement, registry: transaction.connection, lockKey: subdomain) { connection in
                try await build(schema, on: connection)
                try await load(manifest, from: directory, into: schema, on: connection)
            }
            return id
        }
        tenantPool.registry.invalidateAll()
        return try await tenantPool.registry.tenant(id: id)
    }

    /// Copies an export's rows into `schema` (built at the export's version) and checks them.
    func load(
        _ manifest: TenantExportManifest, from directory: URL, into schema: String, on connection: PostgresSession
    ) async throws {
        try await connection.simpleQuery(TenantSchemaData.stableTextSettings)
        let built = try await TenantSchemaData.read(schema, on: connection, counting: false)
        let expected = manifest.tables.map { [$0.name] + $0.columns }.sorted { $0.lexicographicallyPrecedes($1) }
        let found = built.tables.map { [$0.name] + $0.columns }.sorted { $0.lexicographicallyPrecedes($1) }
        guard expected == found else {
            throw SQLGenError(
                .tenantArchive,
                message: "\(directory.path): its tables and columns are not the ones the migrations build")
        }
        try await built.emptyTables(in: schema, on: connection)
        try await built.setUserTriggers(enabled: false, in: schema, on: connection)
        for table in manifest.tables where !table.columns.isEmpty {
            let url = try Self.dataFile(of: table, in: directory)
            let reader: FileHandle
            do {
                reader = try FileHandle(forReadingFrom: url)
            } catch {
                throw SQLGenError(.tenantArchive, message: "\(url.path): \(error.localizedDescription)")
            }
            // Closing a file only read loses nothing.
            defer { try? reader.close() }
            let target = "\(SchemaName.quoted(schema)).\(SchemaName.quoted(table.name))"
            _ = try await connection.copyIn(
                "COPY \(target) (\(table.columns.joined(separator: ", "))) FROM STDIN", name: "TenantImport"
            ) { () throws(SQLGenError) -> [UInt8]? in
                do {
                    guard let chunk = try reader.read(upToCount: 1 << 16), !chunk.isEmpty else { return nil }
                    return [UInt8](chunk)
                } catch {
                    throw SQLGenError(.tenantArchive, message: "\(url.path): \(error.localizedDescription)")
                }
            }
        }
        try await built.setUserTriggers(enabled: true, in: schema, on: connection)
        try await TenantSchemaData(tables: manifest.tables, sequences: manifest.sequences)
            .restoreSequences(in: schema, on: connection)
        try await verify(manifest.tables, in: schema, on: connection)
    }

    /// Fails with ``SQLGenError/Kind/tenantDataMismatch`` unless each table of `schema` holds the rows
    /// and checksum `tables` record.
    func verify(
        _ tables: [TenantExportManifest.Table], in schema: String, on connection: PostgresSession
    ) async throws {
        for table in tables {
            let (rows, checksum) = try await TenantSchemaData.tally(table.name, in: schema, on: connection)
            guard rows == table.rows, checksum == table.checksum else {
                throw SQLGenError(
                    .tenantDataMismatch,
                    message:
                        "table \"\(table.name)\" of schema \"\(schema)\" holds \(rows) rows (checksum \(checksum)), "
                        + "its source \(table.rows ?? 0) (checksum \(table.checksum ?? "none"))")
            }
        }
    }

    /// Writes `table`'s rows from `schema` to `url` as COPY text; returns how many.
    private func writeRows(
        of table: TenantExportManifest.Table, in schema: String, to url: URL, on connection: PostgresSession
    ) async throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SQLGenError(.tenantArchive, message: "\(url.path): cannot be created")
        }
        let writer: FileHandle
        do {
            writer = try FileHandle(forWritingTo: url)
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(url.path): \(error.localizedDescription)")
        }
        var pending = Data()
        let source = "\(SchemaName.quoted(schema)).\(SchemaName.quoted(table.name))"
        let columns = table.columns.joined(separator: ", ")
        let copied: Int
        if columns.isEmpty {
            copied = 0
        } else {
            copied = try await connection.copyOut(
                "COPY (SELECT \(columns) FROM \(source)) TO STDOUT", name: "TenantExport"
            ) { (bytes: UnsafeRawBufferPointer) throws(SQLGenError) in
                pending.append(contentsOf: bytes)
                guard pending.count >= 1 << 16 else { return }
                do {
                    try writer.write(contentsOf: pending)
                } catch {
                    throw SQLGenError(.tenantArchive, message: "\(url.path): \(error.localizedDescription)")
                }
                pending.removeAll(keepingCapacity: true)
            }
        }
        do {
            try writer.write(contentsOf: pending)
            try writer.close()
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(url.path): \(error.localizedDescription)")
        }
        return copied
    }

    /// The manifest in `directory`, checked to be one this runtime reads.
    static func readManifest(in directory: URL) throws(SQLGenError) -> TenantExportManifest {
        let url = directory.appendingPathComponent(TenantExportManifest.fileName)
        let manifest: TenantExportManifest
        do {
            manifest = try JSONDecoder().decode(TenantExportManifest.self, from: Data(contentsOf: url))
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(url.path): \(error)")
        }
        guard manifest.format == 1 else {
            throw SQLGenError(.tenantArchive, message: "\(url.path): format \(manifest.format), this runtime reads 1")
        }
        return manifest
    }

    /// The file holding `table`'s rows: a plain name in `directory`, never a path out of it.
    static func dataFile(of table: TenantExportManifest.Table, in directory: URL) throws(SQLGenError) -> URL {
        guard let file = table.file, !file.isEmpty, !file.contains("/"), !file.contains("\\"), file != "..",
            file != "."
        else {
            throw SQLGenError(
                .tenantArchive,
                message: "\(directory.path): table \"\(table.name)\" names data file \"\(table.file ?? "")\", "
                    + "which is not a plain file name in the export's folder")
        }
        let url = directory.appendingPathComponent(file)
        // Not a link to a file elsewhere, nor a pipe or device: a regular file of the folder's own.
        let type: FileAttributeType?
        do {
            type = try FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType
        } catch {
            throw SQLGenError(.tenantArchive, message: "\(url.path): \(error.localizedDescription)")
        }
        guard type == .typeRegular else {
            throw SQLGenError(
                .tenantArchive, message: "\(url.path): not a regular file (a link, pipe or device is never read)")
        }
        return url
    }
}
