import Foundation
import Logging
import SQLGenWire

/// The registry of tenants: the only source of tenant schema names.
///
/// Lookups by id, subdomain and schema name are cached for ``TenancyOptions/cacheTTL``;
/// misses ("no such tenant", "schema missing") for ``TenancyOptions/negativeCacheTTL``.
/// Concurrent lookups of the same key share one query.
///
/// Lookups run on a connection of their own, never on a caller's: outside any
/// transaction, they see only committed rows, and never wait for the shared pool. The cache never maps
/// two tenants to one schema: a fetched tenant whose schema another cached tenant holds drops both,
/// so the other is read again.
public final class TenantRegistry: Sendable {
    enum Key: Hashable, Sendable {
        case id(UUID)
        case subdomain(String)
        case schemaName(String)
    }

    struct Entry: Sendable {
        var tenant: RegisteredTenant?
        var schemaExists: Bool
        /// Whether the schema name passes the allowlist (checked once, when fetched).
        var schemaAllowed = false
        var expires: ContinuousClock.Instant
    }

    private enum Lookup {
        case cached(Entry)
        case running(Task<Result<Entry, SQLGenError>, Never>)
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var inFlight: [Key: Task<Result<Entry, SQLGenError>, Never>] = [:]
    }

    /// Where lookups run: the registry's own connections (or an executor that lends one per
    /// lookup), never a caller's connection or transaction.
    private let lookups: any SQLExecutor
    private let closeLookups: @Sendable () async -> Void
    private let options: TenancyOptions
    private let state = LockedState(State())

    init(configuration: PostgresConfiguration, options: TenancyOptions, logger: Logger) {
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = 1
        poolOptions.minIdle = 0
        poolOptions.acquireTimeout = options.registryAcquireTimeout
        let pool = PostgresPool(configuration: configuration, options: poolOptions, logger: logger)
        self.lookups = pool
        self.closeLookups = { await pool.close() }
        self.options = options
    }

    /// A registry whose lookups run on `executor`, for executors other than ``TenantPool`` (a
    /// PostgresNIO client): it must run each lookup on a connection of its own, outside any caller's
    /// transaction, so that lookups see only committed rows. `options` must pass validation.
    public init(lookingUpWith executor: some SQLExecutor, options: TenancyOptions) throws(SQLGenError) {
        try options.validate()
        self.lookups = executor
        self.closeLookups = {}
        self.options = options
    }

    /// The active tenant with this id; unknown, suspended, deleted or schema-less tenants are errors.
    public func tenant(id: UUID) async throws(SQLGenError) -> RegisteredTenant {
        try usable(await entry(.id(id)), asked: id.uuidString.lowercased())
    }

