extension CatalogBuilder {
    mutating func createFunction(_ create: CreateFunction) {
        guard let schema = targetSchema(create.name.schema, at: create.name.location) else { return }
        var parameters: [FunctionParameter] = []
        var resultColumns: [Column] = []
        for parameter in create.parameters {
            guard let type = resolveType(parameter.type) else { return }
            parameters.append(
                FunctionParameter(
                    name: parameter.name, type: type, mode: parameter.mode, hasDefault: parameter.hasDefault))
            if parameter.mode == .out || parameter.mode == .inOut || parameter.mode == .table {
                resultColumns.append(Column(name: parameter.name ?? "column\(resultColumns.count + 1)", type: type))
            }
        }
        var returnType: SQLType?
        if let reference = create.returnType {
            guard let type = resolveType(reference) else { return }
            returnType = type
        }
        let function = Function(
            schema: schema, name: create.name.name, parameters: parameters, returnType: returnType,
            returnsSet: create.returnType?.isSetOf ?? false, resultColumns: resultColumns,
            isProcedure: create.isProcedure, comment: nil)
        var overloads = catalog.schemas[schema]?.functions[function.name] ?? []
        if let index = overloads.firstIndex(where: { $0.inputTypes == function.inputTypes }) {
            guard create.orReplace else {
                error("function \"\(function.name)\" already exists with same argument types", at: create.name.location)
                return
            }
            if overloads[index].returnType != function.returnType || overloads[index].returnsSet != function.returnsSet
            {
                error("cannot change return type of existing function", at: create.name.location)
                return
            }
            overloads[index] = function
        } else {
            overloads.append(function)
        }
        catalog.schemas[schema]?.functions[function.name] = overloads
    }

    mutating func createExtension(_ create: CreateExtension) {
        if catalog.schemas.values.contains(where: { $0.extensions.contains(create.name) }) {
            if !create.ifNotExists { error("extension \"\(create.name)\" already exists", at: create.location) }
            return
        }
        guard let schema = targetSchema(create.schema, at: create.location) else { return }
        if !catalog.builtins.knownExtensions.contains(create.name) {
            warning(
                "extension \"\(create.name)\" is not known to sqlgen; its types, functions and operators are not available to queries until they are declared under 'extensions' in sqlgen.yaml",
                at: create.location)
        }
        catalog.schemas[schema]?.extensions.append(create.name)
    }

    mutating func createView(_ create: CreateView) {
        guard let schema = targetSchema(create.name.schema, at: create.name.location) else { return }
        let existing = catalog.schemas[schema]?.tables[create.name.name]
        if let existing {
            let replaceable = create.orReplace && existing.kind == .view && !create.materialized
            guard replaceable else {
                if !create.ifNotExists {
                    error("relation \"\(create.name.name)\" already exists", at: create.name.location)
                }
                return
            }
        } else if catalog.schemas[schema]?.types[create.name.name] != nil {
            error("type \"\(create.name.name)\" already exists", at: create.name.location)
            return
        }
        var view = Table(
            schema: schema, name: create.name.name,
            kind: create.asTable ? .table : create.materialized ? .materializedView : .view)
        switch viewColumnResolver.columns(of: create.query, in: catalog) {
        case .resolved(var columns):
            if create.columnAliases.count > columns.count {
                error(
                    create.materialized || create.asTable
                        ? "too many column names were specified"
                        : "CREATE VIEW specifies more column names than columns",
                    at: create.name.location)
                return
            }
            for (index, alias) in create.columnAliases.enumerated() { columns[index].name = alias }
            if create.asTable {
                // A table made from a query keeps the types, not the query's NOT NULLs.
                for index in columns.indices { columns[index].isNotNull = false }
            }
            view.columns = columns
        case .failed(let message, let offset):
            error(message, at: offset)
            return
        case .unknown(let reason):
            view.columnsKnown = false
            warning(
                "the columns of \(view.kind.rawValue) \"\(view.name)\" cannot be inferred (\(reason)); queries cannot read it",
                at: create.name.location)
        }
        catalog.schemas[schema]?.tables[view.name] = view
    }
}
