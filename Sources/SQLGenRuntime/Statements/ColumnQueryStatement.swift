/// A generated query whose result has one column: each row decodes as that column's value, so the
/// query returns `[String]` or `Int64`, not rows of one field. Otherwise a ``QueryStatement``.
public struct ColumnQueryStatement<Column: SQLDecodable & Sendable, each Value: SQLEncodable>: SQLStatement {
    /// Each row is the column's value.
    public typealias Row = Column

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

    /// A statement of `sql` with `values` for its parameters, whose one column is a `Column`.
    public init(
        name: String, scope: StatementScope, tenantNameOffsets: [Int]? = nil, column: Column.Type,
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

    /// The row's one column (a mismatch names it as the result does).
    public static func decode(_ row: SQLRow) throws(SQLGenError) -> Column {
        try row.decodeColumns(Column.self)
    }
}
