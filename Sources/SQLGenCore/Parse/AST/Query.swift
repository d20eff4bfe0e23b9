/// `AS alias (col, ...)` on a FROM item.
public struct Alias: Sendable, Hashable {
    public var name: String
    public var columnNames: [String]
}

/// How two FROM items are joined.
public enum JoinKind: String, Sendable, Hashable {
    case inner, left, right, full, cross
}

/// A join in FROM.
public struct JoinExpression: Sendable, Hashable {
    public var left: FromItem
    public var right: FromItem
    public var kind: JoinKind
    public var condition: Expression?
    public var using: [String]
    public var natural: Bool
    public var alias: Alias?
}

/// A set-returning function call in FROM.
public struct FunctionSource: Sendable, Hashable {
    /// The calls (more than one with `ROWS FROM (...)`).
    public var calls: [Expression]
    public var alias: Alias?
    public var withOrdinality: Bool
    public var lateral: Bool
    /// `AS (name type, ...)` for functions returning `record`.
    public var columnDefinitions: [ColumnDefinition]
    public var location: Int
}

/// An item of a FROM clause.
public indirect enum FromItem: Sendable, Hashable {
    case table(QualifiedName, alias: Alias?)
    case join(JoinExpression)
    case subquery(SelectStatement, alias: Alias?, lateral: Bool, location: Int)
    case function(FunctionSource)
    case other(kind: String, location: Int)
}

/// An entry of a select list or RETURNING list.
public struct SelectTarget: Sendable, Hashable {
    /// The `AS` name, when one was written.
    public var alias: String?
    public var expression: Expression
    public var location: Int
}

/// A plain `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...`.
public struct SimpleSelect: Sendable, Hashable {
    public var distinct: Bool
    public var targets: [SelectTarget]
    public var from: [FromItem]
    public var whereClause: Expression?
    public var groupBy: [Expression]
    public var having: Expression?
}

/// UNION, INTERSECT or EXCEPT.
public enum SetOperationKind: String, Sendable, Hashable {
    case union, intersect, except
}

/// The body of a SELECT.
public indirect enum SelectBody: Sendable, Hashable {
    case simple(SimpleSelect)
    case values([[Expression]], location: Int)
    case setOperation(SetOperationKind, all: Bool, SelectStatement, SelectStatement)
}

/// A common table expression of a WITH clause.
public struct CommonTableExpression: Sendable, Hashable {
    public var name: String
    public var columnNames: [String]
    public var statement: DataStatement
    public var location: Int
}

/// `WITH [RECURSIVE] ...`.
public struct WithClause: Sendable, Hashable {
    public var recursive: Bool
    public var expressions: [CommonTableExpression]
}

/// A SELECT with its WITH, ORDER BY, LIMIT and OFFSET.
public struct SelectStatement: Sendable, Hashable {
    public var with: WithClause?
    public var body: SelectBody
    public var orderBy: [Expression]
    public var limit: Expression?
    public var offset: Expression?
    public var location: Int
}

/// `ON CONFLICT ... DO NOTHING | DO UPDATE SET ...`.
public struct OnConflict: Sendable, Hashable {
    public var doUpdate: Bool
    public var assignments: [Assignment]
    public var whereClause: Expression?
}

/// `column = expr` in UPDATE SET and ON CONFLICT DO UPDATE SET.
public struct Assignment: Sendable, Hashable {
    public var column: String
    public var indirection: [IndirectionStep]
    public var value: Expression
    public var location: Int
}

/// `INSERT INTO table [(columns)] {VALUES ... | SELECT ... | DEFAULT VALUES} [ON CONFLICT ...] [RETURNING ...]`.
public struct InsertStatement: Sendable, Hashable {
    public var with: WithClause?
    public var table: QualifiedName
    public var alias: String?
    public var columns: [(name: String, location: Int)]
    /// The rows inserted; nil for DEFAULT VALUES.
    public var source: SelectStatement?
    public var onConflict: OnConflict?
    public var returning: [SelectTarget]

    public static func == (lhs: InsertStatement, rhs: InsertStatement) -> Bool {
        lhs.with == rhs.with && lhs.table == rhs.table && lhs.alias == rhs.alias
            && lhs.columns.map(\.name) == rhs.columns.map(\.name) && lhs.source == rhs.source
            && lhs.onConflict == rhs.onConflict && lhs.returning == rhs.returning
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(columns.map(\.name))
    }
}

/// `UPDATE table SET ... [FROM ...] [WHERE ...] [RETURNING ...]`.
public struct UpdateStatement: Sendable, Hashable {
    public var with: WithClause?
    public var table: QualifiedName
    public var alias: String?
    public var assignments: [Assignment]
    public var from: [FromItem]
    public var whereClause: Expression?
    public var returning: [SelectTarget]
}

/// `DELETE FROM table [USING ...] [WHERE ...] [RETURNING ...]`.
public struct DeleteStatement: Sendable, Hashable {
    public var with: WithClause?
    public var table: QualifiedName
    public var alias: String?
    public var using: [FromItem]
    public var whereClause: Expression?
    public var returning: [SelectTarget]
}

/// A data statement: what queries are made of.
public indirect enum DataStatement: Sendable, Hashable {
    case select(SelectStatement)
    case insert(InsertStatement)
    case update(UpdateStatement)
    case delete(DeleteStatement)
}