    /// The active tenant reached under this subdomain (compared with ASCII letters in lower case; other
    /// characters as they are, since Unicode case folding maps some to ASCII: the Kelvin sign `K` to `k`).
    public func tenant(subdomain: String) async throws(SQLGenError) -> RegisteredTenant {
        let normalized = String(
            decoding: subdomain.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
        return try usable(await entry(.subdomain(normalized)), asked: normalized)
    }

    /// The active tenant whose data lives in this schema.
    public func tenant(schemaName: String) async throws(SQLGenError) -> RegisteredTenant {
        try usable(await entry(.schemaName(schemaName)), asked: schemaName)
    }

    /// The tenant as the registry says it is now (within the cache's TTL), checked again.
    func current(_ tenant: RegisteredTenant) async throws(SQLGenError) -> RegisteredTenant {
        try usable(await entry(.id(tenant.id)), asked: tenant.subdomain)
    }

    /// Forgets what is cached about `tenant`, so that the next use asks the server.
    public func invalidate(_ tenant: RegisteredTenant) {
        state.withLock { state in
            // Only entries that name this tenant: a value held since may have keys another tenant now has.
            if let cached = state.entries[.id(tenant.id)]?.tenant { Self.remove(cached, from: &state.entries) }
            Self.remove(tenant, from: &state.entries)
        }
    }

    /// Forgets everything cached.
    public func invalidateAll() {
        state.withLock { $0.entries = [:] }
    }

    private func usable(_ entry: Entry, asked: String) throws(SQLGenError) -> RegisteredTenant {
        guard let tenant = entry.tenant else {
            throw SQLGenError(.unknownTenant, message: "no tenant \"\(asked)\" in the registry")
        }
        switch tenant.status {
        case .deleted:
            throw SQLGenError(.tenantDeleted, message: "tenant \"\(tenant.subdomain)\" is deleted")
        case .suspended:
            throw SQLGenError(.tenantSuspended, message: "tenant \"\(tenant.subdomain)\" is suspended")
        case .active:
            break
        }
        guard entry.schemaAllowed else {
            throw SQLGenError(
                .invalidTenantSchema,
                message: "tenant \"\(tenant.subdomain)\" has schema name \"\(tenant.schemaName)\", which "
                    + (options.tenantSchemaRejection(tenant.schemaName) ?? "is rejected"))
        }
        guard entry.schemaExists else {
            throw SQLGenError(
                .tenantSchemaUnavailable,
                message: "schema \"\(tenant.schemaName)\" of tenant \"\(tenant.subdomain)\" does not exist")
        }
        return tenant
    }

    /// The cached entry, or one fetched by a single query shared with concurrent callers.
    func entry(_ key: Key) async throws(SQLGenError) -> Entry {
        let now = ContinuousClock.now
        let found: Lookup = state.withLock { state in
            if let entry = state.entries[key], entry.expires > now { return .cached(entry) }
            if let running = state.inFlight[key] { return .running(running) }
            let running = Task { await self.fetch(key) }
            state.inFlight[key] = running
            return .running(running)
        }
        switch found {
        case .cached(let entry): return entry
        case .running(let running): return try await running.value.get()
        }
    }

    /// Whether `tenant` is the one `key` names.
    private static func tenant(_ tenant: RegisteredTenant, matches key: Key) -> Bool {
        switch key {
        case .id(let id): return tenant.id == id
        case .subdomain(let subdomain): return tenant.subdomain == subdomain
        case .schemaName(let schemaName): return tenant.schemaName == schemaName
        }
    }

    private func fetch(_ key: Key) async -> Result<Entry, SQLGenError> {
        let result: Result<Entry, SQLGenError>
        do throws(SQLGenError) {
            let lookup = RegistryLookup(key: key, table: options.quotedRegistryTable)
            let row = try await lookups.queryFirst(lookup)
            // The row must be the one asked for, whatever the session's path made of the lookup's SQL.
            if let row, !Self.tenant(row.tenant, matches: key) {
                throw SQLGenError(
                    .invalidTenantSchema,
                    message:
                        "the registry lookup returned tenant \"\(row.tenant.subdomain)\", which is not the one asked for",
                    statementName: RegistryLookup.name)
            }
            let now = ContinuousClock.now
            if let row {
                let ttl = row.schemaExists ? options.cacheTTL : options.negativeCacheTTL
                let allowed = options.tenantSchemaRejection(row.tenant.schemaName) == nil
                result = .success(
                    Entry(
                        tenant: row.tenant, schemaExists: row.schemaExists, schemaAllowed: allowed, expires: now + ttl))
            } else {
                result = .success(Entry(tenant: nil, schemaExists: false, expires: now + options.negativeCacheTTL))
            }
        } catch {
            result = .failure(error)
        }
        state.withLock { state in
            state.inFlight[key] = nil
            guard case .success(let entry) = result else { return }
            guard let tenant = entry.tenant else {
                state.entries[key] = entry
                return
            }
            // What was cached of this tenant under other keys (an old subdomain or schema) goes; so does
            // any other tenant cached with this schema (a swap or reassignment seen half): it is read again.
            // Each cached tenant is under its three keys, so its entries are found without a scan.
            if let old = state.entries[.id(tenant.id)]?.tenant { Self.remove(old, from: &state.entries) }
            if let holder = state.entries[.schemaName(tenant.schemaName)]?.tenant, holder.id != tenant.id {
                Self.remove(holder, from: &state.entries)
                return
            }
            state.entries[key] = entry
            state.entries[.id(tenant.id)] = entry
            state.entries[.subdomain(tenant.subdomain)] = entry
            state.entries[.schemaName(tenant.schemaName)] = entry
        }
        return result
    }

    /// Removes `tenant`'s entries under each of its keys, where they still name it.
    private static func remove(_ tenant: RegisteredTenant, from entries: inout [Key: Entry]) {
        for key in [Key.id(tenant.id), .subdomain(tenant.subdomain), .schemaName(tenant.schemaName)]
        where entries[key]?.tenant?.id == tenant.id {
            entries[key] = nil
        }
    }

    /// Closes the registry's connections.
    func close() async {
        await closeLookups()
    }
}

/// One registry row and whether its schema exists, by id, subdomain or schema name.
struct RegistryLookup: SQLStatement {
    struct Row: Sendable {
        var tenant: RegisteredTenant
        var schemaExists: Bool
    }

    static var name: String { "TenantRegistryLookup" }
    static var sql: String { "" }
    static var scope: StatementScope { .global }

    let key: TenantRegistry.Key
    let table: String

    var sqlText: String {
        let column: String
        switch key {
        case .id: column = "id"
        case .subdomain: column = "subdomain"
        case .schemaName: column = "schema_name"
        }
        // A schema on another server is not in this one's catalog: the route check on its own server
        // finds it missing (tenantSchemaUnavailable), and that forgets the cached tenant.
        // Read whether or not placements are configured (NULL when the registry has no such column): a
        // process that knows no placements must refuse a placed tenant, not take it for a local one.
        let placement = "(pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.->>) 'placement')"
        return """
            SELECT t.id, t.name, t.subdomain, t.schema_name, t.status::pg_catalog.text,
                n.oid IS NOT NULL OR \(placement) IS NOT NULL, \(placement)
            FROM \(table) t LEFT JOIN pg_catalog.pg_namespace n
                ON n.nspname OPERATOR(pg_catalog.=) t.schema_name::pg_catalog.name
            WHERE t.\(column) OPERATOR(pg_catalog.=) $1
            """
    }

    func bind(to bindings: inout SQLBindings) {
        switch key {
        case .id(let id): bindings.append(id)
        case .subdomain(let subdomain): bindings.append(subdomain)
        case .schemaName(let schemaName): bindings.append(schemaName)
        }
    }

    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        let status = try row.decode(4, as: String.self, name: "status")
        guard let tenantStatus = RegisteredTenant.Status(rawValue: status) else {
            throw SQLGenError(.decoding, message: "unknown tenant status \"\(status)\"", statementName: name)
        }
        let tenant = RegisteredTenant(
            id: try row.decode(0, name: "id"), name: try row.decode(1, name: "name"),
            subdomain: try row.decode(2, name: "subdomain"), schemaName: try row.decode(3, name: "schema_name"),
            status: tenantStatus, placement: try row.decode(6, name: "placement"))
        return Row(tenant: tenant, schemaExists: try row.decode(5, name: "schema_exists"))
    }
}
