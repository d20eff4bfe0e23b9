/// Analyses one data statement against the catalog: the type and nullability
/// of every result column and parameter, and the tables it reads and writes.
///
/// Errors are the ones PostgreSQL would raise, at the position it would give.
final class StatementAnalyzer {
    let catalog: Catalog
    let types: TypeSystem
    /// Schemas unqualified table names resolve through.
    let searchPath: [String]
    /// Parameters written as macros (`sqlc.arg(x)`, `@x`), by the byte offset of the macro.
    let macroParameters: [Int: Int]

    var parameters: [Int: ParameterSlot] = [:]
    var tablesRead: [String] = []
    var tablesWritten: [String] = []
    var tableSchemasTouched: [(schema: String, location: Int)] = []
    /// Unqualified table and type names found through the search path: the schema each was found in and
    /// where the name starts (the places a tenant's schema name can be written in front of it).
    var searchPathNames: [(schema: String, location: Int)] = []
    /// Whether the statement calls a user-defined function, whose body finds names through the session's
    /// search path when it runs.
    var callsUserFunction = false
    /// Whether names are looked up when the statement runs (`nextval('seq')`, a cast to `regclass`).
    var resolvesNamesAtRunTime = false
    private var nextEntryID = 0

    /// What is known about a parameter while the statement is analysed.
    struct ParameterSlot {
        var type: SQLType?
        var nullable = false
        var contextName: String?
        /// The table column it is assigned to or compared with, for that column's overrides.
        var source: ColumnSource?
        var location: Int
    }

    /// Resolves type names written in queries through the query's search path.
    private let typeNames: CatalogBuilder

    init(catalog: Catalog, searchPath: [String], macroParameters: [Int: Int]) {
        self.catalog = catalog
        self.types = TypeSystem(catalog: catalog)
        self.searchPath = searchPath
        self.macroParameters = macroParameters
        var queryCatalog = catalog
        queryCatalog.searchPath = searchPath
        self.typeNames = CatalogBuilder(catalog: queryCatalog, viewColumnResolver: ViewColumnsLeftUnknown())
    }

    /// A type named in a query (`::deal_stage`), or nil when there is none of that name.
    func lookUpType(_ reference: TypeReference) -> SQLType? {
        guard let type = typeNames.lookUpType(reference) else { return nil }
        if reference.names.count == 1, let schema = type.schema {
            searchPathNames.append((schema, reference.location))
        }
        if type.schema == "pg_catalog" || type.schema == nil, Self.nameLookupTypes.contains(type.name) {
            resolvesNamesAtRunTime = true
        }
        return type
    }

    /// Types whose values are names looked up when the statement runs.
    static let nameLookupTypes: Set<String> = [
        "regclass", "regtype", "regproc", "regprocedure", "regoper", "regoperator", "regnamespace", "regconfig",
        "regdictionary", "regcollation", "regrole",
    ]

    func newEntryID() -> Int {
        nextEntryID += 1
        return nextEntryID
    }

    // MARK: - Statements

    /// The result columns of a statement (empty for INSERT/UPDATE/DELETE without RETURNING).
    func analyze(_ statement: DataStatement, outer: Scope = Scope()) throws(ResolutionError) -> [ResultColumn] {
        switch statement {
        case .select(let select): return try analyzeSelect(select, outer: outer)
        case .insert(let insert): return try analyzeInsert(insert, outer: outer)
        case .update(let update): return try analyzeUpdate(update, outer: outer)
        case .delete(let delete): return try analyzeDelete(delete, outer: outer)
        case .call(let call): return try analyzeProcedureCall(call)
        }
    }

    /// A scope that sees the enclosing query's names (for subqueries) and its CTEs.
    func childScope(of outer: Scope) -> Scope {
        var scope = Scope()
        scope.parent = outer.entries + outer.parent
        scope.ctes = outer.ctes
        return scope
    }

    func addCommonTableExpressions(_ with: WithClause?, to scope: inout Scope) throws(ResolutionError) {
        guard let with else { return }
        for cte in with.expressions {
            if with.recursive, case .select(let select) = cte.statement,
                case .setOperation(_, _, let left, let right) = select.body
            {
                // The non-recursive term fixes the column types; the recursive term may add NULLs.
                var columns = resolvingUnknownsToText(try analyzeSelect(left, outer: scope))
                scope.ctes[cte.name] = scopeColumns(columns, renamed: cte.columnNames)
                let recursive = try analyzeSelect(right, outer: scope)
                for index in columns.indices where index < recursive.count {
                    columns[index].nullable = columns[index].nullable || recursive[index].nullable
                    columns[index].source = nil
                }
                scope.ctes[cte.name] = scopeColumns(columns, renamed: cte.columnNames)
                continue
            }
            let columns = resolvingUnknownsToText(try analyze(cte.statement, outer: scope))
            scope.ctes[cte.name] = scopeColumns(columns, renamed: cte.columnNames)
        }
    }

