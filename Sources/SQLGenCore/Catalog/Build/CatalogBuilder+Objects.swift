extension CatalogBuilder {
    /// `CREATE SEQUENCE`: a relation of one row, as PostgreSQL shows a sequence to SELECT.
    mutating func createSequence(_ name: QualifiedName, ifNotExists: Bool) {
        guard let schema = targetSchema(name.schema, at: name.location) else { return }
        if catalog.schemas[schema]?.tables[name.name] != nil || catalog.schemas[schema]?.types[name.name] != nil {
            if !ifNotExists { error("relation \"\(name.name)\" already exists", at: name.location) }
            return
        }
        guard let bigint = builtinType("int8"), let boolean = builtinType("bool") else { return }
        catalog.schemas[schema]?.tables[name.name] = Table(
            schema: schema, name: name.name, kind: .sequence,
            columns: [
                Column(name: "last_value", type: bigint, isNotNull: true),
                Column(name: "log_cnt", type: bigint, isNotNull: true),
                Column(name: "is_called", type: boolean, isNotNull: true),
            ])
    }

    mutating func drop(_ drop: DropObjects) {
        for object in drop.objects {
            switch drop.kind {
            case .table, .view, .materializedView, .foreignTable:
                dropRelation(QualifiedName(parts: object.parts, location: object.location), drop: drop)
            case .sequence:
                // Sequences a serial or identity column owns are not tracked, so an unknown one is no error.
                let name = QualifiedName(parts: object.parts, location: object.location)
                if let (schema, table) = locate(name), table.kind == .sequence {
                    catalog.schemas[schema]?.tables.removeValue(forKey: table.name)
                }
            case .type, .domain:
                dropType(QualifiedName(parts: object.parts, location: object.location), drop: drop)
            case .schema:
                dropSchema(object.parts.last ?? "", drop: drop, at: object.location)
            case .function, .procedure:
                dropFunction(QualifiedName(parts: object.parts, location: object.location), drop: drop)
            case .extension:
                let name = object.parts.last ?? ""
                guard let schema = catalog.schemas.values.first(where: { $0.extensions.contains(name) }) else {
                    if !drop.missingOK { error("extension \"\(name)\" does not exist", at: object.location) }
                    continue
                }
                catalog.schemas[schema.name]?.extensions.removeAll { $0 == name }
            default:
                continue
            }
        }
    }

    private mutating func dropRelation(_ name: QualifiedName, drop: DropObjects) {
        let noun = drop.kind == .foreignTable ? "foreign table" : drop.kind.rawValue
        guard let (schema, table) = locate(name) else {
            if !drop.missingOK { error("\(noun) \"\(name)\" does not exist", at: name.location) }
            return
        }
        let matches: Bool
        switch drop.kind {
        case .table: matches = table.kind == .table || table.kind == .partitionedTable
        case .view: matches = table.kind == .view
        case .materializedView: matches = table.kind == .materializedView
        default: matches = false
        }
        guard matches else {
            error("\"\(name.name)\" is not a \(noun)", at: name.location)
            return
        }
        for child in descendants(of: table) {
            if !drop.cascade, child.kind != .table || !table.kind.isPartitioned {
                error("cannot drop \(noun) \(name.name) because other objects depend on it", at: name.location)
                return
            }
        }
        for child in descendants(of: table) { catalog.schemas[child.schema]?.tables.removeValue(forKey: child.name) }
        catalog.schemas[schema]?.tables.removeValue(forKey: table.name)
    }

    private mutating func dropType(_ name: QualifiedName, drop: DropObjects) {
        guard let type = catalog.userType(name) else {
            if !drop.missingOK { error("type \"\(name)\" does not exist", at: name.location) }
            return
        }
        let users = catalog.allTables.filter { table in
            table.columns.contains { $0.type.schema == type.schema && $0.type.name == type.name }
        }
        if !users.isEmpty {
            guard drop.cascade else {
                error("cannot drop type \(type.name) because other objects depend on it", at: name.location)
                return
            }
            for var table in users {
                table.columns.removeAll { $0.type.schema == type.schema && $0.type.name == type.name }
                store(table)
            }
        }
        catalog.schemas[type.schema]?.types.removeValue(forKey: type.name)
    }

    private mutating func dropSchema(_ name: String, drop: DropObjects, at offset: Int) {
        guard let schema = catalog.schemas[name] else {
            if !drop.missingOK { error("schema \"\(name)\" does not exist", at: offset) }
            return
        }
        guard schema.isEmpty || drop.cascade else {
            error("cannot drop schema \(name) because other objects depend on it", at: offset)
            return
        }
        catalog.schemas.removeValue(forKey: name)
    }

    private mutating func dropFunction(_ name: QualifiedName, drop: DropObjects) {
        let schemas = name.schema.map { [$0] } ?? catalog.existingSearchPath
        guard let schema = schemas.first(where: { catalog.schemas[$0]?.functions[name.name] != nil }) else {
            if !drop.missingOK { error("function \(name) does not exist", at: name.location) }
            return
        }
        catalog.schemas[schema]?.functions.removeValue(forKey: name.name)
    }

    mutating func comment(_ comment: CommentOn) {
        let parts = comment.object.parts
        let offset = comment.object.location
        switch comment.kind {
        case .table, .view, .materializedView, .foreignTable:
            let name = QualifiedName(parts: parts, location: offset)
            guard var table = locate(name)?.table else {
                error("relation \"\(name)\" does not exist", at: offset)
                return
            }
            table.comment = comment.text
            store(table)
        case .column:
            guard parts.count >= 2, var table = locate(QualifiedName(parts: Array(parts.dropLast())))?.table else {
                error("relation \"\(parts.dropLast().joined(separator: "."))\" does not exist", at: offset)
                return
            }
            guard let index = table.columnIndex(parts[parts.count - 1]) else {
                error("column \"\(parts[parts.count - 1])\" of relation \"\(table.name)\" does not exist", at: offset)
                return
            }
            table.columns[index].comment = comment.text
            store(table)
        case .type, .domain:
            guard let type = catalog.userType(QualifiedName(parts: parts)) else {
                error("type \"\(parts.joined(separator: "."))\" does not exist", at: offset)
                return
            }
            catalog.schemas[type.schema]?.types[type.name]?.comment = comment.text
        case .schema:
            guard let name = parts.last, catalog.schemas[name] != nil else {
                error("schema \"\(parts.joined(separator: "."))\" does not exist", at: offset)
                return
            }
            catalog.schemas[name]?.comment = comment.text
        case .function, .procedure:
            let name = QualifiedName(parts: parts)
            let schemas = name.schema.map { [$0] } ?? catalog.existingSearchPath
            guard let schema = schemas.first(where: { catalog.schemas[$0]?.functions[name.name] != nil }),
                var overloads = catalog.schemas[schema]?.functions[name.name]
            else {
                error("function \(name) does not exist", at: offset)
                return
            }
            for index in overloads.indices { overloads[index].comment = comment.text }
            catalog.schemas[schema]?.functions[name.name] = overloads
        default:
            break
        }
    }
}

extension RelationKind {
    /// Whether the relation is a partitioned table.
    var isPartitioned: Bool { self == .partitionedTable }
}
