/// A generated query whose result has one column: each row decodes as that column's value, so the
/// query returns `[String]` or `Int64`, not rows of one field. Otherwise a ``QueryStatement``.
public struct ColumnQueryStatement<Column: SQLDecodable, each Value: SQLEncodable>: GeneratedQueryStatement {
    /// Each row is the column's value.
    public typealias Row = Column

    /// The query's name, scope and SQL.
    public let query: QueryText
    /// The parameters' values, `$1` first.
    public let values: (repeat each Value)

    /// A statement of `sql` with `values` for its parameters, whose one column is a `Column`.
    public init(
        name: String, scope: StatementScope, tenantNameOffsets: [Int]? = nil, column: Column.Type,
        values: repeat each Value, sql: String
    ) {
        self.query = QueryText(name: name, scope: scope, sql: sql, tenantNameOffsets: tenantNameOffsets)
        self.values = (repeat each values)
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
