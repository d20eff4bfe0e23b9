/// Whether a statement returns exactly one row whatever the data, so that a `:one` query can return
/// its row rather than an optional one.
///
/// Only what the statement's form guarantees counts: an INSERT of one VALUES row (or DEFAULT VALUES)
/// with RETURNING, without `ON CONFLICT DO NOTHING` or a `DO UPDATE ... WHERE`; a SELECT with an
/// aggregate call and no GROUP BY, HAVING, LIMIT or OFFSET; a SELECT with neither FROM nor WHERE. A
/// select list that may return a set (a set-returning or user function) never counts. A trigger or
/// rule can still suppress the row; the runtime reports that as ``noRow``-kind error, never a crash.
struct SingleRowProof {
    let types: TypeSystem
    let catalog: Catalog

    func returnsExactlyOneRow(_ statement: DataStatement) -> Bool {
        switch statement {
        case .call:
            // A procedure with INOUT or OUT parameters returns exactly one row.
            return true
        case .insert(let insert):
            guard !insert.returning.isEmpty, insert.returning.allSatisfy({ !mayReturnSet($0.expression) }) else {
                return false
            }
            if let source = insert.source {
                guard source.limit == nil, source.offset == nil, case .values(let rows, _) = source.body,
                    rows.count == 1
                else { return false }
            }
            if let conflict = insert.onConflict, !conflict.doUpdate || conflict.whereClause != nil { return false }
            return true
        case .select(let select):
            guard select.limit == nil, select.offset == nil, case .simple(let simple) = select.body,
                simple.groupBy.isEmpty, simple.having == nil,
                simple.targets.allSatisfy({ !mayReturnSet($0.expression) })
            else { return false }
            if simple.from.isEmpty, simple.whereClause == nil { return true }
            return simple.targets.contains { containsAggregate($0.expression) }
        case .update, .delete:
            return false
        }
    }

    /// The function calls of `expression` at its own level (not inside subqueries).
    private func calls(in expression: Expression) -> [FunctionCall] {
        var found: [FunctionCall] = []
        ExpressionVisitor(entersSubqueries: false) { node in
            if case .function(let call) = node { found.append(call) }
        }.walk(expression)
        return found
    }

    /// Whether a call at the expression's own level is an aggregate (not a window function): a built-in
    /// name every overload of which is an aggregate, and no user function of that name.
    private func containsAggregate(_ expression: Expression) -> Bool {
        calls(in: expression).contains { call in
            guard !call.isWindow, let name = call.name.last, !isUserFunction(call) else { return false }
            if call.star { return true }
            let overloads = types.builtins.functionsByName[name] ?? []
            return !overloads.isEmpty && overloads.allSatisfy { $0.kind == UInt8(ascii: "a") }
        }
    }

    /// Whether a call at the expression's own level may return a set: any user function, or a built-in
    /// name with a set-returning overload (or none known).
    private func mayReturnSet(_ expression: Expression) -> Bool {
        calls(in: expression).contains { call in
            guard let name = call.name.last, call.name != ["sqlc", "embed"] else { return false }
            if isUserFunction(call) { return true }
            let overloads = types.builtins.functionsByName[name] ?? []
            return overloads.isEmpty || overloads.contains { $0.returnsSet }
        }
    }

    private func isUserFunction(_ call: FunctionCall) -> Bool {
        guard let name = call.name.last else { return false }
        return catalog.schemas.values.contains { !($0.functions[name] ?? []).isEmpty }
    }
}
