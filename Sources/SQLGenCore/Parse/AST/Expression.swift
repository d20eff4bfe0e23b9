/// A constant's kind, as the parser sees it before type resolution.
public enum ConstantKind: Sendable, Hashable {
    /// The kinds of literal.
    case integer, float, string, boolean, bitString, null
}

/// An operator-like expression's kind (`A_Expr` in PostgreSQL's grammar).
public enum OperatorKind: Sendable, Hashable {
    /// A plain binary or prefix operator.
    case plain
    /// `x op ANY (array)`.
    case any
    /// `x op ALL (array)`.
    case all
    /// `IS DISTINCT FROM`, `IS NOT DISTINCT FROM`, `NULLIF(a, b)`.
    case distinctFrom, notDistinctFrom, nullIf
    /// `x IN (list)` (`=`) or `x NOT IN (list)` (`<>`).
    case inList
    /// `LIKE`, `ILIKE`, `SIMILAR TO`.
    case like, ilike, similar
    /// `BETWEEN`, `NOT BETWEEN`, `BETWEEN SYMMETRIC`, `NOT BETWEEN SYMMETRIC`.
    case between, notBetween, betweenSymmetric, notBetweenSymmetric
}

/// `AND`, `OR`, `NOT`.
public enum BooleanOperator: Sendable, Hashable {
    /// `AND`, `OR`, `NOT`.
    case and, or, not
}

/// `IS [NOT] TRUE/FALSE/UNKNOWN`.
public enum BooleanTestKind: Sendable, Hashable {
    /// `IS [NOT] TRUE`, `IS [NOT] FALSE`, `IS [NOT] UNKNOWN`.
    case isTrue, isNotTrue, isFalse, isNotFalse, isUnknown, isNotUnknown
}

/// A subquery used as an expression.
public enum SubqueryKind: Sendable, Hashable {
    /// `EXISTS (...)`.
    case exists
    /// `(SELECT ...)` giving one value.
    case scalar
    /// `ARRAY(SELECT ...)`.
    case array
    /// `x op ANY (SELECT ...)` and `x IN (SELECT ...)`.
    case any(operator: String)
    /// `x op ALL (SELECT ...)`.
    case all(operator: String)
    /// Row comparisons and other forms.
    case other
}

/// The kind of a grouping set in GROUP BY.
public enum GroupingSetKind: Sendable, Hashable {
    /// `()`: no key, one group of all rows.
    case empty
    /// `ROLLUP (a, b)`: the sets `(a, b)`, `(a)` and `()`.
    case rollup
    /// `CUBE (a, b)`: every subset of its keys.
    case cube
    /// `GROUPING SETS (...)`: each of its items is a set.
    case sets
}

/// SQL's special value functions: `CURRENT_DATE`, `CURRENT_TIMESTAMP`, `CURRENT_USER`...
public enum SQLValueFunctionKind: Sendable, Hashable {
    /// `CURRENT_DATE`, `CURRENT_TIME`, `CURRENT_TIMESTAMP`, `LOCALTIME`, `LOCALTIMESTAMP`.
    case currentDate, currentTime, currentTimestamp, localTime, localTimestamp
    /// `CURRENT_ROLE`, `CURRENT_USER`, `SESSION_USER`, `USER`, `CURRENT_CATALOG`, `CURRENT_SCHEMA`.
    case currentRole, currentUser, sessionUser, user, currentCatalog, currentSchema
}

/// One step of `expr[...]` or `expr.field`.
public enum IndirectionStep: Sendable, Hashable {
    /// `[i]`.
    case index(Expression?)
    /// `[lower:upper]`.
    case slice(Expression?, Expression?)
    /// `.field`.
    case field(String)
    /// `.*`.
    case star
}

/// A function call, aggregate or window function.
public struct FunctionCall: Sendable, Hashable {
    /// The name parts (`["lower"]`, `["pg_catalog", "now"]`, `["sqlc", "arg"]`).
    public var name: [String]
    /// The arguments, in order.
    public var arguments: [Expression]
    /// `count(*)`.
    public var star: Bool
    /// `DISTINCT` inside an aggregate call.
    public var distinct: Bool
    /// `VARIADIC` before the last argument.
    public var variadic: Bool
    /// Whether it has `OVER (...)`.
    public var isWindow: Bool
    /// `FILTER (WHERE ...)`.
    public var filter: Expression?
    /// `ORDER BY` inside the call, and `WITHIN GROUP`.
    public var orderBy: [Expression]
    /// Whether ``orderBy`` came from `WITHIN GROUP`.
    public var withinGroup: Bool
    /// Expressions in the window's PARTITION BY and ORDER BY.
    public var windowExpressions: [Expression]
    /// Byte offset of the call.
    public var location: Int
}

