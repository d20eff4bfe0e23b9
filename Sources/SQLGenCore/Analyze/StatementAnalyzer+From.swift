extension StatementAnalyzer {
    /// Finds a table or view through the search path, and records the read.
    func resolveTable(_ name: QualifiedName) throws(ResolutionError) -> Table {
        // The system catalogs and views: pg_catalog is searched before the search path, as PostgreSQL
        // searches it when the path does not name it.
        if name.schema == nil || name.schema == "pg_catalog" || name.schema == "information_schema",
            let system = catalog.builtins.relation(schema: name.schema ?? "pg_catalog", name: name.name)
        {
            return system
        }
        var table: Table?
        if let schema = name.schema {
            table = catalog.schemas[schema]?.tables[name.name]
        } else {
            for schema in searchPath {
                if let found = catalog.schemas[schema]?.tables[name.name] {
                    table = found
                    break
                }
            }
        }
        // A migration's temporary table is gone when its session ends: no query's session has it.
        guard let table, table.schema != "pg_temp" else {
            throw ResolutionError(message: "relation \"\(name)\" does not exist", location: name.location)
        }
        guard table.columnsKnown else {
            throw ResolutionError(
                message: "the columns of \(table.kind.rawValue) \"\(name)\" are not known to sqlgen",
                location: name.location)
        }
        tableSchemasTouched.append((table.schema, name.location))
        if name.schema == nil { searchPathNames.append((table.schema, name.location)) }
        return table
    }

    func record(read table: Table) {
        let name = "\(table.schema).\(table.name)"
        if !tablesRead.contains(name) { tablesRead.append(name) }
    }

    func record(written table: Table) {
        let name = "\(table.schema).\(table.name)"
        if !tablesWritten.contains(name) { tablesWritten.append(name) }
    }

    /// A FROM entry for a table: its columns with their own nullability (NOT NULL domains count).
    func entry(for table: Table, alias: Alias?) -> RangeEntry {
        let columns = table.columns.enumerated().map { index, column in
            ScopeColumn(
                name: alias.flatMap { index < $0.columnNames.count ? $0.columnNames[index] : nil } ?? column.name,
                value: TypedValue(type: column.type, nullable: !catalog.isNeverNull(column)),
                source: ColumnSource(schema: table.schema, table: table.name, column: column.name))
        }
        return RangeEntry(
            name: alias?.name ?? table.name, columns: columns, table: table, outerJoined: false, id: newEntryID())
    }

    func analyzeFromItem(_ item: FromItem, scope: Scope) throws(ResolutionError) -> [RangeEntry] {
        switch item {
        case .table(let name, let alias):
            if name.schema == nil, let cte = scope.ctes[name.name] {
                var columns = cte
                if let alias {
                    for (index, newName) in alias.columnNames.enumerated() where index < columns.count {
                        columns[index].name = newName
                    }
                }
                return [
                    RangeEntry(
                        name: alias?.name ?? name.name, columns: columns, table: nil, outerJoined: false,
                        id: newEntryID())
                ]
            }
            let table = try resolveTable(name)
            record(read: table)
            return [entry(for: table, alias: alias)]
        case .join(let join):
            return try analyzeJoin(join, scope: scope)
        case .subquery(let select, let alias, let lateral, let location):
            let outer = lateral ? scope : Scope(entries: [], parent: scope.parent, ctes: scope.ctes)
            let columns = resolvingUnknownsToText(try analyzeSelect(select, outer: outer))
            guard let alias else {
                throw ResolutionError(message: "subquery in FROM must have an alias", location: location)
            }
            let scopeColumns = columns.enumerated().map { index, column in
                ScopeColumn(
                    name: index < alias.columnNames.count ? alias.columnNames[index] : column.name,
                    value: TypedValue(type: column.type, nullable: column.nullable), source: column.source)
            }
            return [
                RangeEntry(name: alias.name, columns: scopeColumns, table: nil, outerJoined: false, id: newEntryID())
            ]
        case .function(let source):
            return [try analyzeFunctionSource(source, scope: scope)]
        case .other(let kind, let location):
            throw ResolutionError.unsupported("sqlgen does not support \(kind) in FROM", location: location)
        }
    }

    func analyzeJoin(_ join: JoinExpression, scope: Scope) throws(ResolutionError) -> [RangeEntry] {
        var entries = try analyzeJoinSides(join, scope: scope)
        for index in entries.indices { entries[index].insideJoin = true }
        return entries
    }

    private func analyzeJoinSides(_ join: JoinExpression, scope: Scope) throws(ResolutionError) -> [RangeEntry] {
        var left = try analyzeFromItem(join.left, scope: scope)
        var rightScope = scope
        rightScope.entries.append(contentsOf: left)
        var right = try analyzeFromItem(join.right, scope: rightScope)
        var using = join.using
        if join.natural {
            let leftNames = Set(left.flatMap { $0.columns.map(\.name) })
            using = right.flatMap { $0.columns.map(\.name) }.filter { leftNames.contains($0) }
        }
        if join.kind == .left || join.kind == .full { right = right.map(markOuterJoined) }
        if join.kind == .right || join.kind == .full { left = left.map(markOuterJoined) }
        for name in using {
            guard left.contains(where: { $0.columns.contains { $0.name == name } }) else {
                throw ResolutionError(
                    message: "column \"\(name)\" specified in USING clause does not exist in left table", location: -1)
            }
            guard let rightIndex = right.firstIndex(where: { $0.columns.contains { $0.name == name } }) else {
                throw ResolutionError(
                    message: "column \"\(name)\" specified in USING clause does not exist in right table", location: -1)
            }
            right[rightIndex].hiddenFromStar.insert(name)
            if join.kind == .right, let leftIndex = left.firstIndex(where: { $0.columns.contains { $0.name == name } }),
                let rightColumn = right[rightIndex].columns.first(where: { $0.name == name }),
                let column = left[leftIndex].columns.firstIndex(where: { $0.name == name })
            {
                // The merged column of a RIGHT JOIN is the right side's.
                left[leftIndex].columns[column].value = rightColumn.value
            }
        }
        if !using.isEmpty, let first = left.first?.id {
            let merged = using.compactMap { name -> (entry: Int, column: Int)? in
                for entry in left where !entry.hiddenFromStar.contains(name) {
                    if let column = entry.columns.firstIndex(where: { $0.name == name }) { return (entry.id, column) }
                }
                return nil
            }
            let mergedKeys = Set(merged.map { "\($0.entry).\($0.column)" })
            let rest =
                Self.starOrder(of: left).filter { !mergedKeys.contains("\($0.entry).\($0.column)") }
                + Self.starOrder(of: right)
            for index in left.indices { left[index].starOrder = nil }
            for index in right.indices { right[index].starOrder = nil }
            if let leftIndex = left.firstIndex(where: { $0.id == first }) {
                left[leftIndex].starOrder = merged + rest
            }
        }
        var joined = scope
        joined.entries.append(contentsOf: left + right)
        if let condition = join.condition {
            _ = try analyzeCondition(condition, scope: joined, clause: "JOIN/ON")
            if join.kind == .inner {
                refineNullability(rejectedBy: condition, in: &joined)
                let ids = Set((left + right).map(\.id))
                return joined.entries.filter { ids.contains($0.id) }
            }
        }
        return left + right
    }

    /// The columns `*` expands `entries` (one FROM item) to, in order: a join's own order where it has
    /// one, else each entry's columns but those USING merged into another.
    static func starOrder(of entries: [RangeEntry]) -> [(entry: Int, column: Int)] {
        var covered: Set<Int> = []
        var order: [(entry: Int, column: Int)] = []
        let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func visible(_ place: (entry: Int, column: Int)) -> Bool {
            guard let entry = byID[place.entry], entry.columns.indices.contains(place.column) else { return false }
            return !entry.hiddenFromStar.contains(entry.columns[place.column].name)
        }
        for entry in entries where !covered.contains(entry.id) {
            if let own = entry.starOrder {
                // A column an enclosing USING merged away is hidden, in an inner join's order too.
                order += own.filter(visible)
                covered.formUnion(own.map(\.entry))
            } else {
                order += entry.columns.indices.filter { !entry.hiddenFromStar.contains(entry.columns[$0].name) }.map {
                    (entry.id, $0)
                }
            }
        }
        return order
    }

    private func markOuterJoined(_ entry: RangeEntry) -> RangeEntry {
        var copy = entry
        copy.outerJoined = true
        for index in copy.columns.indices { copy.columns[index].value.nullable = true }
        return copy
    }

    /// Makes columns that a condition proves non-null (`col = $1`, `col IS NOT NULL`, ...) non-null,
    /// and an outer-joined entry whose column it proves non-null an inner one again.
    func refineNullability(rejectedBy condition: Expression, in scope: inout Scope) {
        for reference in nullRejectedColumns(condition) {
            guard let (entryIndex, columnIndex) = try? locateColumn(reference.parts, in: scope.entries) else {
                continue
            }
            if scope.entries[entryIndex].outerJoined {
                scope.entries[entryIndex].outerJoined = false
                restoreNullability(of: &scope.entries[entryIndex])
            }
            scope.entries[entryIndex].columns[columnIndex].value.nullable = false
        }
    }

    /// Gives an outer-joined entry's columns back the nullability its table declares.
    func restoreNullability(of entry: inout RangeEntry) {
        guard let table = entry.table else { return }
        for index in entry.columns.indices {
            if let source = entry.columns[index].source, source.table == table.name,
                let column = table.column(named: source.column)
            {
                entry.columns[index].value.nullable = !catalog.isNeverNull(column)
            }
        }
    }

    /// Column references a condition cannot be true without being non-null.
    func nullRejectedColumns(_ condition: Expression) -> [(parts: [String], location: Int)] {
        func direct(_ expression: Expression?) -> [(parts: [String], location: Int)] {
            switch expression {
            case .column(let parts, let location)?: return [(parts, location)]
            case .cast(let inner, _, _)?, .collate(let inner, _)?: return direct(inner)
            default: return []
            }
        }
        switch condition {
        case .boolean(.and, let parts, _):
            return parts.flatMap(nullRejectedColumns)
        case .nullTest(let inner, let isNull, _) where !isNull:
            return direct(inner)
        case .booleanTest(let inner, let kind, _) where kind == .isTrue || kind == .isFalse:
            return nullRejectedColumns(inner) + direct(inner)
        case .operation(let kind, _, let left, let right, _):
            switch kind {
            case .plain, .like, .ilike, .similar, .inList, .any, .all, .between, .notBetween, .betweenSymmetric,
                .notBetweenSymmetric:
                var found = direct(left)
                if kind == .plain || kind == .like || kind == .ilike || kind == .similar { found += direct(right) }
                return found
            default:
                return []
            }
        case .column(let parts, let location):
            return [(parts, location)]
        default:
            return []
        }
    }

    func analyzeFunctionSource(_ source: FunctionSource, scope: Scope) throws(ResolutionError) -> RangeEntry {
        var source = source
        if source.calls.count == 1, case .function(let call) = source.calls[0], call.name.last == "unnest",
            call.name.count == 1 || call.name.first == "pg_catalog", call.arguments.count > 1
        {
            // `unnest(a, b)` in FROM is `ROWS FROM (unnest(a), unnest(b))`.
            source.calls = call.arguments.map { argument in
                var single = call
                single.arguments = [argument]
                return .function(single)
            }
        }
        var columns: [ScopeColumn] = []
        // Whether the one function returns a scalar, which a whole-row reference to the item is.
        var returnsScalar = false
        for call in source.calls {
            guard case .function(let function) = call else {
                // `FROM current_date`, `FROM nullif(a, b) AS r`: one row of the expression's value.
                let value = try analyzeExpression(call, scope: scope, expected: nil)
                columns.append(ScopeColumn(name: source.alias?.name ?? columnName(of: call), value: value))
                continue
            }
            let lateralScope = scope
            let (value, resolved) = try analyzeFunctionCall(function, scope: lateralScope, expected: nil)
            let name = source.alias?.name ?? function.name.last ?? "function"
            if !source.columnDefinitions.isEmpty {
                for definition in source.columnDefinitions {
                    guard let reference = definition.type, let type = lookUpType(reference) else {
                        throw ResolutionError(
                            message: "type \"\(definition.type?.names.joined(separator: ".") ?? "")\" does not exist",
                            location: definition.type?.location ?? definition.location)
                    }
                    columns.append(ScopeColumn(name: definition.name, value: TypedValue(type: type, nullable: true)))
                }
            } else if let outputs = resolved?.outputColumns, outputs.count == 1 {
                // One OUT parameter: the function returns that scalar, and the column is named for the
                // parameter even under a table alias (PostgreSQL's chooseScalarFunctionAlias); an unnamed
                // one leaves the alias or the function's name.
                returnsScalar = true
                columns.append(
                    ScopeColumn(
                        name: outputs[0].name.isEmpty ? (source.alias?.name ?? name) : outputs[0].name,
                        value: TypedValue(type: outputs[0].type, nullable: true)))
            } else if let outputs = resolved?.outputColumns, !outputs.isEmpty {
                columns.append(
                    contentsOf: outputs.map {
                        ScopeColumn(name: $0.name, value: TypedValue(type: $0.type, nullable: true))
                    })
            } else if let table = compositeTable(value.type) {
                columns.append(
                    contentsOf: table.columns.map {
                        ScopeColumn(name: $0.name, value: TypedValue(type: $0.type, nullable: true))
                    })
            } else {
                returnsScalar = true
                columns.append(ScopeColumn(name: name, value: value))
            }
        }
        if source.calls.count > 1 {
            // ROWS FROM pads the shorter functions' columns with NULLs.
            for index in columns.indices { columns[index].value.nullable = true }
        }
        if let alias = source.alias {
            for (index, name) in alias.columnNames.enumerated() where index < columns.count {
                columns[index].name = name
            }
        }
        if source.withOrdinality {
            let name = source.alias.flatMap {
                $0.columnNames.count > columns.count ? $0.columnNames[columns.count] : nil
            }
            columns.append(
                ScopeColumn(
                    name: name ?? "ordinality", value: TypedValue(type: types.type(KnownOID.int8), nullable: false)))
        }
        let entryName =
            source.alias?.name
            ?? (source.calls.first.map { call -> String in
                if case .function(let function) = call { return function.name.last ?? "function" }
                return columnName(of: call)
            } ?? "function")
        var entry = RangeEntry(name: entryName, columns: columns, table: nil, outerJoined: false, id: newEntryID())
        entry.scalarRow = returnsScalar && source.calls.count == 1 && !source.withOrdinality && columns.count == 1
        return entry
    }

    /// The table or composite type whose columns a row type has.
    func compositeTable(_ type: SQLType) -> Table? {
        guard !type.isArray, let schema = type.schema else { return nil }
        if let table = catalog.schemas[schema]?.tables[type.name] { return table }
        if let user = catalog.schemas[schema]?.types[type.name], case .composite(let fields) = user.kind {
            return Table(schema: schema, name: type.name, columns: fields)
        }
        return nil
    }

    // MARK: - Column references

    /// Finds the entry and column a reference names among entries.
    func locateColumn(_ parts: [String], in entries: [RangeEntry]) throws(ResolutionError) -> (Int, Int)? {
        guard let name = parts.last else { return nil }
        if parts.count >= 2 {
            let qualifier = parts[parts.count - 2]
            let schema = parts.count >= 3 ? parts[parts.count - 3] : nil
            guard
                let entryIndex = entries.lastIndex(where: {
                    $0.name == qualifier && (schema == nil || $0.table?.schema == schema)
                })
            else { return nil }
            guard let columnIndex = entries[entryIndex].columns.firstIndex(where: { $0.name == name }) else {
                return nil
            }
            return (entryIndex, columnIndex)
        }
        var matches: [(Int, Int)] = []
        for (entryIndex, entry) in entries.enumerated() where !entry.qualifiedOnly {
            if let columnIndex = entry.columns.firstIndex(where: { $0.name == name }),
                !entry.hiddenFromStar.contains(name)
            {
                matches.append((entryIndex, columnIndex))
            }
        }
        if matches.count > 1 {
            throw ResolutionError(message: "column reference \"\(name)\" is ambiguous", location: -1)
        }
        return matches.first
    }

    /// Resolves a column reference through the scope and its enclosing scopes.
    func lookUpColumn(_ parts: [String], location: Int, scope: Scope) throws(ResolutionError) -> ScopeColumn {
        do {
            if let (entry, column) = try locateColumn(parts, in: scope.entries) {
                return scope.entries[entry].columns[column]
            }
            if let (entry, column) = try locateColumn(parts, in: scope.parent) {
                return scope.parent[entry].columns[column]
            }
        } catch {
            throw ResolutionError(message: error.message, location: location)
        }
        if let column = try systemColumn(parts, location: location, scope: scope) { return column }
        if parts.count == 1, let entry = (scope.entries + scope.parent).last(where: { $0.name == parts[0] }) {
            // A whole-row reference: the row of a FROM item as a composite value; of a function that
            // returns a scalar, that scalar.
            if entry.scalarRow, let only = entry.columns.first {
                return ScopeColumn(name: parts[0], value: only.value, source: only.source)
            }
            let type =
                entry.table.map { SQLType(schema: $0.schema, name: $0.name, displayName: $0.name) }
                ?? types.type(KnownOID.record)
            return ScopeColumn(name: parts[0], value: TypedValue(type: type, nullable: entry.outerJoined))
        }
        if parts.count >= 2 {
            let qualifier = parts[parts.count - 2]
            let known = (scope.entries + scope.parent).contains { $0.name == qualifier }
            if !known {
                throw ResolutionError(
                    message: "missing FROM-clause entry for table \"\(qualifier)\"", location: location)
            }
            throw ResolutionError(message: "column \(parts.joined(separator: ".")) does not exist", location: location)
        }
        throw ResolutionError(message: "column \"\(parts.last ?? "")\" does not exist", location: location)
    }

    /// The system columns every table, materialized view and sequence has, with their types' OIDs.
    static let systemColumnTypes: [String: UInt32] = [
        "ctid": 27, "xmin": 28, "xmax": 28, "cmin": 29, "cmax": 29, "tableoid": 26,
    ]

    /// A system column (`ctid`, `xmin`, `xmax`, `cmin`, `cmax`, `tableoid`) of a stored relation in scope.
    private func systemColumn(_ parts: [String], location: Int, scope: Scope) throws(ResolutionError) -> ScopeColumn? {
        guard let name = parts.last, let oid = Self.systemColumnTypes[name] else { return nil }
        let qualifier = parts.count >= 2 ? parts[parts.count - 2] : nil
        for level in [scope.entries, scope.parent] {
            let owners = level.filter { entry in
                // Unqualified, a join's tables are seen through the join, which has no system columns.
                guard let table = entry.table, table.kind != .view,
                    qualifier != nil || (!entry.qualifiedOnly && !entry.insideJoin)
                else { return false }
                return qualifier == nil || entry.name == qualifier
            }
            if owners.count > 1, qualifier == nil {
                throw ResolutionError(message: "column reference \"\(name)\" is ambiguous", location: location)
            }
            if let owner = owners.last {
                return ScopeColumn(name: name, value: TypedValue(type: types.type(oid), nullable: owner.outerJoined))
            }
        }
        return nil
    }
}
