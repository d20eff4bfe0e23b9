import CPgQuery

extension ParseTreeDecoder {
    func qualifiedName(_ rangeVar: UnsafeMutablePointer<PgQuery__RangeVar>?) -> QualifiedName {
        guard let rangeVar else { return QualifiedName(name: "") }
        return QualifiedName(
            schema: optionalText(rangeVar.pointee.schemaname),
            name: text(rangeVar.pointee.relname),
            location: Int(rangeVar.pointee.location)
        )
    }

    func typeReference(_ typeName: UnsafeMutablePointer<PgQuery__TypeName>?) -> TypeReference? {
        guard let typeName else { return nil }
        let type = typeName.pointee
        var modifiers: [Int] = []
        for modifier in nodes(type.n_typmods, type.typmods) {
            if modifier.pointee.node_case == PG_QUERY__NODE__NODE_A_CONST, let constant = modifier.pointee.a_const,
                constant.pointee.val_case == PG_QUERY__A__CONST__VAL_IVAL, let integer = constant.pointee.ival
            {
                modifiers.append(Int(integer.pointee.ival))
            }
        }
        return TypeReference(
            names: stringValues(type.n_names, type.names),
            modifiers: modifiers,
            arrayDimensions: type.n_array_bounds,
            isSetOf: type.setof != 0,
            copiesColumnType: type.pct_type != 0,
            location: Int(type.location)
        )
    }

    func objectKind(_ type: PgQuery__ObjectType) -> ObjectKind {
        switch type {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: .table
        case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: .view
        case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: .materializedView
        case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE: .type
        case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: .domain
        case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: .schema
        case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION: .function
        case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE, PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: .procedure
        case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION: .extension
        case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: .index
        case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: .sequence
        case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN, PG_QUERY__OBJECT_TYPE__OBJECT_ATTRIBUTE: .column
        case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: .trigger
        case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: .policy
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT, PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT: .constraint
        case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: .foreignTable
        default: .other
        }
    }

    /// The name of an object as DROP and COMMENT ON carry it: a list of
    /// strings, a single string, a type name, or a function with arguments.
    func objectName(_ node: NodePointer?, fallbackLocation: Int) -> ObjectName {
        guard let node else { return ObjectName(parts: [], location: fallbackLocation) }
        switch node.pointee.node_case {
        case PG_QUERY__NODE__NODE_LIST:
            return ObjectName(parts: stringValues(ofList: node), location: fallbackLocation)
        case PG_QUERY__NODE__NODE_STRING:
            return ObjectName(parts: [stringValue(node) ?? ""], location: fallbackLocation)
        case PG_QUERY__NODE__NODE_TYPE_NAME:
            let type = typeReference(node.pointee.type_name)
            return ObjectName(parts: type?.names ?? [], location: type?.location ?? fallbackLocation)
        case PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS:
            guard let object = node.pointee.object_with_args else { break }
            return ObjectName(
                parts: stringValues(object.pointee.n_objname, object.pointee.objname), location: fallbackLocation)
        default:
            break
        }
        return ObjectName(parts: [], location: fallbackLocation)
    }
}
