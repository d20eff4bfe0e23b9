extension CatalogBuilder {
    mutating func rename(_ rename: RenameObject) {
        switch rename.kind {
        case .table, .view, .materializedView, .foreignTable:
            guard let relation = rename.relation, let (schema, table) = locate(relation) else {
                if !rename.missingOK { error("relation \"\(rename.relation?.description ?? "")\" does not exist") }
                return
            }
            guard catalog.schemas[schema]?.tables[rename.newName] == nil,
                catalog.schemas[schema]?.types[rename.newName] == nil
            else {
                error("relation \"\(rename.newName)\" already exists")
                return
            }
            var renamed = table
            renamed.name = rename.newName
            catalog.schemas[schema]?.tables.removeValue(forKey: table.name)
            catalog.schemas[schema]?.tables[renamed.name] = renamed
            for var child in catalog.allTables
            where child.parents.contains(QualifiedName(schema: schema, name: table.name)) {
                child.parents = child.parents.map {
                    $0 == QualifiedName(schema: schema, name: table.name)
                        ? QualifiedName(schema: schema, name: rename.newName) : $0
                }
                store(child)
            }
        case .column:
            renameColumn(rename)
        case .type, .domain:
            let name = QualifiedName(parts: rename.object?.parts ?? [])
            guard let type = catalog.userType(name) else {
                if !rename.missingOK { error("type \"\(name)\" does not exist") }
                return
            }
            guard ensureTypeNameFree(rename.newName, schema: type.schema, at: -1) else { return }
            var renamed = type
            renamed.name = rename.newName
            catalog.schemas[type.schema]?.types.removeValue(forKey: type.name)
            catalog.schemas[type.schema]?.types[renamed.name] = renamed
            replaceTypeReferences(schema: type.schema, name: type.name, newSchema: type.schema, newName: rename.newName)
        case .schema:
            let old = rename.subname ?? ""
            guard let schema = catalog.schemas[old] else {
                error("schema \"\(old)\" does not exist")
                return
            }
            guard catalog.schemas[rename.newName] == nil else {
                error("schema \"\(rename.newName)\" already exists")
                return
            }
            var moved = schema
            moved.name = rename.newName
            for key in moved.tables.keys { moved.tables[key]?.schema = rename.newName }
            for key in moved.types.keys { moved.types[key]?.schema = rename.newName }
            for key in moved.functions.keys {
                moved.functions[key] = moved.functions[key]?.map { function in
                    var copy = function
                    copy.schema = rename.newName
                    return copy
                }
            }
            catalog.schemas.removeValue(forKey: old)
            catalog.schemas[rename.newName] = moved
            for type in moved.types.values {
                replaceTypeReferences(schema: old, name: type.name, newSchema: rename.newName, newName: type.name)
            }
            catalog.searchPath = catalog.searchPath.map { $0 == old ? rename.newName : $0 }
        default:
            break
        }
    }

    /// RENAME COLUMN of a table or view, or RENAME ATTRIBUTE of a composite type.
    private mutating func renameColumn(_ rename: RenameObject) {
        guard let relation = rename.relation, let old = rename.subname else { return }
        if let (_, found) = locate(relation) {
            var table = found
            guard let index = table.columnIndex(old) else {
                error("column \"\(old)\" does not exist")
                return
            }
            guard table.columnIndex(rename.newName) == nil else {
                error("column \"\(rename.newName)\" of relation \"\(table.name)\" already exists")
                return
            }
            table.columns[index].name = rename.newName
            table.primaryKey = table.primaryKey.map { $0 == old ? rename.newName : $0 }
            table.uniqueKeys = table.uniqueKeys.map { key in key.map { $0 == old ? rename.newName : $0 } }
            store(table)
            for var child in descendants(of: found) {
                if let childIndex = child.columnIndex(old) { child.columns[childIndex].name = rename.newName }
                store(child)
            }
            return
        }
        if let type = catalog.userType(relation), case .composite(var fields) = type.kind {
            guard let index = fields.firstIndex(where: { $0.name == old }) else {
                error("column \"\(old)\" does not exist")
                return
            }
            fields[index].name = rename.newName
            catalog.schemas[type.schema]?.types[type.name]?.kind = .composite(fields)
            return
        }
        if !rename.missingOK { error("relation \"\(relation)\" does not exist", at: relation.location) }
    }

    mutating func setSchema(_ setSchema: SetSchema) {
        guard catalog.schemas[setSchema.newSchema] != nil else {
            error("schema \"\(setSchema.newSchema)\" does not exist")
            return
        }
        switch setSchema.kind {
        case .table, .view, .materializedView, .foreignTable:
            guard let relation = setSchema.relation, let (schema, table) = locate(relation) else {
                if !setSchema.missingOK {
                    error("relation \"\(setSchema.relation?.description ?? "")\" does not exist")
                }
                return
            }
            guard catalog.schemas[setSchema.newSchema]?.tables[table.name] == nil else {
                error("relation \"\(table.name)\" already exists in schema \"\(setSchema.newSchema)\"")
                return
            }
            var moved = table
            moved.schema = setSchema.newSchema
            catalog.schemas[schema]?.tables.removeValue(forKey: table.name)
            catalog.schemas[setSchema.newSchema]?.tables[table.name] = moved
        case .type, .domain:
            let name = QualifiedName(parts: setSchema.object?.parts ?? [])
            guard let type = catalog.userType(name) else {
                if !setSchema.missingOK { error("type \"\(name)\" does not exist") }
                return
            }
            guard ensureTypeNameFree(type.name, schema: setSchema.newSchema, at: -1) else { return }
            var moved = type
            moved.schema = setSchema.newSchema
            catalog.schemas[type.schema]?.types.removeValue(forKey: type.name)
            catalog.schemas[setSchema.newSchema]?.types[type.name] = moved
            replaceTypeReferences(
                schema: type.schema, name: type.name, newSchema: setSchema.newSchema, newName: type.name)
        case .function, .procedure:
            let name = QualifiedName(parts: setSchema.object?.parts ?? [])
            let schemas = name.schema.map { [$0] } ?? catalog.existingSearchPath
            guard let schema = schemas.first(where: { catalog.schemas[$0]?.functions[name.name] != nil }),
                let overloads = catalog.schemas[schema]?.functions[name.name]
            else {
                if !setSchema.missingOK { error("function \(name) does not exist") }
                return
            }
            catalog.schemas[schema]?.functions.removeValue(forKey: name.name)
            catalog.schemas[setSchema.newSchema]?.functions[name.name] = overloads.map { function in
                var copy = function
                copy.schema = setSchema.newSchema
                return copy
            }
        default:
            break
        }
    }
}
