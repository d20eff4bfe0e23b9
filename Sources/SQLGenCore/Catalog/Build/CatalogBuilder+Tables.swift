extension CatalogBuilder {
    /// Where a table lives: its schema and name, resolved through the search path.
    func locate(_ name: QualifiedName) -> (schema: String, table: Table)? {
        if let schema = name.schema {
            return catalog.schemas[schema]?.tables[name.name].map { (schema, $0) }
        }
        // Temporary tables come first, as PostgreSQL searches pg_temp first for relations.
        for schema in ["pg_temp"] + catalog.existingSearchPath {
            if let table = catalog.schemas[schema]?.tables[name.name] { return (schema, table) }
        }
        return nil
    }

    /// Stores a changed table back into its schema.
    mutating func store(_ table: Table) {
        catalog.schemas[table.schema]?.tables[table.name] = table
    }

    /// A column from its definition: resolved type, NOT NULL, default, identity and generation.
    mutating func column(from definition: ColumnDefinition) -> Column? {
        guard let reference = definition.type else { return nil }
        var column: Column
        if reference.names.count == 1, reference.arrayDimensions == 0,
            let integer = Self.serialTypes[reference.names[0]], let type = builtinType(integer)
        {
            column = Column(name: definition.name, type: type, isNotNull: true, hasDefault: true)
        } else {
            guard let type = resolveType(reference) else { return nil }
            column = Column(name: definition.name, type: type)
        }
        apply(definition.constraints, to: &column)
        return column
    }

    /// Applies column constraints (NOT NULL, NULL, PRIMARY KEY, DEFAULT, identity, generated).
    func apply(_ constraints: [ConstraintDefinition], to column: inout Column) {
        for constraint in constraints {
            switch constraint.kind {
            case .notNull, .primaryKey: column.isNotNull = true
            case .null: column.isNotNull = false
            case .defaultValue: column.hasDefault = true
            case .identity:
                column.isIdentity = true
                column.isIdentityAlways = constraint.generatedAlways
                column.isNotNull = true
                column.hasDefault = true
            case .generated:
                column.isGenerated = true
                column.hasDefault = true
            default: break
            }
        }
    }

    mutating func createTable(_ create: CreateTable) {
        let temporary = create.isTemporary || create.name.schema == "pg_temp"
        if temporary, catalog.schemas["pg_temp"] == nil {
            // A migration's scratch table: kept where later DDL of the script finds it, never on a query's path.
            catalog.schemas["pg_temp"] = CatalogSchema(name: "pg_temp")
        }
        guard let schema = temporary ? "pg_temp" : targetSchema(create.name.schema, at: create.name.location)
        else { return }
        if catalog.schemas[schema]?.tables[create.name.name] != nil
            || catalog.schemas[schema]?.types[create.name.name] != nil
        {
            if !create.ifNotExists {
                error("relation \"\(create.name.name)\" already exists", at: create.name.location)
            }
            return
        }
        var table = Table(
            schema: schema, name: create.name.name, kind: create.isPartitioned ? .partitionedTable : .table)
        table.partitionColumns = create.partitionColumns
        if let ofType = create.ofType {
            guard let type = resolveType(ofType) else { return }
            guard let userType = catalog.schemas[type.schema ?? ""]?.types[type.name],
                case .composite(let fields) = userType.kind
            else {
                error("type \(type.formatted) is not a composite type", at: ofType.location)
                return
            }
            table.columns = fields
        }
        for parent in create.parents {
            guard let (_, parentTable) = locate(parent) else {
                error("relation \"\(parent)\" does not exist", at: parent.location)
                return
            }
            table.parents.append(QualifiedName(schema: parentTable.schema, name: parentTable.name))
            for inherited in parentTable.columns {
                var copy = inherited
                copy.comment = nil
                if let index = table.columnIndex(inherited.name) {
                    table.columns[index].isNotNull = table.columns[index].isNotNull || inherited.isNotNull
                } else {
                    table.columns.append(copy)
                }
            }
        }
        var pendingKeys: [ConstraintDefinition] = []
        for element in create.elements {
            switch element {
            case .column(let definition): checkReferences(definition.constraints, of: create.name)
            case .constraint(let constraint): checkReferences([constraint], of: create.name)
            case .like: break
            }
        }
        for element in create.elements {
            switch element {
            case .column(let definition):
                if definition.type == nil {
                    guard let index = table.columnIndex(definition.name) else {
                        error(
                            "column \"\(definition.name)\" named in partition does not exist", at: definition.location)
                        continue
                    }
                    apply(definition.constraints, to: &table.columns[index])
                } else {
                    addColumn(definition, to: &table, inherited: !create.parents.isEmpty)
                }
                if definition.constraints.contains(where: { $0.kind == .primaryKey }) {
                    pendingKeys.append(
                        ConstraintDefinition(
                            kind: .primaryKey, columns: [definition.name], location: definition.location))
                }
                for constraint in definition.constraints where constraint.kind == .unique {
                    if includesPartitionKey([definition.name], of: table, at: constraint.location) {
                        table.uniqueKeys.append([definition.name])
                    }
                }
            case .like(let source):
                guard let (_, sourceTable) = locate(source) else {
                    error("relation \"\(source)\" does not exist", at: source.location)
                    continue
                }
                for column in sourceTable.columns {
                    if table.columnIndex(column.name) != nil {
                        error("column \"\(column.name)\" specified more than once", at: source.location)
                        continue
                    }
                    table.columns.append(
                        Column(
                            name: column.name, type: column.type, isNotNull: column.isNotNull,
                            isGenerated: false, isIdentity: false))
                }
            case .constraint(let constraint):
                pendingKeys.append(constraint)
            }
        }
        for constraint in pendingKeys {
            _ = addKey(constraint, to: &table)
        }
        catalog.schemas[schema]?.tables[table.name] = table
    }

    /// Adds a column of a CREATE TABLE body; a column also inherited merges with the parent's.
    private mutating func addColumn(_ definition: ColumnDefinition, to table: inout Table, inherited: Bool) {
        guard let column = column(from: definition) else { return }
        if let index = table.columnIndex(definition.name) {
            guard inherited, table.columns[index].type.withoutModifiers == column.type.withoutModifiers else {
                if inherited {
                    error("column \"\(definition.name)\" has a type conflict", at: definition.location)
                } else {
                    error("column \"\(definition.name)\" specified more than once", at: definition.location)
                }
                return
            }
            table.columns[index].isNotNull = table.columns[index].isNotNull || column.isNotNull
            table.columns[index].hasDefault = table.columns[index].hasDefault || column.hasDefault
            return
        }
        table.columns.append(column)
    }

    /// Applies a PRIMARY KEY or UNIQUE table constraint; a primary key makes its columns NOT NULL.
    mutating func addKey(_ constraint: ConstraintDefinition, to table: inout Table) -> Bool {
        guard constraint.kind == .primaryKey || constraint.kind == .unique else { return true }
        for name in constraint.columns where table.columnIndex(name) == nil {
            error("column \"\(name)\" named in key does not exist", at: constraint.location)
            return false
        }
        guard includesPartitionKey(constraint.columns, of: table, at: constraint.location) else { return false }
        if constraint.kind == .primaryKey {
            guard table.primaryKey.isEmpty else {
                error("multiple primary keys for table \"\(table.name)\" are not allowed", at: constraint.location)
                return false
            }
            table.primaryKey = constraint.columns
            for name in constraint.columns {
                if let index = table.columnIndex(name) { table.columns[index].isNotNull = true }
            }
        } else {
            table.uniqueKeys.append(constraint.columns)
        }
        return true
    }

    /// Whether a unique key of a partitioned table includes every column of its partition key (reported
    /// when not, as PostgreSQL does: each partition can only check uniqueness within itself).
    mutating func includesPartitionKey(_ columns: [String], of table: Table, at location: Int) -> Bool {
        guard let missing = table.partitionColumns.first(where: { !columns.contains($0) }) else { return true }
        error(
            "unique constraint on partitioned table must include all partitioning columns: the key of table \"\(table.name)\" lacks column \"\(missing)\", which is part of the partition key",
            at: location)
        return false
    }

    /// Whether ALTER COLUMN TYPE without USING can convert a column's values (an implicit or assignment
    /// cast, or the I/O conversion to a string type); nil where sqlgen cannot tell (a type that is not
    /// a core type), which is accepted.
    func castsAutomatically(_ source: SQLType, to target: SQLType) -> Bool? {
        guard source.schema == nil, target.schema == nil, let from = source.builtinOID, let to = target.builtinOID
        else { return nil }
        let stringTypes: Set<UInt32> = [25, 1043, 1042, 19]  // text, varchar, bpchar, name
        if !target.isArray, stringTypes.contains(to) { return true }
        guard source.isArray == target.isArray else { return false }
        if from == to { return true }
        if target.isArray, stringTypes.contains(to) { return true }
        guard let cast = catalog.builtins.casts[BuiltinCatalog.CastKey(source: from, target: to)] else { return false }
        return cast.context != UInt8(ascii: "e")
    }

    /// Tables that inherit from, or are partitions of, a table (recursively).
    func descendants(of table: Table) -> [Table] {
        let children = catalog.allTables.filter { candidate in
            candidate.parents.contains { $0.schema == table.schema && $0.name == table.name }
        }
        return children + children.flatMap { descendants(of: $0) }
    }

    /// Unique indexes on plain columns count as unique keys; other indexes change nothing the catalog tracks.
    mutating func createIndex(_ index: CreateIndex) {
        guard let (_, found) = locate(index.table) else {
            error("relation \"\(index.table)\" does not exist", at: index.table.location)
            return
        }
        var table = found
        if let columns = index.columns {
            for name in columns where table.columnIndex(name) == nil {
                error("column \"\(name)\" does not exist", at: index.table.location)
                return
            }
            if index.isUnique, !includesPartitionKey(columns, of: table, at: index.table.location) { return }
            if index.isUnique, !index.isPartial, !table.uniqueKeys.contains(columns) {
                table.uniqueKeys.append(columns)
                store(table)
            }
        }
    }

    mutating func alterTable(_ alter: AlterTable) {
        guard let (_, found) = locate(alter.table) else {
            if !alter.missingOK { error("relation \"\(alter.table)\" does not exist", at: alter.table.location) }
            return
        }
        var table = found
        for action in alter.actions {
            switch action {
            case .addConstraint(let constraint): checkReferences([constraint], of: alter.table)
            case .addColumn(let definition, _): checkReferences(definition.constraints, of: alter.table)
            default: break
            }
            switch action {
            case .addConstraint(let constraint):
                var changed = table
                if addKey(constraint, to: &changed) { table = changed }
                if constraint.kind == .primaryKey { propagateNotNull(constraint.columns, from: table) }
            case .other:
                break
            default:
                guard apply(action, to: &table) else { continue }
                for child in descendants(of: table) {
                    var descendant = child
                    if apply(action, to: &descendant) { store(descendant) }
                }
            }
        }
        store(table)
    }

    private mutating func propagateNotNull(_ columns: [String], from table: Table) {
        for child in descendants(of: table) {
            var descendant = child
            for name in columns {
                if let index = descendant.columnIndex(name) { descendant.columns[index].isNotNull = true }
            }
            store(descendant)
        }
    }

    /// Applies one column-level ALTER TABLE action; false when it failed (and was reported).
    private mutating func apply(_ action: AlterTableAction, to table: inout Table) -> Bool {
        switch action {
        case .addColumn(let definition, let ifNotExists):
            if table.columnIndex(definition.name) != nil {
                if !ifNotExists {
                    error(
                        "column \"\(definition.name)\" of relation \"\(table.name)\" already exists",
                        at: definition.location)
                }
                return false
            }
            guard let column = column(from: definition) else { return false }
            table.columns.append(column)
            if definition.constraints.contains(where: { $0.kind == .primaryKey }) {
                return addKey(ConstraintDefinition(kind: .primaryKey, columns: [definition.name]), to: &table)
            }
        case .dropColumn(let name, let missingOK):
            guard let index = table.columnIndex(name) else {
                if !missingOK { error("column \"\(name)\" of relation \"\(table.name)\" does not exist") }
                return false
            }
            table.columns.remove(at: index)
            if table.primaryKey.contains(name) { table.primaryKey = [] }
            table.uniqueKeys.removeAll { $0.contains(name) }
        case .alterColumnType(let name, let reference, let hasUsing):
            guard let index = existingColumn(name, in: table), let type = resolveType(reference) else { return false }
            if !hasUsing, castsAutomatically(table.columns[index].type, to: type) == false {
                error(
                    "column \"\(name)\" cannot be cast automatically to type \(type.formatted): add USING \(name)::\(type.formatted)",
                    at: reference.location)
                return false
            }
            table.columns[index].type = type
        case .setNotNull(let name):
            guard let index = existingColumn(name, in: table) else { return false }
            table.columns[index].isNotNull = true
        case .dropNotNull(let name):
            guard let index = existingColumn(name, in: table) else { return false }
            if table.primaryKey.contains(name) {
                error("column \"\(name)\" is in a primary key")
                return false
            }
            if table.columns[index].isIdentity {
                error("column \"\(name)\" of relation \"\(table.name)\" is an identity column")
                return false
            }
            table.columns[index].isNotNull = false
        case .addIdentity(let name, let always):
            guard let index = existingColumn(name, in: table) else { return false }
            table.columns[index].isIdentity = true
            table.columns[index].isIdentityAlways = always
            table.columns[index].isNotNull = true
            table.columns[index].hasDefault = true
        case .setIdentityGeneration(let name, let always):
            guard let index = existingColumn(name, in: table) else { return false }
            table.columns[index].isIdentityAlways = always && table.columns[index].isIdentity
        case .dropIdentity(let name):
            guard let index = existingColumn(name, in: table) else { return false }
            table.columns[index].isIdentity = false
            table.columns[index].isIdentityAlways = false
            table.columns[index].hasDefault = false
        case .addConstraint, .other:
            break
        }
        return true
    }

    private mutating func existingColumn(_ name: String, in table: Table) -> Int? {
        guard let index = table.columnIndex(name) else {
            error("column \"\(name)\" of relation \"\(table.name)\" does not exist")
            return nil
        }
        return index
    }

    /// Reports a foreign key to a table that does not exist, as PostgreSQL refuses it; a reference to the
    /// table being created is its own. After a statement sqlgen cannot see into, only a warning.
    mutating func checkReferences(_ constraints: [ConstraintDefinition], of table: QualifiedName) {
        for constraint in constraints where constraint.kind == .foreignKey {
            guard let referenced = constraint.referencedTable else { continue }
            let isSelf =
                referenced.name == table.name && (referenced.schema == nil || referenced.schema == table.schema)
            guard !isSelf else { continue }
            guard let (_, target) = locate(referenced) else {
                reportUnlessOpaque("relation \"\(referenced)\" does not exist", at: referenced.location)
                continue
            }
            checkReferencedKey(of: constraint, in: target)
        }
    }

    /// A foreign key references the primary key, or columns that are exactly a primary or unique key.
    private mutating func checkReferencedKey(of constraint: ConstraintDefinition, in target: Table) {
        let referenced = constraint.referencedColumns
        if referenced.isEmpty {
            if target.primaryKey.isEmpty {
                reportUnlessOpaque(
                    "there is no primary key for referenced table \"\(target.name)\"", at: constraint.location)
            }
            return
        }
        let keys = (target.primaryKey.isEmpty ? [] : [target.primaryKey]) + target.uniqueKeys
        let matches = keys.contains { key in key.count == referenced.count && Set(key) == Set(referenced) }
        if !matches {
            reportUnlessOpaque(
                "there is no unique constraint matching given keys for referenced table \"\(target.name)\"",
                at: constraint.location)
        }
    }

    /// An error, or a warning when an earlier statement sqlgen cannot see into (a DO block) may have
    /// made the schema what the statement needs.
    private mutating func reportUnlessOpaque(_ message: String, at location: Int) {
        if sawOpaqueStatement {
            warning(message + " (an earlier statement sqlgen cannot see into may create it)", at: location)
        } else {
            error(message, at: location)
        }
    }
}
