import CPgQuery

extension ParseTreeDecoder {
    func constraint(_ pointer: UnsafeMutablePointer<PgQuery__Constraint>) -> ConstraintDefinition {
        let constraint = pointer.pointee
        let kind: ConstraintKind
        switch constraint.contype {
        case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: kind = .null
        case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: kind = .notNull
        case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: kind = .defaultValue
        case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: kind = .identity
        case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED: kind = .generated
        case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: kind = .check
        case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: kind = .primaryKey
        case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: kind = .unique
        case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION: kind = .exclusion
        case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: kind = .foreignKey
        default: kind = .attribute
        }
        let columns =
            kind == .foreignKey
            ? stringValues(constraint.n_fk_attrs, constraint.fk_attrs)
            : stringValues(constraint.n_keys, constraint.keys)
        var definition = ConstraintDefinition(
            kind: kind,
            name: optionalText(constraint.conname),
            columns: columns,
            referencedTable: constraint.pktable.map { qualifiedName($0) },
            location: Int(constraint.location)
        )
        definition.generatedAlways = text(constraint.generated_when) == "a"
        definition.referencedColumns = stringValues(constraint.n_pk_attrs, constraint.pk_attrs)
        return definition
    }

    func columnDefinition(_ pointer: UnsafeMutablePointer<PgQuery__ColumnDef>) -> ColumnDefinition {
        let column = pointer.pointee
        var constraints: [ConstraintDefinition] = []
        if column.is_not_null != 0 {
            constraints.append(ConstraintDefinition(kind: .notNull, location: Int(column.location)))
        }
        for node in nodes(column.n_constraints, column.constraints) {
            if node.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT,
                let constraintPointer = node.pointee.constraint
            {
                constraints.append(constraint(constraintPointer))
            }
        }
        return ColumnDefinition(
            name: text(column.colname),
            type: typeReference(column.type_name),
            constraints: constraints,
            location: Int(column.location)
        )
    }

    func columnDefinitions(_ count: Int, _ base: NodeArray?) -> [ColumnDefinition] {
        nodes(count, base).compactMap { node in
            guard node.pointee.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF, let column = node.pointee.column_def else {
                return nil
            }
            return columnDefinition(column)
        }
    }
}
