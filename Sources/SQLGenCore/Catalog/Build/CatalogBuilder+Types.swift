extension CatalogBuilder {
    /// The serial pseudo-types and the integer type each stands for.
    static let serialTypes: [String: String] = [
        "serial": "int4", "serial4": "int4", "bigserial": "int8", "serial8": "int8", "smallserial": "int2",
        "serial2": "int2",
    ]

    /// Resolves a type as written, reporting `type "x" does not exist` when it is unknown.
    mutating func resolveType(_ reference: TypeReference) -> SQLType? {
        if let type = lookUpType(reference) { return type }
        if reference.copiesColumnType {
            error(
                "column \"\(reference.names.joined(separator: "."))\" referenced in %TYPE does not exist",
                at: reference.location)
        } else {
            error(
                "type \"\(reference.names.joined(separator: "."))\" does not exist"
                    + unknownExtensionHint(for: reference.names.last), at: reference.location)
        }
        return nil
    }

    /// Resolves a type as written, or nil when it is unknown.
    func lookUpType(_ reference: TypeReference) -> SQLType? {
        var names = reference.names
        if names.count > 2, !reference.copiesColumnType { names = Array(names.suffix(2)) }
        guard let last = names.last else { return nil }
        var resolved: SQLType?
        if reference.copiesColumnType {
            guard names.count >= 2 else { return nil }
            let table = QualifiedName(parts: Array(names.dropLast()))
            resolved = catalog.table(table)?.column(named: last)?.type
        } else if names.count == 2 {
            resolved = names[0] == "pg_catalog" ? builtinType(last) : typeInSchema(last, schema: names[0])
        } else {
            resolved = builtinType(last)
            for schema in catalog.existingSearchPath where resolved == nil {
                resolved = typeInSchema(last, schema: schema)
            }
        }
        guard var type = resolved else { return nil }
        if !reference.copiesColumnType { type.modifiers = reference.modifiers }
        type.arrayDimensions += reference.arrayDimensions
        return type
    }

    /// A core type by internal name; array types (`_int4`) come back as their element with one dimension.
    func builtinType(_ name: String) -> SQLType? {
        let builtins = catalog.builtins
        guard let type = builtins.coreType(named: name) else { return nil }
        if type.category == UInt8(ascii: "A"), let element = builtins.typesByOID[type.elementOID] {
            return SQLType(
                name: element.name, displayName: element.displayName, arrayDimensions: 1,
                builtinOID: element.oid)
        }
        return SQLType(name: type.name, displayName: type.displayName, builtinOID: type.oid)
    }

    /// A user-defined type, or a type of an extension installed there, in one schema.
    func typeInSchema(_ name: String, schema: String) -> SQLType? {
        guard let catalogSchema = catalog.schemas[schema] else { return nil }
        if let type = catalogSchema.types[name] { return type.sqlType }
        if catalogSchema.tables[name] != nil {
            // Every table and view is also a composite type of its row.
            return SQLType(schema: schema, name: name, displayName: name)
        }
        for extensionName in catalogSchema.extensions {
            if let oid = catalog.builtins.extensionTypes[extensionName]?[name] {
                return SQLType(schema: schema, name: name, displayName: name, builtinOID: oid)
            }
        }
        return nil
    }

    /// Checks that no relation or type of that name exists in the schema (they share pg_type's names).
    mutating func ensureTypeNameFree(_ name: String, schema: String, at offset: Int) -> Bool {
        if catalog.schemas[schema]?.types[name] != nil || catalog.schemas[schema]?.tables[name] != nil {
            error("type \"\(name)\" already exists", at: offset)
            return false
        }
        return true
    }

    mutating func createEnum(_ create: CreateEnum) {
        guard let schema = targetSchema(create.name.schema, at: create.name.location),
            ensureTypeNameFree(create.name.name, schema: schema, at: create.name.location)
        else { return }
        var seen = Set<String>()
        for label in create.labels where !seen.insert(label).inserted {
            error("enum label \"\(label)\" used more than once")
            return
        }
        catalog.schemas[schema]?.types[create.name.name] = UserType(
            schema: schema, name: create.name.name, kind: .enumeration(create.labels))
    }

    mutating func alterEnum(_ alter: AlterEnum) {
        guard let type = catalog.userType(alter.name), case .enumeration(var labels) = type.kind else {
            if catalog.userType(alter.name) != nil {
                error("\"\(alter.name)\" is not an enum")
            } else {
                error("type \"\(alter.name)\" does not exist")
            }
            return
        }
        if let old = alter.oldLabel {
            guard let index = labels.firstIndex(of: old) else {
                error("\"\(old)\" is not an existing enum label")
                return
            }
            guard !labels.contains(alter.newLabel) else {
                error("enum label \"\(alter.newLabel)\" already exists")
                return
            }
            labels[index] = alter.newLabel
        } else {
            if labels.contains(alter.newLabel) {
                if !alter.ifNotExists { error("enum label \"\(alter.newLabel)\" already exists") }
                return
            }
            if let neighbor = alter.neighbor {
                guard let index = labels.firstIndex(of: neighbor) else {
                    error("\"\(neighbor)\" is not an existing enum label")
                    return
                }
                labels.insert(alter.newLabel, at: alter.isAfter ? index + 1 : index)
            } else {
                labels.append(alter.newLabel)
            }
        }
        catalog.schemas[type.schema]?.types[type.name]?.kind = .enumeration(labels)
    }

    mutating func createCompositeType(_ create: CreateCompositeType) {
        guard let schema = targetSchema(create.name.schema, at: create.name.location),
            ensureTypeNameFree(create.name.name, schema: schema, at: create.name.location)
        else { return }
        var fields: [Column] = []
        for field in create.fields {
            guard let reference = field.type, let type = resolveType(reference) else { continue }
            if fields.contains(where: { $0.name == field.name }) {
                error("column \"\(field.name)\" specified more than once", at: field.location)
                continue
            }
            fields.append(Column(name: field.name, type: type))
        }
        catalog.schemas[schema]?.types[create.name.name] = UserType(
            schema: schema, name: create.name.name, kind: .composite(fields))
    }

    mutating func createDomain(_ create: CreateDomain) {
        guard let schema = targetSchema(create.name.schema, at: create.name.location),
            ensureTypeNameFree(create.name.name, schema: schema, at: create.name.location),
            let base = resolveType(create.baseType)
        else { return }
        var notNull = false
        for constraint in create.constraints {
            if constraint.kind == .notNull { notNull = true }
            if constraint.kind == .null { notNull = false }
        }
        catalog.schemas[schema]?.types[create.name.name] = UserType(
            schema: schema, name: create.name.name, kind: .domain(base: base, isNotNull: notNull))
    }

    /// Rewrites every use of a type (columns, fields, domains, functions) after it is renamed or moved.
    mutating func replaceTypeReferences(schema: String, name: String, newSchema: String, newName: String) {
        func update(_ type: inout SQLType) {
            if type.schema == schema, type.name == name {
                type.schema = newSchema
                type.name = newName
                type.displayName = newName
            }
        }
        for schemaName in catalog.schemas.keys {
            guard var object = catalog.schemas[schemaName] else { continue }
            for key in object.tables.keys {
                guard var table = object.tables[key] else { continue }
                for index in table.columns.indices { update(&table.columns[index].type) }
                object.tables[key] = table
            }
            for key in object.types.keys {
                guard var type = object.types[key] else { continue }
                switch type.kind {
                case .composite(var fields):
                    for index in fields.indices { update(&fields[index].type) }
                    type.kind = .composite(fields)
                case .domain(var base, let notNull):
                    update(&base)
                    type.kind = .domain(base: base, isNotNull: notNull)
                case .enumeration:
                    break
                }
                object.types[key] = type
            }
            for key in object.functions.keys {
                guard var overloads = object.functions[key] else { continue }
                for index in overloads.indices {
                    for parameter in overloads[index].parameters.indices {
                        update(&overloads[index].parameters[parameter].type)
                    }
                    for column in overloads[index].resultColumns.indices {
                        update(&overloads[index].resultColumns[column].type)
                    }
                    if var returnType = overloads[index].returnType {
                        update(&returnType)
                        overloads[index].returnType = returnType
                    }
                }
                object.functions[key] = overloads
            }
            catalog.schemas[schemaName] = object
        }
    }

    /// For a type not found where an extension sqlgen has no catalog for is installed: which extensions
    /// may define it, and what to do.
    func unknownExtensionHint(for name: String? = nil) -> String {
        if let name, let owner = catalog.builtins.declarations.first(where: { $0.types.contains { $0.name == name } }),
            !catalog.schemas.values.contains(where: { $0.extensions.contains(owner.name) })
        {
            return
                " (sqlgen.yaml declares it as a type of extension \"\(owner.name)\", which no schema file creates: add CREATE EXTENSION \(owner.name))"
        }
        let unknown = catalog.schemas.values.flatMap(\.extensions).filter {
            !catalog.builtins.knownExtensions.contains($0)
        }.sorted()
        guard !unknown.isEmpty else { return "" }
        let names = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
        return
            " (the schema installs \(unknown.count == 1 ? "extension" : "extensions") \(names), which sqlgen has no catalog for: "
            + "declare its types under 'extensions' in sqlgen.yaml, or cast such columns to text in queries)"
    }
}
