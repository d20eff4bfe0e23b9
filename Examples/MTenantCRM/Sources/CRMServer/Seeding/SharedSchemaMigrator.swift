import CRMDatabase
import Foundation
import SQLGenRuntime

/// Applies the migrations of the shared schema (the tenant registry and plans: every `*.up.sql`
/// that does not build the tenant template), each once, in version order, each in its own transaction,
/// recording them in `public.crm_schema_migrations`. Safe to run concurrently and repeatedly.
///
/// It runs on a connection of its own, not the tenant pool's: the tenant pool lends its connections
/// only to routed statements.
public struct SharedSchemaMigrator: Sendable {
    let configuration: PostgresConfiguration
    let directory: URL

    public init(configuration: PostgresConfiguration, directory: URL) {
        self.configuration = configuration
        self.directory = directory
    }

    /// The versions applied by this call.
    @discardableResult
    public func migrate() async throws -> [Int64] {
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: configuration, options: options)
        do {
            let applied = try await migrate(on: pool)
            await pool.close()
            return applied
        } catch {
            await pool.close()
            throw error
        }
    }

    private func migrate(on pool: PostgresPool) async throws -> [Int64] {
        let tenantVersions = Set(
            try TenantMigration.load(directory: directory, templateSchema: CRMSchema.templateSchema).map(\.version))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".up.sql") }.sorted()
        var applied: [Int64] = []
        for file in files {
            guard let version = Int64(file.prefix(while: \.isNumber)), !tenantVersions.contains(version) else {
                continue
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let ran: Bool = try await pool.withTransaction { transaction in
                try await transaction.simpleQuery(
                    "SELECT pg_advisory_xact_lock(hashtext('crm_schema_migrations')); "
                        + "CREATE TABLE IF NOT EXISTS public.crm_schema_migrations "
                        + "(version bigint PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
                let done = try await transaction.queryFirst(
                    PlainStatement(
                        "SELECT 1 AS done FROM public.crm_schema_migrations WHERE version = $1",
                        bindings: Self.bindings(version)))
                guard done == nil else { return false }
                try await transaction.simpleQuery(sql)
                _ = try await transaction.execute(
                    PlainStatement(
                        "INSERT INTO public.crm_schema_migrations (version) VALUES ($1)",
                        bindings: Self.bindings(version)))
                return true
            }
            if ran { applied.append(version) }
        }
        return applied
    }

    private static func bindings(_ version: Int64) -> SQLBindings {
        var bindings = SQLBindings()
        bindings.append(version)
        return bindings
    }
}
