/// Conditions: the expressions PostgreSQL requires to be boolean (`coerce_to_boolean`).
extension StatementAnalyzer {
    /// Analyses an expression that must be boolean (a WHERE, HAVING, JOIN ON, CASE WHEN, FILTER, or an
    /// operand of AND, OR and NOT): a boolean, a domain over one, or a value still without a type (an
    /// untyped literal or parameter, which becomes boolean). Anything else is PostgreSQL's "argument of
    /// WHERE must be type boolean", at the expression's leftmost position.
    func analyzeCondition(_ expression: Expression, scope: Scope, clause: String) throws(ResolutionError)
        -> TypedValue
    {
        let value = try analyzeExpression(expression, scope: scope, expected: types.type(KnownOID.bool))
        let key = types.key(types.baseType(value.type))
        guard key == .builtin(KnownOID.bool) || key == .builtin(KnownOID.unknown) else {
            throw ResolutionError(
                message: "argument of \(clause) must be type boolean, not type \(describe(value.type))",
                location: leftmostLocation(expression))
        }
        return value
    }
}

extension BooleanTestKind {
    /// The test as PostgreSQL names it in "argument of IS TRUE must be type boolean".
    var clause: String {
        switch self {
        case .isTrue: return "IS TRUE"
        case .isNotTrue: return "IS NOT TRUE"
        case .isFalse: return "IS FALSE"
        case .isNotFalse: return "IS NOT FALSE"
        case .isUnknown: return "IS UNKNOWN"
        case .isNotUnknown: return "IS NOT UNKNOWN"
        }
    }
}
