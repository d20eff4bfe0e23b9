/// Calls a closure for every expression of a statement, in source order,
/// descending into subqueries, CTEs, FROM items and clauses.
struct ExpressionVisitor {
    /// Whether the walk goes into subqueries; when false, only the tested expression of `x IN (SELECT ...)`.
    var entersSubqueries = true
    /// Expressions whose parts the walk skips (it still visits the expression itself).
    var skipsInside: (Expression) -> Bool = { _ in false }
    let visit: (Expression) -> Void

    func walk(_ statement: DataStatement) {
        switch statement {
        case .select(let select): walk(select)
        case .insert(let insert):
            walk(insert.with)
            if let source = insert.source { walk(source) }
            insert.onConflict?.assignments.forEach { walk($0.value) }
            if let clause = insert.onConflict?.whereClause { walk(clause) }
            insert.returning.forEach { walk($0.expression) }
        case .update(let update):
            walk(update.with)
            update.assignments.forEach { assignment in
                walk(assignment.value)
                walkSteps(assignment.indirection)
            }
            update.from.forEach(walk)
            if let clause = update.whereClause { walk(clause) }
            update.returning.forEach { walk($0.expression) }
        case .call(let call):
            walk(.function(call))
        case .delete(let delete):
            walk(delete.with)
            delete.using.forEach(walk)
            if let clause = delete.whereClause { walk(clause) }
            delete.returning.forEach { walk($0.expression) }
        }
    }

    func walk(_ with: WithClause?) {
        with?.expressions.forEach { walk($0.statement) }
    }

    func walk(_ select: SelectStatement) {
        walk(select.with)
        switch select.body {
        case .simple(let simple):
            simple.targets.forEach { walk($0.expression) }
            simple.from.forEach(walk)
            if let clause = simple.whereClause { walk(clause) }
            simple.groupBy.forEach(walk)
            if let having = simple.having { walk(having) }
        case .values(let rows, _):
            rows.forEach { $0.forEach(walk) }
        case .setOperation(_, _, let left, let right):
            walk(left)
            walk(right)
        }
        select.orderBy.forEach(walk)
        if let limit = select.limit { walk(limit) }
        if let offset = select.offset { walk(offset) }
    }

    func walk(_ item: FromItem) {
        switch item {
        case .table, .other: break
        case .join(let join):
            walk(join.left)
            walk(join.right)
            if let condition = join.condition { walk(condition) }
        case .subquery(let select, _, _, _): walk(select)
        case .function(let source): source.calls.forEach(walk)
        }
    }

    private func walkSteps(_ steps: [IndirectionStep]) {
        for step in steps {
            switch step {
            case .index(let index): if let index { walk(index) }
            case .slice(let lower, let upper): [lower, upper].compactMap { $0 }.forEach(walk)
            case .field, .star: break
            }
        }
    }

    func walk(_ expression: Expression) {
        visit(expression)
        if skipsInside(expression) { return }
        switch expression {
        case .column, .star, .parameter, .constant, .valueFunction, .setToDefault, .other: break
        case .cast(let inner, _, _), .collate(let inner, _), .namedArgument(_, let inner, _),
            .nullTest(let inner, _, _),
            .booleanTest(let inner, _, _):
            walk(inner)
        case .function(let call):
            call.arguments.forEach(walk)
            call.orderBy.forEach(walk)
            call.windowExpressions.forEach(walk)
            if let filter = call.filter { walk(filter) }
        case .operation(_, _, let left, let right, _):
            if let left { walk(left) }
            if let right { walk(right) }
        case .boolean(_, let items, _), .coalesce(let items, _), .minMax(_, let items, _), .array(let items, _),
            .row(let items, _), .list(let items, _), .groupingSet(_, let items, _), .grouping(let items, _):
            items.forEach(walk)
        case .caseWhen(let caseExpression):
            if let argument = caseExpression.argument { walk(argument) }
            caseExpression.branches.forEach { branch in
                walk(branch.condition)
                walk(branch.result)
            }
            if let elseResult = caseExpression.elseResult { walk(elseResult) }
        case .subquery(_, let test, let select, _):
            if let test { walk(test) }
            if entersSubqueries { walk(select) }
        case .indirection(let base, let steps, _):
            walk(base)
            walkSteps(steps)
        }
    }
}
