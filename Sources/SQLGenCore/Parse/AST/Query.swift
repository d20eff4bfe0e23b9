/// `AS alias (col, ...)` on a FROM item.
public struct Alias: Sendable, Hashable {
    /// The alias.
    public var name: String
    /// Column aliases, in order.
    public var columnNames: [String]
}

/// How two FROM items are joined.
public enum JoinKind: String, Sendable, Hashable {
    /// `JOIN`, `LEFT JOIN`, `RIGHT JOIN`, `FULL JOIN`, `CROSS JOIN`.
    case inner, left, right, full, cross
}

/// A join in FROM.
public struct JoinExpression: Sendable, Hashable {
    /// The left side.
    public var left: FromItem
    /// The right side.
    public var right: FromItem
    /// INNER, LEFT, RIGHT, FULL or CROSS.
    public var kind: JoinKind
    /// The `ON` condition.
    public var condition: Expression?
    /// The `USING` columns.
    public var using: [String]
    /// `NATURAL`.
    public var natural: Bool
    /// An alias of the join itself.
    public var alias: Alias?
}

/// A set-returning function call in FROM.
public struct FunctionSource: Sendable, Hashable {
    /// The calls (more than one with `ROWS FROM (...)`).
    public var calls: [Expression]
    /// The alias, if any.
    public var alias: Alias?
    /// `WITH ORDINALITY`.
    public var withOrdinality: Bool
    /// `LATERAL`.
    public var lateral: Bool
    /// `AS (name type, ...)` for functions returning `record`.
    public var columnDefinitions: [ColumnDefinition]
    /// Byte offset of the call.
    public var location: Int
}

/// An item of a FROM clause.
public indirect enum FromItem: Sendable, Hashable {
    /// A table or view, with its alias.
    case table(QualifiedName, alias: Alias?)
    /// A join.
    case join(JoinExpression)
    /// `(SELECT ...) AS alias`.
    case subquery(SelectStatement, alias: Alias?, lateral: Bool, location: Int)
    /// A function call in FROM.
    case function(FunctionSource)
    /// A form not decoded; its node kind for messages.
    case other(kind: String, location: Int)
}

/// An entry of a select list or RETURNING list.
public struct SelectTarget: Sendable, Hashable {
    /// The `AS` name, when one was written.
    public var alias: String?
    /// The value.
    public var expression: Expression
    /// Byte offset of the entry.
    public var location: Int
}

/// A plain `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...`.
public struct SimpleSelect: Sendable, Hashable {
    /// `SELECT DISTINCT` or `SELECT DISTINCT ON (...)`.
    public var distinct: Bool
    /// The expressions of `DISTINCT ON (...)`; empty for a plain `DISTINCT`.
    public var distinctOn: [Expression] = []
    /// The select list.
    public var targets: [SelectTarget]
    /// The FROM items.
    public var from: [FromItem]
    /// `WHERE`.
    public var whereClause: Expression?
    /// `GROUP BY` items.
    public var groupBy: [Expression]
    /// `HAVING`.
    public var having: Expression?
}

/// UNION, INTERSECT or EXCEPT.
public enum SetOperationKind: String, Sendable, Hashable {
    /// `UNION`, `INTERSECT`, `EXCEPT`.
    case union, intersect, except
}

/// The body of a SELECT.
public indirect enum SelectBody: Sendable, Hashable {
    /// `SELECT ... FROM ... WHERE ...`.
    case simple(SimpleSelect)
    /// `VALUES (...), ...`.
    case values([[Expression]], location: Int)
    /// Two selects joined by UNION, INTERSECT or EXCEPT (`all` for `ALL`).
    case setOperation(SetOperationKind, all: Bool, SelectStatement, SelectStatement)
}

/// A common table expression of a WITH clause.
public struct CommonTableExpression: Sendable, Hashable {
    /// The CTE's name.
    public var name: String
    /// Column aliases, in order.
    public var columnNames: [String]
    /// The statement that defines it.
    public var statement: DataStatement
    /// Byte offset of the CTE.
    public var location: Int
}

/// `WITH [RECURSIVE] ...`.
public struct WithClause: Sendable, Hashable {
    /// `WITH RECURSIVE`.
    public var recursive: Bool
    /// The CTEs, in order.
    public var expressions: [CommonTableExpression]
}

