/// How a ``TenantPool`` finds, checks and routes to tenants.
public struct TenancyOptions: Sendable {
    /// The registry table, `schema.table` (from the `000001_tenant_registry` migration).
    public var registryTable = "public.tenants"
    /// Schemas on every search path after the tenant's, and the whole path of global statements.
    public var sharedSchemas = ["public"]
    /// A regular expression every tenant schema name must match in full, besides being a plain
    /// lower-case identifier that is not a system schema.
    public var schemaNamePattern = "tenant_[a-z0-9_]{1,56}"
    /// The template schema tenant schemas are built from: never a tenant's own.
    public var templateSchema = "tenant_template"
    /// How connections are switched between tenants.
    public var switching = TenantSwitching.sessionAffinity
    /// The second wall, when set: each tenant's statements run under a role of its own (see
    /// ``TenantRoles``). Nil (the default) runs every statement as the connecting user.
    public var tenantRoles: TenantRoles?
    /// With ``TenantSwitching/sessionAffinity``: a generated read whose tenant names the generator could
    /// all locate runs with the tenant's quoted schema name written in front of each, on the shared
    /// search path, so no switch rides along with it (see ``SQLStatement/tenantNameOffsets``).
    public var qualifiesTenantNames = true
    /// How long a registry answer is trusted.
    public var cacheTTL: Duration = .seconds(10)
    /// How long "no such tenant" or "schema missing" is remembered.
    public var negativeCacheTTL: Duration = .seconds(1)
    /// The other servers tenants can live on, by placement key: a tenant whose registry row's
    /// `placement` column names a key has its schema and statements on that server; one whose
    /// `placement` is NULL on the server of the pool's own configuration, which holds the registry
    /// and the shared tables and runs every global statement. Empty (the default) reads no
    /// `placement` column. Keys are lower-case letters, digits, `_` and `-`.
    public var placements: [String: PostgresConfiguration] = [:]
    /// How long a registry lookup waits for the registry's own connection, the
    /// ``PoolOptions/acquireTimeout`` of its pool: while the server cannot be reached, failed connects
    /// are retried until then, so this bounds how long a request naming a tenant waits during an outage.
    public var registryAcquireTimeout: Duration = .seconds(10)

    /// The defaults.
    public init() {}

    /// The options' own mistakes (a shared schema or registry table that is not a plain identifier).
    func validate() throws(SQLGenError) {
        for schema in sharedSchemas where !SchemaName.isPlainIdentifier(schema) {
            throw SQLGenError(
                .invalidTenantSchema, message: "shared schema \"\(schema)\" is not a plain lower-case identifier")
        }
        let parts = registryTable.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(SchemaName.isPlainIdentifier) else {
            throw SQLGenError(
                .invalidTenantSchema, message: "registry table \"\(registryTable)\" must be schema.table")
        }
        for key in placements.keys where !Self.isPlacementKey(key) {
            throw SQLGenError(
                .invalidParameter,
                message: "placement \"\(key)\" must be lower-case letters, digits, _ and -, starting with a letter")
        }
        try tenantRoles?.validate(self)
    }

    /// Whether `key` can name a placement.
    static func isPlacementKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, (97...122).contains(first), key.utf8.count <= 63 else { return false }
        return key.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 || $0 == 45 }
    }

    /// The role a statement on `route` runs as: the tenant's (``TenantRoles``), the connecting user's
    /// (``SearchPathRoute/connectingUser``) for the shared path, or nil without tenant roles.
    func role(forTenantSchema schema: String?) -> String? {
        guard let tenantRoles else { return nil }
        return schema.map(tenantRoles.role(forSchema:)) ?? SearchPathRoute.connectingUser
    }

    /// Why `schema` can never be a tenant's schema, or nil when it can be. Reserved are system schemas
    /// (`pg_*`, `information_schema`), `public`, every shared schema and the template schema: a tenant
    /// given one of those would read and write what every tenant shares, or the template itself.
    func tenantSchemaRejection(_ schema: String) -> String? {
        if !SchemaName.isPlainIdentifier(schema) {
            return "is not a plain lower-case identifier or is a system schema (pg_*, information_schema)"
        }
        if schema == templateSchema { return "is the template schema" }
        if schema == "public" || sharedSchemas.contains(schema) { return "is a shared schema" }
        if !SchemaName.matches(schema, pattern: schemaNamePattern) {
            return "does not match the allowlist /\(schemaNamePattern)/"
        }
        return nil
    }

    /// ``tenantSchemaRejection(_:)`` as the error to throw, or nothing when `schema` is allowed.
    func checkTenantSchema(_ schema: String, _ context: String) throws(SQLGenError) {
        if let reason = tenantSchemaRejection(schema) {
            throw SQLGenError(.invalidTenantSchema, message: "\(context): schema \"\(schema)\" \(reason)")
        }
    }

    /// The registry table, each part quoted.
    var quotedRegistryTable: String {
        registryTable.split(separator: ".").map { SchemaName.quoted(String($0)) }.joined(separator: ".")
    }
}
