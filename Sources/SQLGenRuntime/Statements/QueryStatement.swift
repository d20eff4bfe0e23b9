/// A generated query's statement: its text (name, scope, SQL) with the values of its parameters.
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
public struct QueryStatement<Row: SQLRowDecodable, each Value: SQLEncodable>: GeneratedQueryStatement {
    /// The query's name, scope and SQL.
    public let query: QueryText
    /// The parameters' values, `$1` first.
    public let values: (repeat each Value)

    /// A statement of `sql` with `values` for its parameters, whose rows are `Row`s.
    public init(
        name: String, scope: StatementScope, tenantNameOffsets: [Int]? = nil, row: Row.Type,
        values: repeat each Value, sql: String
    ) {
        self.query = QueryText(name: name, scope: scope, sql: sql, tenantNameOffsets: tenantNameOffsets)
        self.values = (repeat each values)
    }

    /// Binds the values in order.
    public func bind(to bindings: inout SQLBindings) {
        repeat bindings.append(each values)
    }
}
