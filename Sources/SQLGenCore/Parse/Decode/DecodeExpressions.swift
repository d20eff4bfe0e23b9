import CPgQuery

extension ParseTreeDecoder {
    func expressions(_ count: Int, _ base: NodeArray?) -> [Expression] {
        nodes(count, base).map { expression($0) }
    }

    func expression(_ node: NodePointer?, fallback: Int) -> Expression {
        guard let node else { return .other(kind: "missing", location: fallback) }
        return expression(node)
    }

    func expression(_ node: NodePointer) -> Expression {
        let value = node.pointee
        switch value.node_case {
        case PG_QUERY__NODE__NODE_COLUMN_REF:
            guard let reference = value.column_ref?.pointee else { break }
            let fields = nodes(reference.n_fields, reference.fields)
            let location = Int(reference.location)
            if let last = fields.last, last.pointee.node_case == PG_QUERY__NODE__NODE_A_STAR {
                return .star(qualifier: fields.dropLast().compactMap(stringValue), location: location)
            }
            return .column(fields.compactMap(stringValue), location: location)
        case PG_QUERY__NODE__NODE_PARAM_REF:
            guard let parameter = value.param_ref?.pointee else { break }
            return .parameter(Int(parameter.number), location: Int(parameter.location))
        case PG_QUERY__NODE__NODE_A_CONST:
            guard let constant = value.a_const?.pointee else { break }
            return self.constant(constant)
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            guard let cast = value.type_cast?.pointee, let type = typeReference(cast.type_name) else { break }
            return .cast(expression(cast.arg, fallback: Int(cast.location)), type, location: Int(cast.location))
        case PG_QUERY__NODE__NODE_FUNC_CALL:
            guard let call = value.func_call else { break }
            return .function(functionCall(call))
        case PG_QUERY__NODE__NODE_A_EXPR:
            guard let operation = value.a_expr?.pointee else { break }
            return self.operation(operation)
        case PG_QUERY__NODE__NODE_BOOL_EXPR:
            guard let bool = value.bool_expr?.pointee else { break }
            let op: BooleanOperator =
                bool.boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR
                ? .and : bool.boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? .or : .not
            return .boolean(op, expressions(bool.n_args, bool.args), location: Int(bool.location))
        case PG_QUERY__NODE__NODE_NULL_TEST:
            guard let test = value.null_test?.pointee else { break }
            return .nullTest(
                expression(test.arg, fallback: Int(test.location)),
                isNull: test.nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL, location: Int(test.location))
        case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
            guard let test = value.boolean_test?.pointee else { break }
            let kind: BooleanTestKind
            switch test.booltesttype {
            case PG_QUERY__BOOL_TEST_TYPE__IS_TRUE: kind = .isTrue
            case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE: kind = .isNotTrue
            case PG_QUERY__BOOL_TEST_TYPE__IS_FALSE: kind = .isFalse
            case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE: kind = .isNotFalse
            case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN: kind = .isUnknown
            default: kind = .isNotUnknown
            }
            return .booleanTest(expression(test.arg, fallback: Int(test.location)), kind, location: Int(test.location))
        case PG_QUERY__NODE__NODE_CASE_EXPR:
            guard let caseExpression = value.case_expr?.pointee else { break }
            var branches: [(condition: Expression, result: Expression)] = []
            for branch in nodes(caseExpression.n_args, caseExpression.args)
            where branch.pointee.node_case == PG_QUERY__NODE__NODE_CASE_WHEN {
                guard let when = branch.pointee.case_when?.pointee else { continue }
                branches.append(
                    (
                        expression(when.expr, fallback: Int(when.location)),
                        expression(when.result, fallback: Int(when.location))
                    ))
            }
            return .caseWhen(
                CaseExpression(
                    argument: caseExpression.arg.map(expression), branches: branches,
                    elseResult: caseExpression.defresult.map(expression), location: Int(caseExpression.location)))
        case PG_QUERY__NODE__NODE_COALESCE_EXPR:
            guard let coalesce = value.coalesce_expr?.pointee else { break }
            return .coalesce(expressions(coalesce.n_args, coalesce.args), location: Int(coalesce.location))
        case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
            guard let minMax = value.min_max_expr?.pointee else { break }
            return .minMax(
                greatest: minMax.op == PG_QUERY__MIN_MAX_OP__IS_GREATEST, expressions(minMax.n_args, minMax.args),
                location: Int(minMax.location))
        case PG_QUERY__NODE__NODE_SUB_LINK:
            guard let link = value.sub_link?.pointee else { break }
            let operatorName = stringValues(link.n_oper_name, link.oper_name).last ?? "="
            let kind: SubqueryKind
            switch link.sub_link_type {
            case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK: kind = .exists
            case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK: kind = .scalar
            case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK: kind = .array
            case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK: kind = .any(operator: operatorName)
            case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK: kind = .all(operator: operatorName)
            default: kind = .other
            }
            return .subquery(
                kind, test: link.testexpr.map(expression),
                selectStatement(node: link.subselect, location: Int(link.location)), location: Int(link.location))
        case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
            guard let array = value.a_array_expr?.pointee else { break }
            return .array(expressions(array.n_elements, array.elements), location: Int(array.location))
        case PG_QUERY__NODE__NODE_ROW_EXPR:
            guard let row = value.row_expr?.pointee else { break }
            return .row(expressions(row.n_args, row.args), location: Int(row.location))
        case PG_QUERY__NODE__NODE_A_INDIRECTION:
            guard let indirection = value.a_indirection?.pointee else { break }
            let base = expression(indirection.arg, fallback: -1)
            return .indirection(
                base, self.indirection(indirection.n_indirection, indirection.indirection), location: base.location)
        case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
            guard let function = value.sqlvalue_function?.pointee else { break }
            return .valueFunction(valueFunctionKind(function.op), location: Int(function.location))
        case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
            guard let collate = value.collate_clause?.pointee else { break }
            return .collate(expression(collate.arg, fallback: Int(collate.location)), location: Int(collate.location))
        case PG_QUERY__NODE__NODE_NAMED_ARG_EXPR:
            guard let named = value.named_arg_expr?.pointee else { break }
            return .namedArgument(
                text(named.name), expression(named.arg, fallback: Int(named.location)), location: Int(named.location))
        case PG_QUERY__NODE__NODE_LIST:
            guard let list = value.list?.pointee else { break }
            return .list(expressions(list.n_items, list.items), location: -1)
        case PG_QUERY__NODE__NODE_GROUPING_SET:
            guard let set = value.grouping_set?.pointee else { break }
            let kind: GroupingSetKind
            switch set.kind {
            case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY: kind = .empty
            case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP: kind = .rollup
            case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE: kind = .cube
            default: kind = .sets
            }
            return .groupingSet(kind, expressions(set.n_content, set.content), location: Int(set.location))
        case PG_QUERY__NODE__NODE_GROUPING_FUNC:
            guard let function = value.grouping_func?.pointee else { break }
            return .grouping(expressions(function.n_args, function.args), location: Int(function.location))
        case PG_QUERY__NODE__NODE_SET_TO_DEFAULT:
            return .setToDefault(location: Int(value.set_to_default?.pointee.location ?? -1))
        default:
            break
        }
        return .other(kind: nodeKindName(node), location: -1)
    }

