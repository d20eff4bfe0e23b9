/// What kind of data statement a query is.
public enum QueryKind: String, Sendable, Hashable {
    case select, insert, update, delete, values, other
}

/// A constant's kind, as the parser sees it before type resolution.
public enum ConstantKind: Sendable, Hashable {
    case integer, float, string, boolean, bitString, null
}

/// An expression, as far as the front end decodes it today: column
/// references, stars, casts and constants; anything else is `.other`.
public indirect enum Expression: Sendable, Hashable {
    case column([String], location: Int)
    case star(qualifier: [String], location: Int)
    case cast(Expression, TypeReference, location: Int)
    case constant(ConstantKind, location: Int)
    case other(location: Int)
}

/// One entry of a select list.
public struct SelectTarget: Sendable, Hashable {
    /// The `AS` name, when one was written.
    public var alias: String?
    /// The expression.
    public var expression: Expression
    /// Byte offset of the entry.
    public var location: Int
}

/// How two FROM items are joined.
public enum JoinKind: String, Sendable, Hashable {
    case inner, left, right, full, cross
}

/// An item of a FROM clause.
public indirect enum FromItem: Sendable, Hashable {
    case table(QualifiedName, alias: String?)
    case join(FromItem, FromItem, JoinKind)
    case subquery(SelectQuery, alias: String?)
    case other(location: Int)
}

/// The parts of a plain SELECT that the catalog's view hook reads.
public struct SelectQuery: Sendable, Hashable {
    public var targets: [SelectTarget]
    public var from: [FromItem]
    /// Whether this is a UNION/INTERSECT/EXCEPT (its targets are those of the left arm).
    public var isSetOperation: Bool
}

/// A data statement (SELECT, INSERT, UPDATE, DELETE, VALUES).
public struct Query: Sendable, Hashable {
    public var kind: QueryKind
    /// The decoded SELECT, for SELECT statements.
    public var select: SelectQuery?
    /// Byte offset of the statement.
    public var location: Int
}
