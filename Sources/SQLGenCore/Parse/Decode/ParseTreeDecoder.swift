import CPgQuery

/// Turns libpg_query's unpacked protobuf tree into the front end's Swift values.
///
/// Every access to a node's union member is guarded by its `node_case`, so a
/// tree of an unexpected shape decodes to `.other`/`.ignored`, never to a
/// misread pointer.
struct ParseTreeDecoder {
    let file: SourceFile

    func statement(_ node: NodePointer, location: Int, length: Int) -> StatementKind {
        let kind = node.pointee.node_case
        let value = node.pointee
        switch kind {
        case PG_QUERY__NODE__NODE_CREATE_STMT:
            guard let create = value.create_stmt else { break }
            return .createTable(createTable(create))
        case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
            guard let alter = value.alter_table_stmt else { break }
            // ALTER INDEX and ALTER SEQUENCE change nothing the catalog tracks.
            if [PG_QUERY__OBJECT_TYPE__OBJECT_INDEX, PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE].contains(
                alter.pointee.objtype)
            {
                return .ignored(keywords(at: location))
            }
            return .alterTable(alterTable(alter))
        case PG_QUERY__NODE__NODE_INDEX_STMT:
            guard let index = value.index_stmt?.pointee else { break }
            var columns: [String]? = []
            for element in nodes(index.n_index_params, index.index_params)
            where element.pointee.node_case == PG_QUERY__NODE__NODE_INDEX_ELEM {
                guard let name = element.pointee.index_elem.flatMap({ optionalText($0.pointee.name) }) else {
                    columns = nil
                    break
                }
                columns?.append(name)
            }
            return .createIndex(
                CreateIndex(
                    table: qualifiedName(index.relation), isUnique: index.unique != 0, columns: columns,
                    isPartial: index.where_clause != nil))
        case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
            guard let create = value.create_enum_stmt?.pointee else { break }
            return .createEnum(
                CreateEnum(
                    name: QualifiedName(parts: stringValues(create.n_type_name, create.type_name), location: location),
                    labels: stringValues(create.n_vals, create.vals)))
        case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
            guard let alter = value.alter_enum_stmt?.pointee else { break }
            return .alterEnum(
                AlterEnum(
                    name: QualifiedName(parts: stringValues(alter.n_type_name, alter.type_name), location: location),
                    oldLabel: optionalText(alter.old_val),
                    newLabel: text(alter.new_val),
                    neighbor: optionalText(alter.new_val_neighbor),
                    isAfter: alter.new_val_is_after != 0,
                    ifNotExists: alter.skip_if_new_val_exists != 0))
        case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
            guard let create = value.composite_type_stmt?.pointee else { break }
            return .createCompositeType(
                CreateCompositeType(
                    name: qualifiedName(create.typevar),
                    fields: columnDefinitions(create.n_coldeflist, create.coldeflist)))
        case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
            guard let create = value.create_domain_stmt?.pointee, let base = typeReference(create.type_name) else {
                break
            }
            let constraints = nodes(create.n_constraints, create.constraints).compactMap { node in
                node.pointee.node_case == PG_QUERY__NODE__NODE_CONSTRAINT
                    ? node.pointee.constraint.map(constraint) : nil
            }
            return .createDomain(
                CreateDomain(
                    name: QualifiedName(
                        parts: stringValues(create.n_domainname, create.domainname), location: location),
                    baseType: base, constraints: constraints))
        case PG_QUERY__NODE__NODE_VIEW_STMT:
            guard let view = value.view_stmt?.pointee else { break }
            return .createView(
                CreateView(
                    name: qualifiedName(view.view),
                    columnAliases: stringValues(view.n_aliases, view.aliases),
                    query: selectStatement(node: view.query, location: location),
                    materialized: false, orReplace: view.replace != 0, ifNotExists: false))
        case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
            guard let create = value.create_table_as_stmt?.pointee, let into = create.into?.pointee else { break }
            if create.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW {
                return .createView(
                    CreateView(
                        name: qualifiedName(into.rel),
                        columnAliases: stringValues(into.n_col_names, into.col_names),
                        query: selectStatement(node: create.query, location: location),
                        materialized: true, orReplace: false, ifNotExists: create.if_not_exists != 0))
            }
            return .createView(
                CreateView(
                    name: qualifiedName(into.rel), columnAliases: stringValues(into.n_col_names, into.col_names),
                    query: selectStatement(node: create.query, location: location), materialized: false,
                    orReplace: false, ifNotExists: create.if_not_exists != 0, asTable: true))
        case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
            guard let create = value.create_seq_stmt?.pointee else { break }
            return .createSequence(qualifiedName(create.sequence), ifNotExists: create.if_not_exists != 0)
        case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
            guard let create = value.create_function_stmt else { break }
            return .createFunction(createFunction(create, location: location))
        case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
            guard let create = value.create_extension_stmt?.pointee else { break }
            return .createExtension(
                CreateExtension(
                    name: text(create.extname), ifNotExists: create.if_not_exists != 0,
                    schema: definitionStrings(create.n_options, create.options)["schema"], location: location))
        case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
            guard let create = value.create_schema_stmt?.pointee else { break }
            let elements = nodes(create.n_schema_elts, create.schema_elts).map { element in
                Statement(
                    kind: statement(element, location: location, length: length), location: location, length: length)
            }
            return .createSchema(
                CreateSchema(name: text(create.schemaname), ifNotExists: create.if_not_exists != 0, elements: elements))
        case PG_QUERY__NODE__NODE_DROP_STMT:
            guard let drop = value.drop_stmt?.pointee else { break }
            return .drop(
                DropObjects(
                    kind: objectKind(drop.remove_type),
                    objects: nodes(drop.n_objects, drop.objects).map { objectName($0, fallbackLocation: location) },
                    missingOK: drop.missing_ok != 0,
                    cascade: drop.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE))
        case PG_QUERY__NODE__NODE_COMMENT_STMT:
            guard let comment = value.comment_stmt?.pointee else { break }
            return .comment(
                CommentOn(
                    kind: objectKind(comment.objtype),
                    object: objectName(comment.object, fallbackLocation: location),
                    text: optionalText(comment.comment)))
        case PG_QUERY__NODE__NODE_RENAME_STMT:
            guard let rename = value.rename_stmt?.pointee else { break }
            return .rename(
                RenameObject(
                    kind: objectKind(rename.rename_type),
                    relation: rename.relation.map { qualifiedName($0) },
                    object: rename.object.map { objectName($0, fallbackLocation: location) },
                    subname: optionalText(rename.subname),
                    newName: text(rename.newname),
                    missingOK: rename.missing_ok != 0))
        case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
            guard let alter = value.alter_object_schema_stmt?.pointee else { break }
            return .setSchema(
                SetSchema(
                    kind: objectKind(alter.object_type),
                    relation: alter.relation.map { qualifiedName($0) },
                    object: alter.object.map { objectName($0, fallbackLocation: location) },
                    newSchema: text(alter.newschema),
                    missingOK: alter.missing_ok != 0))
        case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
            guard let set = value.variable_set_stmt?.pointee, text(set.name).lowercased() == "search_path",
                set.is_local == 0, set.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE
            else { break }
            return .setSearchPath(nodes(set.n_args, set.args).compactMap(constantString))
        case PG_QUERY__NODE__NODE_SELECT_STMT where value.select_stmt?.pointee.into_clause != nil:
            // `SELECT ... INTO t` creates a table, as CREATE TABLE t AS SELECT ... does.
            guard let into = value.select_stmt?.pointee.into_clause?.pointee else { break }
            return .createView(
                CreateView(
                    name: qualifiedName(into.rel), columnAliases: stringValues(into.n_col_names, into.col_names),
                    query: selectStatement(node: node, location: location), materialized: false, orReplace: false,
                    ifNotExists: false, asTable: true))
        case PG_QUERY__NODE__NODE_SELECT_STMT, PG_QUERY__NODE__NODE_INSERT_STMT, PG_QUERY__NODE__NODE_UPDATE_STMT,
            PG_QUERY__NODE__NODE_DELETE_STMT:
            guard let statement = dataStatement(node) else { break }
            return .query(statement)
        case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
            guard let truncate = value.truncate_stmt?.pointee else { break }
            return utility(at: location, relations: rangeVars(truncate.n_relations, truncate.relations))
        case PG_QUERY__NODE__NODE_LOCK_STMT:
            guard let lock = value.lock_stmt?.pointee else { break }
            return utility(at: location, relations: rangeVars(lock.n_relations, lock.relations))
        case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
            guard let refresh = value.refresh_mat_view_stmt?.pointee else { break }
            return utility(at: location, relations: [qualifiedName(refresh.relation)])
        case PG_QUERY__NODE__NODE_VACUUM_STMT:
            guard let vacuum = value.vacuum_stmt?.pointee else { break }
            let relations = nodes(vacuum.n_rels, vacuum.rels).compactMap { node in
                node.pointee.node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION
                    ? node.pointee.vacuum_relation.map { qualifiedName($0.pointee.relation) } : nil
            }
            return utility(at: location, relations: relations)
        case PG_QUERY__NODE__NODE_DO_STMT, PG_QUERY__NODE__NODE_DEFINE_STMT,
            PG_QUERY__NODE__NODE_CREATE_RANGE_STMT, PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT,
            PG_QUERY__NODE__NODE_CREATE_CAST_STMT, PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT,
            PG_QUERY__NODE__NODE_ALTER_TYPE_STMT, PG_QUERY__NODE__NODE_CREATE_PLANG_STMT,
            PG_QUERY__NODE__NODE_RULE_STMT, PG_QUERY__NODE__NODE_EXECUTE_STMT:
            return .opaque(keywords(at: location))
        case PG_QUERY__NODE__NODE_CALL_STMT:
            guard let call = value.call_stmt?.pointee.funccall else { break }
            return .query(.call(functionCall(call)))
        default:
            return .ignored(keywords(at: location))
        }
        return .ignored(keywords(at: location))
    }