/// A SELECT with its WITH, ORDER BY, LIMIT and OFFSET.
public struct SelectStatement: Sendable, Hashable {
    /// The WITH clause, if any.
    public var with: WithClause?
    /// The select body: a plain SELECT, VALUES or a set operation.
    public var body: SelectBody
    /// `ORDER BY` items.
    public var orderBy: [Expression]
    /// `LIMIT`.
    public var limit: Expression?
    /// `OFFSET`.
    public var offset: Expression?
    /// Byte offset of the statement.
    public var location: Int
}

/// `ON CONFLICT ... DO NOTHING | DO UPDATE SET ...`.
public struct OnConflict: Sendable, Hashable {
    /// `DO UPDATE` rather than `DO NOTHING`.
    public var doUpdate: Bool
    /// The `DO UPDATE SET` assignments.
    public var assignments: [Assignment]
    /// `DO UPDATE ... WHERE`.
    public var whereClause: Expression?
}

/// `column = expr` in UPDATE SET and ON CONFLICT DO UPDATE SET.
public struct Assignment: Sendable, Hashable {
    /// The column assigned.
    public var column: String
    /// Subscripts or fields after the column (`SET tags[1] = ...`).
    public var indirection: [IndirectionStep]
    /// The value assigned.
    public var value: Expression
    /// Byte offset of the assignment.
    public var location: Int
}

/// `INSERT INTO table [(columns)] {VALUES ... | SELECT ... | DEFAULT VALUES} [ON CONFLICT ...] [RETURNING ...]`.
public struct InsertStatement: Sendable, Hashable {
    /// The WITH clause, if any.
    public var with: WithClause?
    /// The table inserted into.
    public var table: QualifiedName
    /// The table's alias, if any.
    public var alias: String?
    /// The columns named, with their byte offsets.
    public var columns: [(name: String, location: Int)]
    /// The rows inserted; nil for DEFAULT VALUES.
    public var source: SelectStatement?
    /// `ON CONFLICT`, if any.
    public var onConflict: OnConflict?
    /// The RETURNING list.
    public var returning: [SelectTarget]
    /// `OVERRIDING SYSTEM VALUE`: values for `GENERATED ALWAYS` identity columns are taken.
    public var overridesSystemValue = false

    /// Whether two statements are the same INSERT.
    public static func == (lhs: InsertStatement, rhs: InsertStatement) -> Bool {
        lhs.with == rhs.with && lhs.table == rhs.table && lhs.alias == rhs.alias
            && lhs.columns.map(\.name) == rhs.columns.map(\.name) && lhs.source == rhs.source
            && lhs.onConflict == rhs.onConflict && lhs.returning == rhs.returning
            && lhs.overridesSystemValue == rhs.overridesSystemValue
    }

    /// Hashes the statement.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(columns.map(\.name))
    }
}

/// `UPDATE table SET ... [FROM ...] [WHERE ...] [RETURNING ...]`.
public struct UpdateStatement: Sendable, Hashable {
    /// The WITH clause, if any.
    public var with: WithClause?
    /// The table updated.
    public var table: QualifiedName
    /// The table's alias, if any.
    public var alias: String?
    /// The SET assignments.
    public var assignments: [Assignment]
    /// `FROM` items.
    public var from: [FromItem]
    /// `WHERE`.
    public var whereClause: Expression?
    /// The RETURNING list.
    public var returning: [SelectTarget]
}

/// `DELETE FROM table [USING ...] [WHERE ...] [RETURNING ...]`.
public struct DeleteStatement: Sendable, Hashable {
    /// The WITH clause, if any.
    public var with: WithClause?
    /// The table deleted from.
    public var table: QualifiedName
    /// The table's alias, if any.
    public var alias: String?
    /// `USING` items.
    public var using: [FromItem]
    /// `WHERE`.
    public var whereClause: Expression?
    /// The RETURNING list.
    public var returning: [SelectTarget]
}

/// A data statement: what queries are made of.
public indirect enum DataStatement: Sendable, Hashable {
    /// A SELECT.
    case select(SelectStatement)
    /// An INSERT.
    case insert(InsertStatement)
    /// An UPDATE.
    case update(UpdateStatement)
    /// A DELETE.
    case delete(DeleteStatement)
    /// A `CALL` of a procedure.
    case call(FunctionCall)
}
