import CPgQuery

extension ParseTreeDecoder {
    func query(_ node: NodePointer?, location: Int) -> Query {
        guard let node else { return Query(kind: .other, select: nil, location: location) }
        switch node.pointee.node_case {
        case PG_QUERY__NODE__NODE_SELECT_STMT:
            guard let select = node.pointee.select_stmt else { break }
            let decoded = selectQuery(select)
            let isValues = select.pointee.n_values_lists > 0
            return Query(kind: isValues ? .values : .select, select: decoded, location: location)
        case PG_QUERY__NODE__NODE_INSERT_STMT: return Query(kind: .insert, select: nil, location: location)
        case PG_QUERY__NODE__NODE_UPDATE_STMT: return Query(kind: .update, select: nil, location: location)
        case PG_QUERY__NODE__NODE_DELETE_STMT: return Query(kind: .delete, select: nil, location: location)
        default: break
        }
        return Query(kind: .other, select: nil, location: location)
    }

    func selectQuery(_ pointer: UnsafeMutablePointer<PgQuery__SelectStmt>) -> SelectQuery {
        let select = pointer.pointee
        if select.op != PG_QUERY__SET_OPERATION__SETOP_NONE, let left = select.larg {
            var leftQuery = selectQuery(left)
            leftQuery.isSetOperation = true
            return leftQuery
        }
        var targets: [SelectTarget] = []
        for node in nodes(select.n_target_list, select.target_list)
        where node.pointee.node_case == PG_QUERY__NODE__NODE_RES_TARGET {
            guard let target = node.pointee.res_target?.pointee else { continue }
            targets.append(
                SelectTarget(
                    alias: optionalText(target.name),
                    expression: expression(target.val, fallbackLocation: Int(target.location)),
                    location: Int(target.location)))
        }
        let from = nodes(select.n_from_clause, select.from_clause).map(fromItem)
        return SelectQuery(targets: targets, from: from, isSetOperation: false)
    }

    func fromItem(_ node: NodePointer) -> FromItem {
        switch node.pointee.node_case {
        case PG_QUERY__NODE__NODE_RANGE_VAR:
            guard let range = node.pointee.range_var else { break }
            return .table(
                qualifiedName(range), alias: range.pointee.alias.flatMap { optionalText($0.pointee.aliasname) })
        case PG_QUERY__NODE__NODE_JOIN_EXPR:
            guard let join = node.pointee.join_expr?.pointee, let left = join.larg, let right = join.rarg else { break }
            let kind: JoinKind
            switch join.jointype {
            case PG_QUERY__JOIN_TYPE__JOIN_LEFT: kind = .left
            case PG_QUERY__JOIN_TYPE__JOIN_RIGHT: kind = .right
            case PG_QUERY__JOIN_TYPE__JOIN_FULL: kind = .full
            default: kind = join.quals == nil && join.n_using_clause == 0 && join.is_natural == 0 ? .cross : .inner
            }
            return .join(fromItem(left), fromItem(right), kind)
        case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
            guard let subselect = node.pointee.range_subselect?.pointee, let query = subselect.subquery,
                query.pointee.node_case == PG_QUERY__NODE__NODE_SELECT_STMT, let select = query.pointee.select_stmt
            else { break }
            return .subquery(selectQuery(select), alias: subselect.alias.flatMap { optionalText($0.pointee.aliasname) })
        default:
            break
        }
        return .other(location: -1)
    }

    func expression(_ node: NodePointer?, fallbackLocation: Int) -> Expression {
        guard let node else { return .other(location: fallbackLocation) }
        switch node.pointee.node_case {
        case PG_QUERY__NODE__NODE_COLUMN_REF:
            guard let reference = node.pointee.column_ref?.pointee else { break }
            let fields = nodes(reference.n_fields, reference.fields)
            let location = Int(reference.location)
            if let last = fields.last, last.pointee.node_case == PG_QUERY__NODE__NODE_A_STAR {
                return .star(qualifier: fields.dropLast().compactMap(stringValue), location: location)
            }
            return .column(fields.compactMap(stringValue), location: location)
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            guard let cast = node.pointee.type_cast?.pointee, let type = typeReference(cast.type_name) else { break }
            return .cast(
                expression(cast.arg, fallbackLocation: Int(cast.location)), type, location: Int(cast.location))
        case PG_QUERY__NODE__NODE_A_CONST:
            guard let constant = node.pointee.a_const?.pointee else { break }
            let kind: ConstantKind
            if constant.isnull != 0 {
                kind = .null
            } else {
                switch constant.val_case {
                case PG_QUERY__A__CONST__VAL_IVAL: kind = .integer
                case PG_QUERY__A__CONST__VAL_FVAL: kind = .float
                case PG_QUERY__A__CONST__VAL_BOOLVAL: kind = .boolean
                case PG_QUERY__A__CONST__VAL_BSVAL: kind = .bitString
                default: kind = .string
                }
            }
            return .constant(kind, location: Int(constant.location))
        default:
            break
        }
        return .other(location: fallbackLocation)
    }
}
