import Foundation

/// A migration of the tenant template, applied to every tenant's schema: SQL written against the
/// template schema (`tenant_template.contacts`), retargeted to each tenant's schema when applied.
public struct TenantMigration: Sendable, Hashable {
    /// The version, from the file name's leading number (`000002_tenant_template.up.sql` → 2).
    public var version: Int64
    /// The rest of the file name (`tenant_template`).
    public var name: String
    /// The SQL, naming the template schema.
    public var sql: String

    /// A migration of `version`, named `name`, with its SQL.
    public init(version: Int64, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The `NNNNNN_name.up.sql` files of a golang-migrate folder that name `templateSchema`, in
    /// version order; files about shared tables only are left to the ordinary migration tool.
    public static func load(directory: URL, templateSchema: String) throws -> [TenantMigration] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        var migrations: [TenantMigration] = []
        for file in files where file.lastPathComponent.hasSuffix(".up.sql") {
            let base = file.lastPathComponent.dropLast(".up.sql".count)
            guard let separator = base.firstIndex(of: "_"), let version = Int64(base[..<separator]) else {
                throw TenantMigrationError(
                    file: file.path, message: "the name must be NNNNNN_name.up.sql, with a numeric version")
            }
            let sql = try String(contentsOf: file, encoding: .utf8)
            guard SchemaRetargeting.mentions(sql, schema: templateSchema) else { continue }
            // Each migration runs in a transaction of its own with its version row; a COMMIT in it would
            // record nothing for what ran before, and a BEGIN would only warn.
            if SessionEffects.controlsTransaction(sql) {
                throw TenantMigrationError(
                    file: file.path,
                    message:
                        "the migration controls its transaction (BEGIN, COMMIT, ROLLBACK, SAVEPOINT): each tenant migration runs in a transaction of its own, so remove them"
                )
            }
            migrations.append(
                TenantMigration(version: version, name: String(base[base.index(after: separator)...]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw TenantMigrationError(file: directory.path, message: "two migrations have version \(later.version)")
        }
        return migrations
    }
}

/// A migration folder that cannot be used.
public struct TenantMigrationError: Error, Sendable, CustomStringConvertible {
    /// The file or folder.
    public var file: String
    /// What is wrong with it.
    public var message: String
    /// `file: error: message`, as compilers write it.
    public var description: String { "\(file): error: \(message)" }
}
