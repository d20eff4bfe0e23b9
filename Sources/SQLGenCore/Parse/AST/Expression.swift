/// A constant's kind, as the parser sees it before type resolution.
public enum ConstantKind: Sendable, Hashable {
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
    case distinctFrom, notDistinctFrom, nullIf
    /// `x IN (list)` (`=`) or `x NOT IN (list)` (`<>`).
    case inList
    case like, ilike, similar
    case between, notBetween, betweenSymmetric, notBetweenSymmetric
}

/// `AND`, `OR`, `NOT`.
public enum BooleanOperator: Sendable, Hashable {
    case and, or, not
}

/// `IS [NOT] TRUE/FALSE/UNKNOWN`.
public enum BooleanTestKind: Sendable, Hashable {
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

/// SQL's special value functions: `CURRENT_DATE`, `CURRENT_TIMESTAMP`, `CURRENT_USER`...
public enum SQLValueFunctionKind: Sendable, Hashable {
    case currentDate, currentTime, currentTimestamp, localTime, localTimestamp
    case currentRole, currentUser, sessionUser, user, currentCatalog, currentSchema
}

/// One step of `expr[...]` or `expr.field`.
public enum IndirectionStep: Sendable, Hashable {
    case index(Expression?)
    case slice(Expression?, Expression?)
    case field(String)
    case star
}

/// A function call, aggregate or window function.
public struct FunctionCall: Sendable, Hashable {
    /// The name parts (`["lower"]`, `["pg_catalog", "now"]`, `["sqlc", "arg"]`).
    public var name: [String]
    public var arguments: [Expression]
    /// `count(*)`.
    public var star: Bool
    public var distinct: Bool
    /// `VARIADIC` before the last argument.
    public var variadic: Bool
    /// Whether it has `OVER (...)`.
    public var isWindow: Bool
    public var filter: Expression?
    /// `ORDER BY` inside the call, and `WITHIN GROUP`.
    public var orderBy: [Expression]
    public var withinGroup: Bool
    /// Expressions in the window's PARTITION BY and ORDER BY.
    public var windowExpressions: [Expression]
    public var location: Int
}

/// `CASE [arg] WHEN ... THEN ... [ELSE ...] END`.
public struct CaseExpression: Sendable, Hashable {
    public var argument: Expression?
    public var branches: [(condition: Expression, result: Expression)]
    public var elseResult: Expression?
    public var location: Int

    public static func == (lhs: CaseExpression, rhs: CaseExpression) -> Bool {
        lhs.argument == rhs.argument && lhs.elseResult == rhs.elseResult && lhs.location == rhs.location
            && lhs.branches.map(\.condition) == rhs.branches.map(\.condition)
            && lhs.branches.map(\.result) == rhs.branches.map(\.result)
    }

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
    case function(FunctionCall)
    /// An operator (`left` is nil for prefix operators), with the kind of `A_Expr`.
    case operation(OperatorKind, name: String, left: Expression?, right: Expression?, location: Int)
    case boolean(BooleanOperator, [Expression], location: Int)
    case nullTest(Expression, isNull: Bool, location: Int)
    case booleanTest(Expression, BooleanTestKind, location: Int)
    case caseWhen(CaseExpression)
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
    case valueFunction(SQLValueFunctionKind, location: Int)
    /// `expr COLLATE name`.
    case collate(Expression, location: Int)
    /// `name => expr` in a function call.
    case namedArgument(String, Expression, location: Int)
    /// The list of `x IN (a, b, c)`.
    case list([Expression], location: Int)
    /// `DEFAULT` in INSERT values or UPDATE SET.
    case setToDefault(location: Int)
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
            .other(_, let location):
            return location
        case .indirection(let base, _, let location), .collate(let base, let location):
            return location >= 0 ? location : base.location
        case .function(let call): return call.location
        case .caseWhen(let expression): return expression.location
        }
    }
}