/// `CASE [arg] WHEN ... THEN ... [ELSE ...] END`.
public struct CaseExpression: Sendable, Hashable {
    /// The expression compared with each branch's value, for a simple CASE.
    public var argument: Expression?
    /// `WHEN condition THEN result`, in order.
    public var branches: [(condition: Expression, result: Expression)]
    /// `ELSE`'s result, if any.
    public var elseResult: Expression?
    /// Byte offset of `CASE`.
    public var location: Int

    /// Whether two expressions are the same CASE.
    public static func == (lhs: CaseExpression, rhs: CaseExpression) -> Bool {
        lhs.argument == rhs.argument && lhs.elseResult == rhs.elseResult && lhs.location == rhs.location
            && lhs.branches.map(\.condition) == rhs.branches.map(\.condition)
            && lhs.branches.map(\.result) == rhs.branches.map(\.result)
    }

    /// Hashes the location and the number of branches.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        hasher.combine(branches.count)
    }
}

/// An expression of a query.
public indirect enum Expression: Sendable, Hashable {
    /// `a`, `t.a`, `s.t.a`.
    case column([String], location: Int)
    /// `*` or `t.*`.
    case star(qualifier: [String], location: Int)
    /// `$n`.
    case parameter(Int, location: Int)
    /// A literal; `text` is its spelling for numbers and strings.
    case constant(ConstantKind, text: String, location: Int)
    /// `expr::type` or `CAST(expr AS type)`.
    case cast(Expression, TypeReference, location: Int)
    /// A function call, aggregate or window function.
    case function(FunctionCall)
    /// An operator (`left` is nil for prefix operators), with the kind of `A_Expr`.
    case operation(OperatorKind, name: String, left: Expression?, right: Expression?, location: Int)
    /// `AND`, `OR` or `NOT` over its operands.
    case boolean(BooleanOperator, [Expression], location: Int)
    /// `IS NULL` (`isNull`) or `IS NOT NULL`.
    case nullTest(Expression, isNull: Bool, location: Int)
    /// `IS [NOT] TRUE`, `FALSE` or `UNKNOWN`.
    case booleanTest(Expression, BooleanTestKind, location: Int)
    /// `CASE ... END`.
    case caseWhen(CaseExpression)
    /// `COALESCE(...)`.
    case coalesce([Expression], location: Int)
    /// `GREATEST(...)` or `LEAST(...)`.
    case minMax(greatest: Bool, [Expression], location: Int)
    /// A subquery, with the tested expression of `x IN (SELECT ...)`.
    case subquery(SubqueryKind, test: Expression?, SelectStatement, location: Int)
    /// `ARRAY[...]`.
    case array([Expression], location: Int)
    /// `ROW(...)` or `(a, b)`.
    case row([Expression], location: Int)
    /// `expr[...]`, `(expr).field`.
    case indirection(Expression, [IndirectionStep], location: Int)
    /// `CURRENT_TIMESTAMP` and the other SQL value functions.
    case valueFunction(SQLValueFunctionKind, location: Int)
    /// `expr COLLATE name`.
    case collate(Expression, location: Int)
    /// `name => expr` in a function call.
    case namedArgument(String, Expression, location: Int)
    /// The list of `x IN (a, b, c)`.
    case list([Expression], location: Int)
    /// `DEFAULT` in INSERT values or UPDATE SET.
    case setToDefault(location: Int)
    /// `ROLLUP (...)`, `CUBE (...)`, `GROUPING SETS (...)` or `()` in GROUP BY; a parenthesized list
    /// in one is a ``row(_:location:)``.
    case groupingSet(GroupingSetKind, [Expression], location: Int)
    /// `GROUPING(a, b)`: which of its arguments the row's grouping set leaves out, as bits.
    case grouping([Expression], location: Int)
    /// A form not decoded; its node kind for messages.
    case other(kind: String, location: Int)

    /// Byte offset of the expression (-1 when unknown).
    public var location: Int {
        switch self {
        case .column(_, let location), .star(_, let location), .parameter(_, let location),
            .constant(_, _, let location), .cast(_, _, let location), .operation(_, _, _, _, let location),
            .boolean(_, _, let location), .nullTest(_, _, let location), .booleanTest(_, _, let location),
            .coalesce(_, let location), .minMax(_, _, let location), .subquery(_, _, _, let location),
            .array(_, let location), .row(_, let location), .valueFunction(_, let location),
            .namedArgument(_, _, let location), .list(_, let location), .setToDefault(let location),
            .groupingSet(_, _, let location), .grouping(_, let location), .other(_, let location):
            return location
        case .indirection(let base, _, let location), .collate(let base, let location):
            return location >= 0 ? location : base.location
        case .function(let call): return call.location
        case .caseWhen(let expression): return expression.location
        }
    }
}
