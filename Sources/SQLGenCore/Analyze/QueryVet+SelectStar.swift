/// The `select-star` rule: a `*` (or `t.*`) that reads more of a table's columns than the query's
/// row type ends up using, as when a CTE or subquery selects `*` and the outer query keeps a few
/// columns. A top-level `SELECT * FROM t` uses every column, so it is not flagged.
extension QueryVet {
    /// `(table, columns it has, columns the row uses)` for each table a star reads only in part.
    func partlyUsedStars(_ statement: SelectStatement, row: [ResultColumn]) -> [(Table, Int, Int)] {
        var starred: [Table] = []
        collectStars(statement, into: &starred)
        var seen: Set<String> = []
        return starred.compactMap { table in
            guard seen.insert(table.schema + "." + table.name).inserted else { return nil }
            let used = Set(
                row.compactMap { column in
                    column.source.flatMap { $0.schema == table.schema && $0.table == table.name ? $0.column : nil }
                })
            return used.count < table.columns.count ? (table, table.columns.count, used.count) : nil
        }
    }

    private func collectStars(_ statement: SelectStatement, into starred: inout [Table]) {
        for expression in statement.with?.expressions ?? [] {
            if case .select(let nested) = expression.statement { collectStars(nested, into: &starred) }
        }
        collectStars(statement.body, into: &starred)
    }

    private func collectStars(_ body: SelectBody, into starred: inout [Table]) {
        switch body {
        case .simple(let simple):
            let named = namedTables(simple.from, into: &starred)
            for target in simple.targets {
                guard case .star(let qualifier, _) = target.expression else { continue }
                if let alias = qualifier.last {
                    starred += named.filter { $0.alias == alias }.map(\.table)
                } else {
                    starred += named.map(\.table)
                }
            }
        case .setOperation(_, _, let left, let right):
            collectStars(left, into: &starred)
            collectStars(right, into: &starred)
        case .values:
            break
        }
    }

    /// The catalog tables of a FROM clause with the name each goes by; stars in its subqueries are
    /// collected on the way.
    private func namedTables(_ items: [FromItem], into starred: inout [Table]) -> [(alias: String, table: Table)] {
        var named: [(alias: String, table: Table)] = []
        for item in items {
            switch item {
            case .table(let name, let alias):
                if let table = lookUp(name) { named.append((alias?.name ?? name.name, table)) }
            case .join(let join):
                named += namedTables([join.left, join.right], into: &starred)
            case .subquery(let nested, _, _, _):
                collectStars(nested, into: &starred)
            case .function, .other:
                break
            }
        }
        return named
    }
}
