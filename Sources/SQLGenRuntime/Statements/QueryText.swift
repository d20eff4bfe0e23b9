/// What a generated query's statement carries besides its parameter values: its name, scope, SQL and,
/// for a tenant-scoped read, where the tenant's schema name goes in the SQL.
public struct QueryText: Sendable, Hashable {
    /// The query's name, for logs, metrics and errors.
    public var name: String
    /// Where it must run.
    public var scope: StatementScope
    /// The SQL sent to the server, with `$n` parameters.
    public var sql: String
    /// For a tenant-scoped read: the UTF-8 offsets in ``sql`` where the tenant's quoted schema name and a
    /// dot go (``SQLStatement/tenantNameOffsets``).
    public var tenantNameOffsets: [Int]?

    /// A query's text.
    public init(name: String, scope: StatementScope, sql: String, tenantNameOffsets: [Int]? = nil) {
        self.name = name
        self.scope = scope
        self.sql = sql
        self.tenantNameOffsets = tenantNameOffsets
    }
}

/// A statement generated query functions build per call: one generic type for every query, its text in
/// ``query`` (``QueryStatement``, ``ColumnQueryStatement``).
public protocol GeneratedQueryStatement: SQLStatement {
    /// The query's name, scope and SQL.
    var query: QueryText { get }
}

extension GeneratedQueryStatement {
    /// The name every value of the type has; each value's own is ``statementName``.
    public static var name: String { "query" }
    /// Empty: each value's SQL is ``sqlText``.
    public static var sql: String { "" }
    /// Unscoped: each value's scope is ``declaredScope``.
    public static var scope: StatementScope { .unscoped }

    /// The query's name.
    public var statementName: String { query.name }
    /// The query's scope.
    public var declaredScope: StatementScope { query.scope }
    /// The query's SQL.
    public var sqlText: String { query.sql }
    /// Where the tenant's schema name goes in the query's SQL, for a tenant-scoped read.
    public var declaredTenantNameOffsets: [Int]? { query.tenantNameOffsets }
}