    /// The first two words of the statement at `location`, upper-cased, for
    /// messages about statements the catalog skips ("DO", "CREATE TRIGGER").
    /// A maintenance statement at `location` naming `relations`.
    private func utility(at location: Int, relations: [QualifiedName]) -> StatementKind {
        .utility(UtilityStatement(keywords: keywords(at: location), relations: relations))
    }

    /// The relations of a list of `RangeVar` nodes.
    private func rangeVars(_ count: Int, _ base: NodeArray?) -> [QualifiedName] {
        nodes(count, base).compactMap { node in
            node.pointee.node_case == PG_QUERY__NODE__NODE_RANGE_VAR ? qualifiedName(node.pointee.range_var) : nil
        }
    }

    func keywords(at location: Int) -> String {
        var words: [String] = []
        var current = ""
        var index = max(0, location)
        let bytes = file.bytes
        while index < bytes.count, words.count < 2 {
            let byte = bytes[index]
            let isWordByte =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
            if isWordByte {
                current.append(Character(Unicode.Scalar(byte)))
            } else {
                if !current.isEmpty { words.append(current.uppercased()) }
                current = ""
                if words.count == 1, words[0] == "DO" { break }
                if !(byte == 32 || byte == 9 || byte == 10 || byte == 13) { break }
            }
            index += 1
        }
        if !current.isEmpty, words.count < 2 { words.append(current.uppercased()) }
        return words.joined(separator: " ")
    }
}
