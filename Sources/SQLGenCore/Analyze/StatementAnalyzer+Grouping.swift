/// The grouped-query rule: in a query with GROUP BY, HAVING or an aggregate, every column of its own
/// FROM items that the select list or HAVING uses outside an aggregate is a GROUP BY key, or depends
/// on one (PostgreSQL's `check_ungrouped_columns`).
extension StatementAnalyzer {
    /// Checks a simple select's list and HAVING against its GROUP BY keys.
    ///
    /// - Parameters:
    ///   - keys: the GROUP BY keys, grouping sets taken apart, with keys that name or number an output
    ///     column replaced by that column's expression.
    ///   - commonKeys: those of `keys` in every grouping set: only they make a table's other columns
    ///     depend on its primary key, as in PostgreSQL.
    ///   - ownEntries: the identifiers of the select's own FROM entries; columns of an enclosing query
    ///     are constants here.
    func checkUngroupedColumns(
        _ select: SimpleSelect, keys: [Expression], commonKeys: [Expression], ownEntries: Set<Int>, scope: Scope
    ) throws(ResolutionError) {
        let aggregated =
            select.targets.contains { aggregateLocation(in: $0.expression) != nil || groupingCall(in: $0.expression) }
            || select.having.map { aggregateLocation(in: $0) != nil || groupingCall(in: $0) } ?? false
        guard !select.groupBy.isEmpty || select.having != nil || aggregated else { return }
        let grouping = GroupingKeys(
            analyzer: self, keys: keys, commonKeys: commonKeys, scope: scope, ownEntries: ownEntries)
        for target in select.targets {
            if let (qualifier, location) = Self.starQualifier(of: target.expression) {
                try grouping.checkStar(qualifier: qualifier, location: location)
            } else {
                try grouping.check(target.expression)
            }
        }
        if let having = select.having { try grouping.check(having) }
    }

    /// Whether `expression` calls `GROUPING(...)` outside a subquery: it makes the query a grouped one.
    private func groupingCall(in expression: Expression) -> Bool {
        var found = false
        ExpressionVisitor(entersSubqueries: false) { node in
            if case .grouping = node { found = true }
        }.walk(expression)
        return found
    }

    /// The qualifier of a `*` or `t.*` select-list entry (empty for `*`) and where it is written.
    private static func starQualifier(of expression: Expression) -> ([String], Int)? {
        switch expression {
        case .star(let qualifier, let location): return (qualifier, location)
        case .indirection(.column(let parts, let location), let steps, _) where steps.last == .star:
            return (parts, location)
        case .function(let call) where call.name == ["sqlc", "embed"]:
            if case .column(let parts, _)? = call.arguments.first { return (parts, call.location) }
            return nil
        default: return nil
        }
    }
}

/// A grouped query's keys, and what they make usable outside an aggregate.
private struct GroupingKeys {
    let analyzer: StatementAnalyzer
    let keys: [Expression]
    let scope: Scope
    let ownEntries: Set<Int>
    /// The columns that are keys, as (entry index, column index) in the scope.
    let keyColumns: Set<ScopeColumnPlace>
    /// Entries of a table whose whole primary key is grouped: every column depends on it.
    let dependentEntries: Set<Int>

    init(
        analyzer: StatementAnalyzer, keys: [Expression], commonKeys: [Expression], scope: Scope, ownEntries: Set<Int>
    ) {
        self.analyzer = analyzer
        self.keys = keys
        self.scope = scope
        self.ownEntries = ownEntries
        func places(_ keys: [Expression]) -> Set<ScopeColumnPlace> {
            var columns: Set<ScopeColumnPlace> = []
            for key in keys {
                if case .column(let parts, _) = key, let place = Self.locate(parts, analyzer: analyzer, scope: scope) {
                    columns.insert(place)
                }
            }
            return columns
        }
        keyColumns = places(keys)
        let commonColumns = places(commonKeys)
        var dependent: Set<Int> = []
        for (index, entry) in scope.entries.enumerated() {
            guard let table = entry.table, !table.primaryKey.isEmpty else { continue }
            let grouped = table.primaryKey.allSatisfy { name in
                entry.columns.firstIndex { $0.name == name }.map {
                    commonColumns.contains(ScopeColumnPlace(entry: index, column: $0))
                } ?? false
            }
            if grouped { dependent.insert(index) }
        }
        dependentEntries = dependent
    }

