/// A generated query's statement: its name, scope and SQL with the values of its parameters.
///
/// Generated query functions build one per call instead of a statement type per query: one generic
/// type, whose conformance the compiler checks once, is what keeps a project of thousands of queries
/// quick to build. Its rows decode themselves (``SQLRowDecodable``: generated rows and table models,
/// or ``SQLNoRow``).
///
/// ```swift
/// let statement = QueryStatement(
///     name: "GetUserByEmail", scope: .global, row: UsersQueries.GetUserByEmailRow.self,
///     values: "ada@example.com", sql: "SELECT id, email FROM users WHERE email = $1")
/// let user = try await pool.queryFirst(statement)
/// ```
public struct QueryStatement<Row: SQLRowDecodable, each Value: SQLEncodable>: SQLStatement {
    /// The name every value of the type has; each value's own is ``statementName``.
    public static var name: String { "query" }
    /// Empty: each value's SQL is ``sqlText``.
    public static var sql: String { "" }
    /// Unscoped: each value's scope is ``declaredScope``.
    public static var scope: StatementScope { .unscoped }

    /// The query's name, for logs, metrics and errors.
    public let statementName: String
    /// Where it must run.
    public let declaredScope: StatementScope
    /// The SQL sent to the server, with `$n` parameters.
    public let sqlText: String
    /// For a tenant-scoped read: where the tenant's quoted schema name and a dot go in ``sqlText``
    /// (``SQLStatement/tenantNameOffsets``).
    public let declaredTenantNameOffsets: [Int]?
    /// The parameters' values, `$1` first.
    public let values: (repeat each Value)

    /// A statement of `sql` with `values` for its parameters, whose rows are `Row`s.
    public init(
        name: String, scope: StatementScope, tenantNameOffsets: [Int]? = nil, row: Row.Type,
        values: repeat each Value, sql: String
    ) {
        self.statementName = name
        self.declaredScope = scope
        self.declaredTenantNameOffsets = tenantNameOffsets
        self.values = (repeat each values)
        self.sqlText = sql
    }

    /// Binds the values in order.
    public func bind(to bindings: inout SQLBindings) {
        repeat bindings.append(each values)
    }
}