    func constant(_ constant: PgQuery__AConst) -> Expression {
        let location = Int(constant.location)
        if constant.isnull != 0 { return .constant(.null, text: "NULL", location: location) }
        switch constant.val_case {
        case PG_QUERY__A__CONST__VAL_IVAL:
            return .constant(.integer, text: String(constant.ival?.pointee.ival ?? 0), location: location)
        case PG_QUERY__A__CONST__VAL_FVAL:
            return .constant(.float, text: text(constant.fval?.pointee.fval), location: location)
        case PG_QUERY__A__CONST__VAL_BOOLVAL:
            return .constant(
                .boolean, text: constant.boolval?.pointee.boolval != 0 ? "true" : "false", location: location)
        case PG_QUERY__A__CONST__VAL_BSVAL:
            return .constant(.bitString, text: text(constant.bsval?.pointee.bsval), location: location)
        default:
            return .constant(.string, text: text(constant.sval?.pointee.sval), location: location)
        }
    }

    func functionCall(_ pointer: UnsafeMutablePointer<PgQuery__FuncCall>) -> FunctionCall {
        let call = pointer.pointee
        var windowExpressions: [Expression] = []
        if let window = call.over?.pointee {
            windowExpressions = expressions(window.n_partition_clause, window.partition_clause)
            for node in nodes(window.n_order_clause, window.order_clause) {
                if node.pointee.node_case == PG_QUERY__NODE__NODE_SORT_BY, let sort = node.pointee.sort_by?.pointee {
                    windowExpressions.append(expression(sort.node, fallback: Int(sort.location)))
                }
            }
        }
        let orderBy = nodes(call.n_agg_order, call.agg_order).map { node -> Expression in
            if node.pointee.node_case == PG_QUERY__NODE__NODE_SORT_BY, let sort = node.pointee.sort_by?.pointee {
                return expression(sort.node, fallback: Int(sort.location))
            }
            return expression(node)
        }
        return FunctionCall(
            name: stringValues(call.n_funcname, call.funcname), arguments: expressions(call.n_args, call.args),
            star: call.agg_star != 0, distinct: call.agg_distinct != 0, variadic: call.func_variadic != 0,
            isWindow: call.over != nil, filter: call.agg_filter.map(expression), orderBy: orderBy,
            withinGroup: call.agg_within_group != 0, windowExpressions: windowExpressions,
            location: Int(call.location))
    }

