/// The WHERE, HAVING and JOIN ON conditions of a SELECT and of every SELECT inside it (CTEs, FROM
/// subqueries, set operations, subquery expressions), each as its AND chain: the places a
/// `sqlgen.optional` condition may stand, since leaving out one of those conditions (as TRUE) only
/// widens what the query finds.
///
/// Data-modifying statements are not walked: a condition of an UPDATE or DELETE in a CTE is never
/// optional.
struct ConditionRoots {
    /// The conjuncts of WHERE and HAVING clauses.
    private(set) var filters: [[Expression]] = []
    /// The conjuncts of JOIN ON conditions.
    private(set) var joins: [[Expression]] = []

    init(_ select: SelectStatement) {
        add(select)
    }

    /// The items of an AND chain (nested ANDs flattened), or the expression alone.
    static func conjuncts(_ expression: Expression) -> [Expression] {
        guard case .boolean(.and, let items, _) = expression else { return [expression] }
        return items.flatMap(conjuncts)
    }

    private mutating func add(_ select: SelectStatement) {
        for expression in select.with?.expressions ?? [] {
            if case .select(let inner) = expression.statement { add(inner) }
        }
        var expressions = select.orderBy + [select.limit, select.offset].compactMap { $0 }
        switch select.body {
        case .simple(let simple):
            for clause in [simple.whereClause, simple.having].compactMap({ $0 }) {
                filters.append(Self.conjuncts(clause))
            }
            simple.from.forEach { add($0) }
            expressions += simple.targets.map(\.expression) + simple.groupBy
            expressions += [simple.whereClause, simple.having].compactMap { $0 }
        case .values(let rows, _):
            expressions += rows.joined()
        case .setOperation(_, _, let left, let right):
            add(left)
            add(right)
        }
        expressions.forEach { addSubqueries(in: $0) }
    }

    private mutating func add(_ item: FromItem) {
        switch item {
        case .table, .other: break
        case .join(let join):
            add(join.left)
            add(join.right)
            if let condition = join.condition {
                joins.append(Self.conjuncts(condition))
                addSubqueries(in: condition)
            }
        case .subquery(let select, _, _, _): add(select)
        case .function(let source): source.calls.forEach { addSubqueries(in: $0) }
        }
    }

    /// The SELECTs of `expression`'s subqueries, each walked as its own.
    private mutating func addSubqueries(in expression: Expression) {
        var selects: [SelectStatement] = []
        ExpressionVisitor(entersSubqueries: false) { inner in
            if case .subquery(_, _, let select, _) = inner { selects.append(select) }
        }.walk(expression)
        selects.forEach { add($0) }
    }
}
