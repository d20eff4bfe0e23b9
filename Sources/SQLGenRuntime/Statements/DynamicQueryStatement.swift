/// One statement of a dynamic query (a query with `sqlgen.optional` conditions or a `sqlgen.sort`):
/// its text, and which of the query's values its `$1...$n` are.
///
/// sqlgen generates every variant of such a query, checked at generate time; the generated function
/// picks one from the arguments it was given, and each variant is prepared as a statement of its own.
/// Values are always bound, never written into the SQL.
public struct QueryVariant: Sendable, Hashable {
    /// The variant's name, scope and SQL.
    public let text: QueryText
    /// For each of the variant's parameters, in order, the position of its value among the query's values.
    public let parameterPositions: [Int]

    /// A variant of the query `name`: `sql`, whose `$k` is the query's value at `parameters[k - 1]`.
    public init(
        name: String, scope: StatementScope, tenantNameOffsets: [Int]? = nil, parameters: [Int], sql: String
    ) {
        self.text = QueryText(name: name, scope: scope, sql: sql, tenantNameOffsets: tenantNameOffsets)
        self.parameterPositions = parameters
    }

    /// Binds the values the variant uses, in its order; the others (nil arguments of conditions left
    /// out) are not sent.
    public func bind<each Value: SQLEncodable>(_ values: repeat each Value, to bindings: inout SQLBindings) {
        var all: [any SQLEncodable] = []
        repeat all.append(each values)
        for position in parameterPositions where all.indices.contains(position) {
            bindings.append(all[position])
        }
    }
}

/// A dynamic query's statement: the variant its arguments chose, with every value of the query.
public struct DynamicQueryStatement<Row: SQLRowDecodable, each Value: SQLEncodable>: GeneratedQueryStatement {
    /// The chosen variant's name, scope and SQL.
    public var query: QueryText { variant.text }
    /// The chosen variant.
    public let variant: QueryVariant
    /// Every value of the query, in the query's order.
    public let values: (repeat each Value)

    /// The statement of `variant` with the query's `values`, whose rows are `Row`s.
    public init(_ variant: QueryVariant, row: Row.Type, values: repeat each Value) {
        self.variant = variant
        self.values = (repeat each values)
    }

    /// Binds the values the variant uses.
    public func bind(to bindings: inout SQLBindings) {
        variant.bind(repeat each values, to: &bindings)
    }
}

/// A dynamic query whose result has one column: each row is that column's value. Otherwise a
/// ``DynamicQueryStatement``.
public struct DynamicColumnQueryStatement<Column: SQLDecodable, each Value: SQLEncodable>: GeneratedQueryStatement {
    /// Each row is the column's value.
    public typealias Row = Column

    /// The chosen variant's name, scope and SQL.
    public var query: QueryText { variant.text }
    /// The chosen variant.
    public let variant: QueryVariant
    /// Every value of the query, in the query's order.
    public let values: (repeat each Value)

    /// The statement of `variant` with the query's `values`, whose one column is a `Column`.
    public init(_ variant: QueryVariant, column: Column.Type, values: repeat each Value) {
        self.variant = variant
        self.values = (repeat each values)
    }

    /// Binds the values the variant uses.
    public func bind(to bindings: inout SQLBindings) {
        variant.bind(repeat each values, to: &bindings)
    }

    /// The row's one column.
    public static func decode(_ row: SQLRow) throws(SQLGenError) -> Column {
        try row.decodeColumns(Column.self)
    }
}