    /// A SELECT's output columns of type `unknown` (an untyped NULL or string) are `text`, as
    /// PostgreSQL resolves them in every select list it reads from (`resolveTargetListUnknowns`).
    func resolvingUnknownsToText(_ columns: [ResultColumn]) -> [ResultColumn] {
        columns.map { column in
            guard types.key(column.type).isUnknown else { return column }
            var copy = column
            copy.type = types.type(KnownOID.text)
            return copy
        }
    }

    private func scopeColumns(_ columns: [ResultColumn], renamed names: [String]) -> [ScopeColumn] {
        columns.enumerated().map { index, column in
            ScopeColumn(
                name: index < names.count ? names[index] : column.name,
                value: TypedValue(type: column.type, nullable: column.nullable), source: column.source)
        }
    }

    func analyzeSelect(_ select: SelectStatement, outer: Scope) throws(ResolutionError) -> [ResultColumn] {
        var scope = childScope(of: outer)
        try addCommonTableExpressions(select.with, to: &scope)
        let columns: [ResultColumn]
        // A set operation's ORDER BY sees only its output columns.
        let orderScope: Scope?
        switch select.body {
        case .simple(let simple):
            (columns, orderScope) = try analyzeSimpleSelect(simple, scope: scope)
        case .values(let rows, _):
            columns = try analyzeValues(rows, scope: scope, expected: [])
            orderScope = scope
        case .setOperation(let kind, _, let left, let right):
            let leftColumns = try analyzeSelect(left, outer: scope)
            let rightColumns = try analyzeSelect(right, outer: scope)
            guard leftColumns.count == rightColumns.count else {
                throw ResolutionError(
                    message: "each \(kind.rawValue.uppercased()) query must have the same number of columns",
                    location: right.location)
            }
            columns = zip(leftColumns, rightColumns).map { left, right in
                let type = types.commonType([left.type, right.type]) ?? left.type
                let nullable: Bool
                switch kind {
                case .union: nullable = left.nullable || right.nullable
                case .intersect: nullable = left.nullable && right.nullable
                case .except: nullable = left.nullable
                }
                return ResultColumn(
                    name: left.name, type: type, nullable: nullable,
                    source: left.source == right.source ? left.source : nil)
            }
            orderScope = nil
        }
        try analyzeOrderBy(select.orderBy, columns: columns, inputScope: orderScope)
        if case .simple(let simple) = select.body, simple.distinct, let orderScope {
            try checkDistinct(simple, orderBy: select.orderBy, columns: columns, scope: orderScope)
        }
        if let limit = select.limit {
            _ = try analyzeExpression(limit, scope: scope, expected: types.type(KnownOID.int8), name: "limit")
        }
        if let offset = select.offset {
            _ = try analyzeExpression(offset, scope: scope, expected: types.type(KnownOID.int8), name: "offset")
        }
        return columns
    }

    func analyzeValues(_ rows: [[Expression]], scope: Scope, expected: [TypedValue?]) throws(ResolutionError)
        -> [ResultColumn]
    {
        var typed: [[TypedValue]] = []
        for row in rows {
            var values: [TypedValue] = []
            for (index, expression) in row.enumerated() {
                let hint = index < expected.count ? expected[index] : nil
                values.append(
                    try analyzeExpression(
                        expression, scope: scope, expected: hint?.type, nullableTarget: hint?.nullable ?? false))
            }
            typed.append(values)
        }
        guard let width = typed.first?.count else { return [] }
        for (rowIndex, row) in typed.enumerated() where row.count != width {
            throw ResolutionError(
                message: "VALUES lists must all be the same length", location: rows[rowIndex].first?.location ?? -1)
        }
        return (0..<width).map { column in
            let values = typed.map { $0[column] }
            let type = types.commonType(values.map(\.type)) ?? values[0].type
            return ResultColumn(name: "column\(column + 1)", type: type, nullable: values.contains { $0.nullable })
        }
    }

