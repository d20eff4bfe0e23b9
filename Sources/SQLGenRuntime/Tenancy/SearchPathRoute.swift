/// The exact `search_path` a routed statement runs under, built only from
/// validated schema names, each quoted as an identifier.
struct SearchPathRoute: Sendable, Hashable {
    /// The schemas in order: the tenant's first (when there is one), then the shared ones.
    let schemas: [String]
    /// The tenant whose schema leads the path, or nil for the shared path of global statements.
    let tenant: RegisteredTenant?

    /// The setting's value: `"tenant_acme", "public", pg_temp`. PostgreSQL searches `pg_temp` before
    /// every schema of a path that does not name it, so naming it last means a temp table or view left
    /// on the session can never shadow a tenant's or a shared table.
    let setting: String
    /// What `current_schemas(false)` must equal, as an array literal: `{"tenant_acme","public"}`.
    let expectedSchemas: String
    /// The tenant's schema quoted as an identifier, written in front of qualified tenant names.
    let quotedTenantSchema: String?
    /// The role the statement runs as (``TenantRoles``), set for the transaction after the path:
    /// the tenant's, or ``connectingUser``; nil without tenant roles.
    let role: String?

    /// The `role` setting that means the connecting (session) user.
    static let connectingUser = "none"

    /// Whether statements on this route run under a tenant's role (``TenantRoles``).
    var runsUnderTenantRole: Bool { tenant != nil && role != nil }

    init(tenant: RegisteredTenant?, sharedSchemas: [String], role: String? = nil) {
        self.tenant = tenant
        self.role = role
        self.schemas = (tenant.map { [$0.schemaName] } ?? []) + sharedSchemas
        self.setting = (schemas.map(SchemaName.quoted) + ["pg_temp"]).joined(separator: ", ")
        self.expectedSchemas = "{" + schemas.map { "\"\($0)\"" }.joined(separator: ",") + "}"
        self.quotedTenantSchema = tenant.map { SchemaName.quoted($0.schemaName) }
    }

    /// The pool's key for connections already on this path.
    var affinityKey: String { setting }

    /// The pool's group for per-tenant limits and fairness.
    var group: String? { tenant?.schemaName }

    /// Sets the path for the session (`local` false) or for the current transaction only.
    static func setSQL(local: Bool) -> String {
        "SELECT pg_catalog.set_config('search_path', $1, \(local))"
    }

    /// Sets the role for the current transaction only.
    static let setRoleSQL = "SELECT pg_catalog.set_config('role', $1, true)"

    /// Sets the path (`$1`, for the session or the transaction) and the role (`$2`, for the
    /// transaction) in one statement.
    static func setPathAndRoleSQL(localPath: Bool) -> String {
        "SELECT pg_catalog.set_config('search_path', $1, \(localPath)), pg_catalog.set_config('role', $2, true)"
    }

    /// ``guardSQL`` that also fails unless the statement ran as the role `$2` (`none` is the session
    /// user).
    static let guardWithRoleSQL = """
        SELECT CASE WHEN (pg_catalog.current_schemas(false) OPERATOR(pg_catalog.=) $1::pg_catalog.name[] \
        OR pg_catalog.current_schemas(false) OPERATOR(pg_catalog.=) pg_catalog.array_append($1::pg_catalog.name[], \
        pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::pg_catalog.name)) AND current_user::pg_catalog.text OPERATOR(pg_catalog.=) \
        (CASE WHEN $2::pg_catalog.text OPERATOR(pg_catalog.=) 'none' THEN session_user::pg_catalog.text \
        ELSE $2::pg_catalog.text END) THEN 1 \
        ELSE pg_catalog.current_setting('search_path')::pg_catalog.int4 END
        """

    /// Fails, aborting the statement's implicit or explicit transaction, unless the schemas
    /// PostgreSQL resolves names in are exactly the expected ones. A dropped tenant schema is
    /// missing from `current_schemas`, so a name that fell through to a shared schema is caught. The
    /// session's own temp schema may follow them, last, as the path names it, and nowhere else: a path
    /// that puts it first would make new tables temporary, shared with the connection's next lease. The
    /// comparison names pg_catalog's operator: an `=` for `name[]` created in a schema on the path
    /// would otherwise be chosen over it.
    static let guardSQL = """
        SELECT CASE WHEN (pg_catalog.current_schemas(false) OPERATOR(pg_catalog.=) $1::pg_catalog.name[] \
        OR pg_catalog.current_schemas(false) OPERATOR(pg_catalog.=) pg_catalog.array_append($1::pg_catalog.name[], \
        pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::pg_catalog.name)) THEN 1 \
        ELSE pg_catalog.current_setting('search_path')::pg_catalog.int4 END
        """

    /// ``guardSQL``, failing too while the session's temp schema holds any relation: an executor that
    /// cannot reset its connections between leases (PostgresNIO's client) may find a temp table
    /// another part of the application left, and `pg_temp`, though named last, would still catch a
    /// name that neither the tenant's schema nor a shared one has.
    static let guardWithoutTempRelationsSQL = """
        SELECT CASE WHEN (pg_catalog.current_schemas(false) OPERATOR(pg_catalog.=) $1::pg_catalog.name[] \
        OR pg_catalog.current_schemas(false) OPERATOR(pg_catalog.=) pg_catalog.array_append($1::pg_catalog.name[], \
        pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::pg_catalog.name)) AND NOT EXISTS (SELECT FROM pg_catalog.pg_class c \
        WHERE c.relnamespace OPERATOR(pg_catalog.=) pg_catalog.pg_my_temp_schema()) THEN 1 \
        ELSE pg_catalog.current_setting('search_path')::pg_catalog.int4 END
        """
}

/// How a tenant pool switches connections between tenant schemas.
public enum TenantSwitching: Sendable, Hashable {
    /// One shared pool with tenant affinity: the session's `search_path` is set (pipelined with the
    /// statement) only when the connection is not already on the tenant's schema. Statements are
    /// prepared once per connection.
    case sessionAffinity
    /// Every statement runs in a transaction that begins with `SET LOCAL search_path`, all in one
    /// round trip, with unnamed statements: for PgBouncer's transaction pooling.
    case transactionLocal
}
