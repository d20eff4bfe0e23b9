/// `SELECT DISTINCT` and `DISTINCT ON` against ORDER BY, as PostgreSQL's `transformDistinctClause` and
/// `transformDistinctOnClause` check them: each key names a select-list entry (by position, output
/// name or an equal expression) or is an expression of its own, and the two clauses must agree.
extension StatementAnalyzer {
    /// What a sort or DISTINCT ON key stands for: a select-list entry, or an expression that is in no
    /// entry (PostgreSQL adds it as a hidden, "resjunk", target).
    private enum SortTarget {
        case output(Int)
        case hidden(Expression)
    }

    /// Analyses DISTINCT ON's keys and checks DISTINCT (ON) against the ORDER BY keys.
    func checkDistinct(_ select: SimpleSelect, orderBy: [Expression], columns: [ResultColumn], scope: Scope)
        throws(ResolutionError)
    {
        try analyzeOrderBy(select.distinctOn, columns: columns, inputScope: scope, clause: .distinctOn)
        // A `*` entry stands for several columns; its keys are not matched here (the server's check
        // then stands alone, through `--database-url`).
        guard !select.targets.contains(where: { expandsToColumns($0.expression) }),
            select.targets.count == columns.count
        else { return }
        let sortTargets = orderBy.map { sortTarget($0, targets: select.targets, columns: columns, scope: scope) }
        if select.distinctOn.isEmpty {
            for (key, target) in zip(orderBy, sortTargets) {
                guard case .hidden = target else { continue }
                throw ResolutionError(
                    message: "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                    location: leftmostLocation(key))
            }
            return
        }
        let distinctTargets = select.distinctOn.map {
            sortTarget($0, targets: select.targets, columns: columns, scope: scope)
        }
        var skippedSortKey = false
        for target in sortTargets {
            guard let match = distinctTargets.firstIndex(where: { same($0, target, scope: scope) }) else {
                skippedSortKey = true
                continue
            }
            if skippedSortKey {
                throw ResolutionError(
                    message: "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                    location: leftmostLocation(select.distinctOn[match]))
            }
        }
    }

    /// Whether a select-list entry stands for a row's columns (`*`, `t.*`, `sqlc.embed(t)`).
    private func expandsToColumns(_ expression: Expression) -> Bool {
        switch expression {
        case .star: true
        case .indirection(_, let steps, _): steps.last == .star
        case .function(let call): call.name == ["sqlc", "embed"]
        default: false
        }
    }

    /// The entry a key names, as `findTargetlistEntrySQL92` finds it: a position, then an output
    /// column's name, then an entry whose expression equals the key.
    private func sortTarget(_ key: Expression, targets: [SelectTarget], columns: [ResultColumn], scope: Scope)
        -> SortTarget
    {
        if case .constant(.integer, let text, _) = key, let position = Int(text) { return .output(position - 1) }
        if case .column(let parts, _) = key, parts.count == 1,
            let index = columns.firstIndex(where: { $0.name == parts[0] })
        {
            return .output(index)
        }
        if let index = targets.firstIndex(where: { sameExpression($0.expression, key, scope: scope) }) {
            return .output(index)
        }
        return .hidden(key)
    }

    private func same(_ lhs: SortTarget, _ rhs: SortTarget, scope: Scope) -> Bool {
        switch (lhs, rhs) {
        case (.output(let left), .output(let right)): left == right
        case (.hidden(let left), .hidden(let right)): sameExpression(left, right, scope: scope)
        default: false
        }
    }

    /// Whether two expressions are the same once analysed: the same tree apart from where it is
    /// written, with column references equal when they reach the same column of the same FROM entry.
    func sameExpression(_ lhs: Expression, _ rhs: Expression, scope: Scope) -> Bool {
        sameTree(lhs, rhs, scope: scope)
    }

    private func sameTree(_ lhs: Any, _ rhs: Any, scope: Scope) -> Bool {
        if let left = lhs as? Expression, let right = rhs as? Expression,
            case .column(let leftParts, _) = left, case .column(let rightParts, _) = right
        {
            return leftParts == rightParts || sameColumn(leftParts, rightParts, scope: scope)
        }
        let left = Mirror(reflecting: lhs)
        let right = Mirror(reflecting: rhs)
        guard left.displayStyle == right.displayStyle, left.children.count == right.children.count else {
            return false
        }
        if left.children.isEmpty { return String(describing: lhs) == String(describing: rhs) }
        for (leftChild, rightChild) in zip(left.children, right.children) {
            guard leftChild.label == rightChild.label else { return false }
            if let label = leftChild.label, label.lowercased().hasSuffix("location") { continue }
            if !sameTree(leftChild.value, rightChild.value, scope: scope) { return false }
        }
        return true
    }

    /// Whether two column references reach the same column of the same FROM entry.
    private func sameColumn(_ lhs: [String], _ rhs: [String], scope: Scope) -> Bool {
        do {
            guard let left = try locateColumn(lhs, in: scope.entries),
                let right = try locateColumn(rhs, in: scope.entries)
            else { return false }
            return left == right
        } catch {
            // An ambiguous reference fails the query when it is analysed; it matches nothing here.
            return false
        }
    }
}
