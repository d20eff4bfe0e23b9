import CPgQuery

extension ParseTreeDecoder {
    /// A data statement (SELECT, INSERT, UPDATE, DELETE), or nil for any other node.
    func dataStatement(_ node: NodePointer?) -> DataStatement? {
        guard let node else { return nil }
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_SELECT_STMT:
            return value.select_stmt.map { .select(selectStatement($0)) }
        case PG_QUERY__NODE__NODE_INSERT_STMT:
            return value.insert_stmt.map { .insert(insertStatement($0)) }
        case PG_QUERY__NODE__NODE_UPDATE_STMT:
            return value.update_stmt.map { .update(updateStatement($0)) }
        case PG_QUERY__NODE__NODE_DELETE_STMT:
            return value.delete_stmt.map { .delete(deleteStatement($0)) }
        default:
            return nil
        }
    }

    /// A SELECT from a node that must be one (a view's query, a subquery).
    func selectStatement(node: NodePointer?, location: Int) -> SelectStatement {
        if let node, node.pointee.node_case == PG_QUERY__NODE__NODE_SELECT_STMT, let select = node.pointee.select_stmt {
            return selectStatement(select)
        }
        return SelectStatement(
            with: nil, body: .values([], location: location), orderBy: [], limit: nil, offset: nil, location: location)
    }

    func selectStatement(_ pointer: UnsafeMutablePointer<PgQuery__SelectStmt>) -> SelectStatement {
        let select = pointer.pointee
        let body: SelectBody
        if select.op != PG_QUERY__SET_OPERATION__SETOP_NONE, select.op.rawValue != 0, let left = select.larg,
            let right = select.rarg
        {
            let kind: SetOperationKind =
                select.op == PG_QUERY__SET_OPERATION__SETOP_UNION
                ? .union : select.op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? .intersect : .except
            body = .setOperation(kind, all: select.all != 0, selectStatement(left), selectStatement(right))
        } else if select.n_values_lists > 0 {
            let rows = nodes(select.n_values_lists, select.values_lists).map { row in
                row.pointee.node_case == PG_QUERY__NODE__NODE_LIST
                    ? expressions(row.pointee.list.pointee.n_items, row.pointee.list.pointee.items) : [expression(row)]
            }
            body = .values(rows, location: firstLocation(rows.first ?? []))
        } else {
            body = .simple(
                SimpleSelect(
                    distinct: select.n_distinct_clause > 0,
                    distinctOn: nodes(select.n_distinct_clause, select.distinct_clause).filter {
                        $0.pointee.node_case != PG_QUERY__NODE__NODE__NOT_SET
                    }.map(expression),
                    targets: targets(select.n_target_list, select.target_list),
                    from: nodes(select.n_from_clause, select.from_clause).map(fromItem),
                    whereClause: select.where_clause.map(expression),
                    groupBy: expressions(select.n_group_clause, select.group_clause),
                    having: select.having_clause.map(expression)))
        }
        let orderBy = nodes(select.n_sort_clause, select.sort_clause).map { node -> Expression in
            guard node.pointee.node_case == PG_QUERY__NODE__NODE_SORT_BY, let sort = node.pointee.sort_by?.pointee
            else {
                return expression(node)
            }
            return expression(sort.node)
        }
        return SelectStatement(
            with: withClause(select.with_clause), body: body, orderBy: orderBy,
            limit: select.limit_count.map(expression), offset: select.limit_offset.map(expression),
            location: -1)
    }

    func insertStatement(_ pointer: UnsafeMutablePointer<PgQuery__InsertStmt>) -> InsertStatement {
        let insert = pointer.pointee
        var columns: [(name: String, location: Int)] = []
        for node in nodes(insert.n_cols, insert.cols) where node.pointee.node_case == PG_QUERY__NODE__NODE_RES_TARGET {
            guard let target = node.pointee.res_target?.pointee else { continue }
            columns.append((text(target.name), Int(target.location)))
        }
        var onConflict: OnConflict?
        if let clause = insert.on_conflict_clause?.pointee,
            clause.action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE
                || clause.action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_NOTHING
        {
            onConflict = OnConflict(
                doUpdate: clause.action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE,
                assignments: assignments(clause.n_target_list, clause.target_list),
                whereClause: clause.where_clause.map(expression))
        }
        let source: SelectStatement? = insert.select_stmt.flatMap { node in
            node.pointee.node_case == PG_QUERY__NODE__NODE_SELECT_STMT
                ? node.pointee.select_stmt.map(selectStatement) : nil
        }
        var statement = InsertStatement(
            with: withClause(insert.with_clause), table: qualifiedName(insert.relation),
            alias: insert.relation?.pointee.alias.flatMap { optionalText($0.pointee.aliasname) }, columns: columns,
            source: source, onConflict: onConflict, returning: targets(insert.n_returning_list, insert.returning_list))
        statement.overridesSystemValue = insert.override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE
        return statement
    }

    func updateStatement(_ pointer: UnsafeMutablePointer<PgQuery__UpdateStmt>) -> UpdateStatement {
        let update = pointer.pointee
        return UpdateStatement(
            with: withClause(update.with_clause), table: qualifiedName(update.relation),
            alias: update.relation?.pointee.alias.flatMap { optionalText($0.pointee.aliasname) },
            assignments: assignments(update.n_target_list, update.target_list),
            from: nodes(update.n_from_clause, update.from_clause).map(fromItem),
            whereClause: update.where_clause.map(expression),
            returning: targets(update.n_returning_list, update.returning_list))
    }

    func deleteStatement(_ pointer: UnsafeMutablePointer<PgQuery__DeleteStmt>) -> DeleteStatement {
        let delete = pointer.pointee
        return DeleteStatement(
            with: withClause(delete.with_clause), table: qualifiedName(delete.relation),
            alias: delete.relation?.pointee.alias.flatMap { optionalText($0.pointee.aliasname) },
            using: nodes(delete.n_using_clause, delete.using_clause).map(fromItem),
            whereClause: delete.where_clause.map(expression),
            returning: targets(delete.n_returning_list, delete.returning_list))
    }

    func withClause(_ pointer: UnsafeMutablePointer<PgQuery__WithClause>?) -> WithClause? {
        guard let clause = pointer?.pointee else { return nil }
        var expressions: [CommonTableExpression] = []
        for node in nodes(clause.n_ctes, clause.ctes)
        where node.pointee.node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR {
            guard let cte = node.pointee.common_table_expr?.pointee, let statement = dataStatement(cte.ctequery) else {
                continue
            }
            expressions.append(
                CommonTableExpression(
                    name: text(cte.ctename), columnNames: stringValues(cte.n_aliascolnames, cte.aliascolnames),
                    statement: statement, location: Int(cte.location)))
        }
        return WithClause(recursive: clause.recursive != 0, expressions: expressions)
    }

    func targets(_ count: Int, _ base: NodeArray?) -> [SelectTarget] {
        nodes(count, base).compactMap { node in
            guard node.pointee.node_case == PG_QUERY__NODE__NODE_RES_TARGET,
                let target = node.pointee.res_target?.pointee
            else { return nil }
            return SelectTarget(
                alias: optionalText(target.name), expression: expression(target.val, fallback: Int(target.location)),
                location: Int(target.location))
        }
    }

    /// SET lists: `a = 1`, `(a, b) = (1, 2)` (each column gets its part), `a[1] = x`.
    func assignments(_ count: Int, _ base: NodeArray?) -> [Assignment] {
        nodes(count, base).compactMap { node in
            guard node.pointee.node_case == PG_QUERY__NODE__NODE_RES_TARGET,
                let target = node.pointee.res_target?.pointee
            else { return nil }
            var value = expression(target.val, fallback: Int(target.location))
            if let source = target.val, source.pointee.node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF,
                let multi = source.pointee.multi_assign_ref?.pointee
            {
                let row = expression(multi.source)
                if case .row(let items, _) = row, Int(multi.colno) - 1 < items.count, multi.colno >= 1 {
                    value = items[Int(multi.colno) - 1]
                } else {
                    value = .other(kind: "MultiAssignRef", location: Int(target.location))
                }
            }
            return Assignment(
                column: text(target.name), indirection: indirection(target.n_indirection, target.indirection),
                value: value, location: Int(target.location))
        }
    }

    func alias(_ pointer: UnsafeMutablePointer<PgQuery__Alias>?) -> Alias? {
        guard let alias = pointer?.pointee else { return nil }
        return Alias(name: text(alias.aliasname), columnNames: stringValues(alias.n_colnames, alias.colnames))
    }

    func fromItem(_ node: NodePointer) -> FromItem {
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_RANGE_VAR:
            guard let range = value.range_var else { break }
            return .table(qualifiedName(range), alias: alias(range.pointee.alias))
        case PG_QUERY__NODE__NODE_JOIN_EXPR:
            guard let join = value.join_expr?.pointee, let left = join.larg, let right = join.rarg else { break }
            let using = stringValues(join.n_using_clause, join.using_clause)
            let kind: JoinKind
            switch join.jointype {
            case PG_QUERY__JOIN_TYPE__JOIN_LEFT: kind = .left
            case PG_QUERY__JOIN_TYPE__JOIN_RIGHT: kind = .right
            case PG_QUERY__JOIN_TYPE__JOIN_FULL: kind = .full
            default: kind = join.quals == nil && using.isEmpty && join.is_natural == 0 ? .cross : .inner
            }
            return .join(
                JoinExpression(
                    left: fromItem(left), right: fromItem(right), kind: kind, condition: join.quals.map(expression),
                    using: using, natural: join.is_natural != 0, alias: alias(join.alias)))
        case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
            guard let subselect = value.range_subselect?.pointee else { break }
            return .subquery(
                selectStatement(node: subselect.subquery, location: -1), alias: alias(subselect.alias),
                lateral: subselect.lateral != 0, location: -1)
        case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
            guard let range = value.range_function?.pointee else { break }
            var calls: [Expression] = []
            for item in nodes(range.n_functions, range.functions) {
                // Each item is a two-element list: the call and its column definitions.
                if item.pointee.node_case == PG_QUERY__NODE__NODE_LIST, let list = item.pointee.list?.pointee,
                    let call = nodes(list.n_items, list.items).first
                {
                    calls.append(expression(call))
                }
            }
            return .function(
                FunctionSource(
                    calls: calls, alias: alias(range.alias), withOrdinality: range.ordinality != 0,
                    lateral: range.lateral != 0,
                    columnDefinitions: columnDefinitions(range.n_coldeflist, range.coldeflist),
                    location: calls.first?.location ?? -1))
        default:
            break
        }
        return .other(kind: nodeKindName(node), location: -1)
    }

    private func firstLocation(_ expressions: [Expression]) -> Int {
        expressions.first?.location ?? -1
    }
}