    func analyzeSimpleSelect(_ select: SimpleSelect, scope base: Scope) throws(ResolutionError) -> (
        [ResultColumn], Scope
    ) {
        var scope = base
        for item in select.from {
            let entries = try analyzeFromItem(item, scope: scope)
            scope.entries.append(contentsOf: entries)
        }
        if let whereClause = select.whereClause {
            _ = try analyzeCondition(whereClause, scope: scope, clause: "WHERE")
            refineNullability(rejectedBy: whereClause, in: &scope)
        }
        var outputGroupKeys: [Expression] = []
        let groupKeys = Self.groupingKeys(of: select.groupBy)
        for expression in groupKeys {
            if try groupKeyNamesOutput(expression, targets: select.targets, scope: scope) {
                outputGroupKeys.append(expression)
                continue
            }
            _ = try analyzeExpression(expression, scope: scope, expected: nil)
        }
        let grouped = !select.groupBy.isEmpty && !Self.admitsEmptySet(select.groupBy)
        if let having = select.having {
            _ = try analyzeCondition(having, scope: scope, clause: "HAVING")
        }
        func resolved(_ key: Expression) -> Expression {
            outputGroupKeys.contains(key) ? outputKeyExpression(key, targets: select.targets) ?? key : key
        }
        let keys = groupKeys.map(resolved)
        let commonKeys = keysInEverySet(of: select.groupBy, scope: scope)?.map(resolved)
        // Keys missing from some grouping set are NULL in its rows.
        let partialKeys = commonKeys.map { common in
            keys.filter { key in !common.contains { sameExpression($0, key, scope: scope) } }
        }
        let (targetScope, partialExpressions) = scopeNullingPartialKeys(partialKeys ?? [], in: scope)
        var columns: [ResultColumn] = []
        for target in select.targets {
            var produced = try analyzeTarget(target, scope: targetScope, grouped: grouped)
            if usesPartialKey(target.expression, partialExpressions, scope: scope) {
                for index in produced.indices where !produced[index].name.hasSuffix("!") {
                    produced[index].nullable = true
                }
            }
            columns.append(contentsOf: produced)
        }
        try checkGroupKeys(outputGroupKeys, columns: columns, targets: select.targets)
        let ownEntries = Set(scope.entries.dropFirst(base.entries.count).map(\.id))
        try checkUngroupedColumns(
            select, keys: keys, commonKeys: commonKeys ?? keys, ownEntries: ownEntries, scope: scope)
        return (columns, scope)
    }

    /// The result columns of one select-list or RETURNING entry (several for `*`).
    func analyzeTarget(_ target: SelectTarget, scope: Scope, grouped: Bool = false) throws(ResolutionError)
        -> [ResultColumn]
    {
        if case .star(let qualifier, let location) = target.expression {
            return try expandStar(qualifier: qualifier, location: location, scope: scope)
        }
        if case .indirection(.column(let parts, let location), let steps, _) = target.expression, steps.last == .star {
            return try expandStar(qualifier: parts, location: location, scope: scope)
        }
        if case .function(let call) = target.expression, call.name == ["sqlc", "embed"],
            case .column(let parts, _)? = call.arguments.first
        {
            var columns = try expandStar(qualifier: parts, location: call.location, scope: scope)
            // The nullable side of an outer join: the model is optional (nil where the join found no
            // row), and its fields as nullable as the table declares them.
            var restored: [ScopeColumn]?
            if var entry = scope.entries.first(where: { $0.name == parts.last }), entry.outerJoined,
                entry.table != nil, entry.columns.count == columns.count
            {
                restoreNullability(of: &entry)
                restored = entry.columns
            }
            for index in columns.indices {
                columns[index].embeddedTable = parts.last
                columns[index].nullableInEmbeddedModel = restored?[index].value.nullable
            }
            return columns
        }
        self.grouped = grouped
        defer { self.grouped = false }
        let value = try analyzeExpression(target.expression, scope: scope, expected: nil)
        var source: ColumnSource?
        if case .column(let parts, _) = target.expression {
            source = try? lookUpColumn(parts, location: -1, scope: scope).source
        }
        return [
            ResultColumn(
                name: target.alias ?? columnName(of: target.expression), type: value.type, nullable: value.nullable,
                source: source)
        ]
    }

    /// Whether aggregate calls are inside a grouped query (each group has at least one row).
    var grouped = false

    func expandStar(qualifier: [String], location: Int, scope: Scope) throws(ResolutionError) -> [ResultColumn] {
        let entries: [RangeEntry]
        if let name = qualifier.last {
            entries = scope.entries.filter { $0.name == name }
            if entries.isEmpty {
                throw ResolutionError(message: "missing FROM-clause entry for table \"\(name)\"", location: location)
            }
        } else {
            entries = scope.entries.filter { !$0.qualifiedOnly }
            if entries.isEmpty {
                throw ResolutionError(message: "SELECT * with no tables specified is not valid", location: location)
            }
        }
        func result(_ column: ScopeColumn) -> ResultColumn {
            ResultColumn(
                name: column.name, type: column.value.type, nullable: column.value.nullable, source: column.source)
        }
        guard qualifier.isEmpty else { return entries.flatMap { $0.columns.map(result) } }
        // Unqualified, a join with USING or NATURAL expands in PostgreSQL's order.
        let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return Self.starOrder(of: entries).compactMap { place in
            byID[place.entry].flatMap {
                $0.columns.indices.contains(place.column) ? result($0.columns[place.column]) : nil
            }
        }
    }
}