    private static func locate(_ parts: [String], analyzer: StatementAnalyzer, scope: Scope) -> ScopeColumnPlace? {
        do {
            return try analyzer.locateColumn(parts, in: scope.entries).map {
                ScopeColumnPlace(entry: $0.0, column: $0.1)
            }
        } catch {
            // An ambiguous reference was reported when the expression was analysed.
            return nil
        }
    }

    /// Reports the first column used outside an aggregate that is neither a key nor depends on one,
    /// and the first argument of `GROUPING(...)` that is not a key.
    func check(_ expression: Expression) throws(ResolutionError) {
        var found: ResolutionError?
        ExpressionVisitor(
            entersSubqueries: false,
            skipsInside: { node in isKey(node) || isAggregate(node) },
            visit: { node in
                guard found == nil else { return }
                if case .grouping(let arguments, _) = node {
                    found = arguments.first { !isKeyItself($0) }.map {
                        ResolutionError(
                            message: "arguments to GROUPING must be grouping expressions of the associated query level",
                            location: analyzer.leftmostLocation($0))
                    }
                    return
                }
                guard !isKey(node), case .column(let parts, let location) = node,
                    let place = Self.locate(parts, analyzer: analyzer, scope: scope), !isGrouped(place)
                else { return }
                found = ungrouped(place, location: location)
            }
        ).walk(expression)
        if let found { throw found }
    }

    /// Whether `node` is one of the keys itself (a column by place), not only made of them.
    private func isKeyItself(_ node: Expression) -> Bool {
        if case .column(let parts, _) = node {
            return Self.locate(parts, analyzer: analyzer, scope: scope).map(keyColumns.contains) ?? false
        }
        return isKey(node)
    }

    /// Reports the first column a `*` or `t.*` expands to that is neither a key nor depends on one.
    func checkStar(qualifier: [String], location: Int) throws(ResolutionError) {
        for (index, entry) in scope.entries.enumerated() where ownEntries.contains(entry.id) {
            if let name = qualifier.last {
                guard entry.name == name else { continue }
            } else if entry.qualifiedOnly {
                continue
            }
            for (column, scopeColumn) in entry.columns.enumerated()
            where !entry.hiddenFromStar.contains(scopeColumn.name) {
                let place = ScopeColumnPlace(entry: index, column: column)
                if !isGrouped(place) { throw ungrouped(place, location: location) }
            }
        }
    }

    private func isKey(_ node: Expression) -> Bool {
        if case .column = node { return false }  // Columns are matched by place, below.
        return keys.contains { analyzer.sameExpression($0, node, scope: scope) }
    }

    private func isAggregate(_ node: Expression) -> Bool {
        switch node {
        case .function(let call): analyzer.isAggregateCall(call)
        case .grouping: true
        default: false
        }
    }

    private func isGrouped(_ place: ScopeColumnPlace) -> Bool {
        !ownEntries.contains(scope.entries[place.entry].id) || keyColumns.contains(place)
            || dependentEntries.contains(place.entry)
    }

    private func ungrouped(_ place: ScopeColumnPlace, location: Int) -> ResolutionError {
        let entry = scope.entries[place.entry]
        return ResolutionError(
            message:
                "column \"\(entry.name).\(entry.columns[place.column].name)\" must appear in the GROUP BY clause or be used in an aggregate function",
            location: location)
    }
}

/// A column of a scope: its entry's index in the scope and its index in the entry.
struct ScopeColumnPlace: Hashable {
    var entry: Int
    var column: Int
}
