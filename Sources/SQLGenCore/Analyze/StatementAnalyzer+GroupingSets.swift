/// GROUP BY with grouping sets (`ROLLUP`, `CUBE`, `GROUPING SETS`, `()`), as PostgreSQL reads it: the
/// clause is the cross product of its items, a plain key being in every set. A key missing from some
/// set is NULL in that set's rows, so what the select list makes of it can be NULL.
extension StatementAnalyzer {
    /// Every key written in `groupBy`, grouping sets taken apart: a parenthesized list inside a
    /// grouping set is a list of keys, `()` has none (PostgreSQL's `flatten_grouping_sets`).
    static func groupingKeys(of groupBy: [Expression]) -> [Expression] {
        groupBy.flatMap { keys(in: $0, insideSet: false) }
    }

    private static func keys(in item: Expression, insideSet: Bool) -> [Expression] {
        switch item {
        case .groupingSet(_, let content, _): return content.flatMap { keys(in: $0, insideSet: true) }
        case .row(let items, _) where insideSet: return items
        default: return [item]
        }
    }

    /// The keys of `groupBy` that are in every grouping set, or nil when it has no grouping set
    /// (every key is then in the one set). Keys are compared as analysed, in `scope`.
    func keysInEverySet(of groupBy: [Expression], scope: Scope) -> [Expression]? {
        guard groupBy.contains(where: { if case .groupingSet = $0 { true } else { false } }) else { return nil }
        return groupBy.flatMap { alwaysPresent($0, insideSet: false, scope: scope) }
    }

    /// The keys of one GROUP BY item present in each of the sets it stands for.
    private func alwaysPresent(_ item: Expression, insideSet: Bool, scope: Scope) -> [Expression] {
        switch item {
        case .groupingSet(.sets, let content, _):
            // In every one of its items' sets.
            guard let first = content.first else { return [] }
            let rest = content.dropFirst().map { alwaysPresent($0, insideSet: true, scope: scope) }
            return alwaysPresent(first, insideSet: true, scope: scope).filter { key in
                rest.allSatisfy { keys in keys.contains { sameExpression($0, key, scope: scope) } }
            }
        case .groupingSet:
            // ROLLUP and CUBE include the empty set, and `()` is one.
            return []
        case .row(let items, _) where insideSet: return items
        default: return [item]
        }
    }

    /// Whether one of `groupBy`'s sets is empty (`ROLLUP`, `CUBE`, `()`): that set's one row is there
    /// even when no row is, so aggregates of it can be NULL, as without GROUP BY.
    static func admitsEmptySet(_ groupBy: [Expression]) -> Bool {
        !groupBy.isEmpty && groupBy.allSatisfy { canBeEmpty($0, insideSet: false) }
    }

    private static func canBeEmpty(_ item: Expression, insideSet: Bool) -> Bool {
        switch item {
        case .groupingSet(.sets, let content, _): content.contains { canBeEmpty($0, insideSet: true) }
        case .groupingSet: true
        case .row(let items, _) where insideSet: items.isEmpty
        default: false
        }
    }

    /// `scope` with the columns that are keys missing from some grouping set made nullable, and the
    /// other keys that are: the scope the select list is read in, since those keys are NULL in the
    /// rows of the sets without them.
    func scopeNullingPartialKeys(_ partial: [Expression], in scope: Scope) -> (Scope, [Expression]) {
        var nulled = scope
        var expressions: [Expression] = []
        for key in partial {
            guard case .column(let parts, _) = key else {
                expressions.append(key)
                continue
            }
            do {
                if let (entry, column) = try locateColumn(parts, in: scope.entries) {
                    nulled.entries[entry].columns[column].value.nullable = true
                }
            } catch {
                // An ambiguous key was reported when GROUP BY was analysed.
                continue
            }
        }
        return (nulled, expressions)
    }

    /// Whether `expression`, outside aggregates, is or contains one of `keys` (not columns).
    func usesPartialKey(_ expression: Expression, _ keys: [Expression], scope: Scope) -> Bool {
        guard !keys.isEmpty else { return false }
        var found = false
        ExpressionVisitor(
            entersSubqueries: false,
            skipsInside: { node in
                if case .function(let call) = node { return self.isAggregateCall(call) }
                return false
            },
            visit: { node in
                if !found, keys.contains(where: { self.sameExpression($0, node, scope: scope) }) { found = true }
            }
        ).walk(expression)
        return found
    }
}