    func operation(_ operation: PgQuery__AExpr) -> Expression {
        let name = stringValues(operation.n_name, operation.name).last ?? ""
        let kind: OperatorKind
        switch operation.kind {
        case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY: kind = .any
        case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL: kind = .all
        case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT: kind = .distinctFrom
        case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: kind = .notDistinctFrom
        case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF: kind = .nullIf
        case PG_QUERY__A__EXPR__KIND__AEXPR_IN: kind = .inList
        case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE: kind = .like
        case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE: kind = .ilike
        case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR: kind = .similar
        case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN: kind = .between
        case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: kind = .notBetween
        case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM: kind = .betweenSymmetric
        case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM: kind = .notBetweenSymmetric
        default: kind = .plain
        }
        return .operation(
            kind, name: name, left: operation.lexpr.map(expression), right: operation.rexpr.map(expression),
            location: Int(operation.location))
    }

    func indirection(_ count: Int, _ base: NodeArray?) -> [IndirectionStep] {
        nodes(count, base).map { node in
            switch node.pointee.node_case {
            case PG_QUERY__NODE__NODE_A_INDICES:
                guard let indices = node.pointee.a_indices?.pointee else { return .index(nil) }
                if indices.is_slice != 0 {
                    return .slice(indices.lidx.map(expression), indices.uidx.map(expression))
                }
                return .index(indices.uidx.map(expression))
            case PG_QUERY__NODE__NODE_STRING:
                return .field(stringValue(node) ?? "")
            default:
                return .star
            }
        }
    }

    func valueFunctionKind(_ op: PgQuery__SQLValueFunctionOp) -> SQLValueFunctionKind {
        switch op {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: .currentDate
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME, PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
            .currentTime
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP,
            PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
            .currentTimestamp
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME, PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
            .localTime
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP,
            PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
            .localTimestamp
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE: .currentRole
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: .sessionUser
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: .user
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: .currentCatalog
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: .currentSchema
        default: .currentUser
        }
    }

    /// The protobuf field name of a node's kind (`xml_expr`), for messages about unsupported forms.
    func nodeKindName(_ node: NodePointer) -> String {
        let field = withUnsafePointer(to: pg_query__node__descriptor) { descriptor in
            protobuf_c_message_descriptor_get_field(descriptor, node.pointee.node_case.rawValue)
        }
        guard let field, let name = field.pointee.name else { return "node \(node.pointee.node_case.rawValue)" }
        return String(cString: name)
    }
}
