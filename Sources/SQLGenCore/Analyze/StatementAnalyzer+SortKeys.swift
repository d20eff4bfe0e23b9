/// ORDER BY and GROUP BY keys, resolved as PostgreSQL's `findTargetlistEntrySQL92` resolves them: an
/// integer constant is a select-list position, and a bare name may be an output column. ORDER BY prefers
/// the output column of that name; GROUP BY prefers an input column and falls back to the output column.
extension StatementAnalyzer {
    /// Which clause a key is in, for its precedence and its messages.
    enum SortKeyClause: String {
        case orderBy = "ORDER BY"
        case groupBy = "GROUP BY"
        case distinctOn = "DISTINCT ON"
    }

    /// Analyses ORDER BY (or DISTINCT ON) keys against the output columns and, for a plain SELECT, its
    /// input scope. A set operation's ORDER BY (`inputScope` nil) sees only its output column names.
    func analyzeOrderBy(
        _ keys: [Expression], columns: [ResultColumn], inputScope: Scope?, clause: SortKeyClause = .orderBy
    ) throws(ResolutionError) {
        for key in keys {
            if try isSelectListPosition(key, clause: clause, count: columns.count) { continue }
            if case .column(let parts, let location) = key, parts.count == 1 {
                let matches = columns.filter { $0.name == parts[0] }
                if !matches.isEmpty { continue }
                if inputScope == nil {
                    throw ResolutionError(message: "column \"\(parts[0])\" does not exist", location: location)
                }
            }
            guard let inputScope else {
                if case .column(let parts, let location) = key, parts.count >= 2 {
                    throw ResolutionError(
                        message: "missing FROM-clause entry for table \"\(parts[parts.count - 2])\"",
                        location: location)
                }
                throw ResolutionError(
                    message: "invalid UNION/INTERSECT/EXCEPT ORDER BY clause", location: leftmostLocation(key))
            }
            _ = try analyzeExpression(key, scope: inputScope, expected: nil)
        }
    }

    /// Whether a GROUP BY key names an output column rather than an input one: a position, or a bare
    /// name that no FROM item has and some select-list entry is called.
    func groupKeyNamesOutput(_ key: Expression, targets: [SelectTarget], scope: Scope) throws(ResolutionError)
        -> Bool
    {
        if case .constant(.integer, _, _) = key { return true }
        guard case .column(let parts, let location) = key, parts.count == 1 else { return false }
        do {
            if try locateColumn(parts, in: scope.entries) != nil { return false }
        } catch {
            throw ResolutionError(message: error.message, location: location)
        }
        return targets.contains { ($0.alias ?? columnName(of: $0.expression)) == parts[0] }
    }

    /// The select-list expression a GROUP BY key names by number or output name, when there is one.
    func outputKeyExpression(_ key: Expression, targets: [SelectTarget]) -> Expression? {
        switch key {
        case .constant(.integer, let text, _):
            guard let position = Int(text), targets.indices.contains(position - 1) else { return nil }
            return targets[position - 1].expression
        case .column(let parts, _) where parts.count == 1:
            return targets.first { ($0.alias ?? columnName(of: $0.expression)) == parts[0] }?.expression
        default: return nil
        }
    }

    /// Checks GROUP BY keys that name output columns, once the select list is known.
    func checkGroupKeys(_ keys: [Expression], columns: [ResultColumn], targets: [SelectTarget])
        throws(ResolutionError)
    {
        for key in keys {
            if try isSelectListPosition(key, clause: .groupBy, count: columns.count) {
                if case .constant(_, let text, _) = key, let position = Int(text), targets.count == columns.count,
                    let location = aggregateLocation(in: targets[position - 1].expression)
                {
                    throw ResolutionError(
                        message: "aggregate functions are not allowed in GROUP BY", location: location)
                }
                continue
            }
            if case .column(let parts, _) = key, parts.count == 1,
                let target = targets.first(where: { ($0.alias ?? columnName(of: $0.expression)) == parts[0] }),
                let location = aggregateLocation(in: target.expression)
            {
                throw ResolutionError(message: "aggregate functions are not allowed in GROUP BY", location: location)
            }
        }
    }

    /// An integer constant key, checked to be a position of the select list.
    private func isSelectListPosition(_ key: Expression, clause: SortKeyClause, count: Int) throws(ResolutionError)
        -> Bool
    {
        guard case .constant(.integer, let text, let location) = key else { return false }
        guard let position = Int(text), position >= 1, position <= count else {
            throw ResolutionError(
                message: "\(clause.rawValue) position \(text) is not in select list", location: location)
        }
        return true
    }

    /// Where an expression first calls an aggregate outside any subquery (a select-list entry a GROUP
    /// BY key may not name), or nil.
    func aggregateLocation(in expression: Expression) -> Int? {
        var found: Int?
        ExpressionVisitor(entersSubqueries: false) { node in
            guard found == nil, case .function(let call) = node, self.isAggregateCall(call) else { return }
            found = call.location
        }.walk(expression)
        return found
    }

    /// Whether a call is an aggregate of this query level (not a window function).
    func isAggregateCall(_ call: FunctionCall) -> Bool {
        guard !call.isWindow else { return false }
        if call.star || call.filter != nil || call.withinGroup { return true }
        return types.builtins.functionsByName[call.name.last ?? ""]?.contains { $0.kind == UInt8(ascii: "a") }
            ?? false
    }

    /// The leftmost position in an expression, where PostgreSQL points at it.
    func leftmostLocation(_ expression: Expression) -> Int {
        var leftmost = expression.location
        ExpressionVisitor(entersSubqueries: false) { node in
            if node.location >= 0, leftmost < 0 || node.location < leftmost { leftmost = node.location }
        }.walk(expression)
        return leftmost
    }
}
