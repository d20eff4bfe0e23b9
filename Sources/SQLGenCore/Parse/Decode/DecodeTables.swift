import CPgQuery

extension ParseTreeDecoder {
    func createTable(_ pointer: UnsafeMutablePointer<PgQuery__CreateStmt>) -> CreateTable {
        let create = pointer.pointee
        var elements: [TableElement] = []
        for element in nodes(create.n_table_elts, create.table_elts) {
            switch element.pointee.node_case {
            case PG_QUERY__NODE__NODE_COLUMN_DEF:
                if let column = element.pointee.column_def { elements.append(.column(columnDefinition(column))) }
            case PG_QUERY__NODE__NODE_CONSTRAINT:
                if let constraint = element.pointee.constraint {
                    elements.append(.constraint(self.constraint(constraint)))
                }
            case PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE:
                if let like = element.pointee.table_like_clause {
                    elements.append(.like(qualifiedName(like.pointee.relation)))
                }
            default:
                break
            }
        }
        for node in nodes(create.n_constraints, create.constraints)
        where node.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT {
            if let constraint = node.pointee.constraint { elements.append(.constraint(self.constraint(constraint))) }
        }
        let parents = nodes(create.n_inh_relations, create.inh_relations).compactMap { node in
            node.pointee.node_case == PG_QUERY__NODE__NODE_RANGE_VAR ? qualifiedName(node.pointee.range_var) : nil
        }
        var statement = CreateTable(
            name: qualifiedName(create.relation),
            elements: elements,
            parents: parents,
            isPartition: create.partbound != nil,
            isPartitioned: create.partspec != nil,
            ifNotExists: create.if_not_exists != 0,
            ofType: typeReference(create.of_typename),
            isTemporary: create.relation.map { text($0.pointee.relpersistence) == "t" } ?? false
        )
        if let spec = create.partspec?.pointee {
            statement.partitionColumns = nodes(spec.n_part_params, spec.part_params).compactMap { node in
                node.pointee.partition_elem.flatMap { optionalText($0.pointee.name) }
            }
        }
        return statement
    }

    func alterTable(_ pointer: UnsafeMutablePointer<PgQuery__AlterTableStmt>) -> AlterTable {
        let alter = pointer.pointee
        var actions: [AlterTableAction] = []
        for node in nodes(alter.n_cmds, alter.cmds) where node.pointee.node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD
        {
            guard let command = node.pointee.alter_table_cmd?.pointee else { continue }
            actions.append(alterTableAction(command))
        }
        return AlterTable(table: qualifiedName(alter.relation), actions: actions, missingOK: alter.missing_ok != 0)
    }

    private func alterTableAction(_ command: PgQuery__AlterTableCmd) -> AlterTableAction {
        let name = text(command.name)
        let definition = command.def
        switch command.subtype {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn, PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse,
            PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnToView:
            guard let definition, definition.pointee.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF,
                let column = definition.pointee.column_def
            else { return .other }
            return .addColumn(columnDefinition(column), ifNotExists: command.missing_ok != 0)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn, PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
            return .dropColumn(name, missingOK: command.missing_ok != 0)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
            guard let definition, definition.pointee.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF,
                let column = definition.pointee.column_def, let type = typeReference(column.pointee.type_name)
            else { return .other }
            return .alterColumnType(name, type, hasUsing: column.pointee.raw_default != nil)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
            guard let definition, definition.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT,
                let constraint = definition.pointee.constraint
            else { return .other }
            return .addIdentity(name, always: text(constraint.pointee.generated_when) == "a")
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
            // The options are DefElems; `generated` carries 'a' or 'd' as an integer.
            var always: Bool?
            for node in definition.map({ nodes($0.pointee.list?.pointee.n_items ?? 0, $0.pointee.list?.pointee.items) })
                ?? []
            {
                guard let element = node.pointee.def_elem?.pointee, text(element.defname) == "generated",
                    let value = element.arg?.pointee.integer?.pointee.ival
                else { continue }
                always = value == Int32(UInt8(ascii: "a"))
            }
            return always.map { .setIdentityGeneration(name, always: $0) } ?? .other
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
            return .dropIdentity(name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
            return .setNotNull(name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
            return .dropNotNull(name)
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint, PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
            guard let definition, definition.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT,
                let constraint = definition.pointee.constraint
            else { return .other }
            return .addConstraint(self.constraint(constraint))
        default:
            return .other
        }
    }
}
