/// Turns annotated query files into ``AnalyzedQuery`` values: the front door of query analysis.
public enum QueryCompiler {
    /// Analyses every annotated query of the files against the catalog.
    ///
    /// With `tenancy`, unqualified names resolve in the template schema, then
    /// the shared ones, and each query is scoped `tenant` or `global`.
    public static func compile(
        _ files: [SourceFile], catalog: Catalog, tenancy: TenancyConfiguration?
    ) -> (queries: [AnalyzedQuery], diagnostics: [Diagnostic]) {
        // Files are independent given the catalog: analyse them on every core, then merge in order.
        let results = ConcurrentMap.map(files) { file in
            compile(file, catalog: catalog, tenancy: tenancy)
        }
        var queries: [AnalyzedQuery] = []
        var diagnostics: [Diagnostic] = []
        var firstDefinition: [String: SourceLocation] = [:]
        for (file, result) in zip(files, results) {
            diagnostics.append(contentsOf: result.diagnostics)
            for (query, nameOffset) in result.queries {
                if let first = firstDefinition[query.name] {
                    diagnostics.append(
                        .error("query \"\(query.name)\" is already defined at \(first)", in: file, atOffset: nameOffset)
                    )
                    continue
                }
                firstDefinition[query.name] = SourceLocation(path: query.file, line: query.line, column: 1)
                queries.append(query)
            }
        }
        diagnostics.sort {
            ($0.location?.path ?? "", $0.location?.line ?? 0) < ($1.location?.path ?? "", $1.location?.line ?? 0)
        }
        return (queries, diagnostics)
    }

    /// The queries of one file, each with the offset of its name (for duplicate reports), and its diagnostics.
    private static func compile(
        _ file: SourceFile, catalog: Catalog, tenancy: TenancyConfiguration?
    ) -> (queries: [(AnalyzedQuery, Int)], diagnostics: [Diagnostic]) {
        var queries: [(AnalyzedQuery, Int)] = []
        var diagnostics: [Diagnostic] = []
        let searchPath = tenancy.map { [$0.templateSchema] + $0.sharedSchemas } ?? ["public"]
        let parsed = SQLParser.parse(file)
        diagnostics.append(contentsOf: parsed.diagnostics)
        var previousEnd = 0
        for statement in parsed.statements {
            defer { previousEnd = statement.location + statement.length }
            let reported = diagnostics.count
            guard
                let annotation = QueryAnnotation.find(
                    in: file, from: previousEnd, to: statement.location, diagnostics: &diagnostics)
            else {
                // A malformed annotation was reported already; a definition (DDL kept beside the queries)
                // is schema, and built the catalog. A DML or maintenance statement needs its annotation.
                guard diagnostics.count == reported, statement.kind.needsAnnotation else { continue }
                diagnostics.append(
                    .error(
                        "query has no annotation: add \"-- name: QueryName :command\" above it", in: file,
                        atOffset: statement.location))
                continue
            }
            let context = AnalysisContext(catalog: catalog, searchPath: searchPath, tenancy: tenancy)
            guard case .query(let dataStatement) = statement.kind else {
                if let query = analyzeUtility(
                    statement, annotation: annotation, file: file, context: context, diagnostics: &diagnostics)
                {
                    queries.append((query, annotation.nameOffset))
                }
                continue
            }
            if let query = analyzeQuery(
                dataStatement, statement: statement, annotation: annotation, file: file, context: context,
                diagnostics: &diagnostics)
            {
                queries.append((query, annotation.nameOffset))
            }
        }
        return (queries, diagnostics)
    }

    /// What every query of a compilation is analysed against.
    struct AnalysisContext {
        var catalog: Catalog
        var searchPath: [String]
        var tenancy: TenancyConfiguration?
    }

    /// Analyses a query: a plain one as it is, a dynamic one (``DynamicQueryMarkers``) as each of its variants.
    private static func analyzeQuery(
        _ dataStatement: DataStatement, statement: Statement, annotation: QueryAnnotation, file: SourceFile,
        context: AnalysisContext, diagnostics: inout [Diagnostic]
    ) -> AnalyzedQuery? {
        guard
            let markers = DynamicQueryMarkers.find(
                dataStatement, command: annotation.command, file: file, diagnostics: &diagnostics)
        else { return nil }
        guard markers.conditions.isEmpty, markers.sort == nil else {
            let expansion = DynamicQueryExpansion(
                markers: markers, statement: statement, annotation: annotation, file: file, context: context)
            return expansion.analyze(diagnostics: &diagnostics)
        }
        return analyze(
            dataStatement, statement: statement, annotation: annotation, file: file, context: context,
            diagnostics: &diagnostics)
    }

    /// Analyses one statement against the catalog.
    static func analyze(
        _ dataStatement: DataStatement, statement: Statement, annotation: QueryAnnotation, file: SourceFile,
        context: AnalysisContext, diagnostics: inout [Diagnostic]
    ) -> AnalyzedQuery? {
        let (catalog, searchPath, tenancy) = (context.catalog, context.searchPath, context.tenancy)
        let errorCount = diagnostics.count
        let parameters = QueryParameters.collect(dataStatement, file: file, diagnostics: &diagnostics)
        guard diagnostics.count == errorCount else { return nil }
        let analyzer = StatementAnalyzer(
            catalog: catalog, searchPath: searchPath, macroParameters: parameters.byLocation)
        let columns: [ResultColumn]
        do {
            columns = try analyzer.analyze(dataStatement)
        } catch {
            diagnostics.append(
                .error(error.message, in: file, atOffset: error.location >= 0 ? error.location : statement.location))
            return nil
        }
        // Parameters: every number from 1 to the highest must have a type.
        let highest = max(parameters.positional.map(\.number).max() ?? 0, parameters.numbers.values.max() ?? 0)
        var result: [QueryParameter] = []
        var usedNames: [String: Int] = [:]
        for number in stride(from: 1, through: highest, by: 1) {
            guard let slot = analyzer.parameters[number], let type = slot.type else {
                let location = analyzer.parameters[number]?.location ?? statement.location
                diagnostics.append(
                    .error("could not determine data type of parameter $\(number)", in: file, atOffset: location))
                return nil
            }
            let base = parameters.names[number] ?? slot.contextName ?? "p\(number)"
            let count = (usedNames[base] ?? 0) + 1
            usedNames[base] = count
            // Tied to a column only when it holds a value of that column's type (not `tags[$1]`, not ANY's array).
            let source = slot.source.flatMap { source in
                catalog.schemas[source.schema]?.tables[source.table]?.column(named: source.column)?.type == type
                    && !parameters.slices.contains(number) ? source : nil
            }
            result.append(
                QueryParameter(
                    number: number, name: count == 1 ? base : "\(base)\(count)",
                    type: type.spelled(searchPath: searchPath),
                    nullable: slot.nullable || parameters.nullable.contains(number),
                    isSlice: parameters.slices.contains(number), source: source))
        }
        // Result columns of a domain type are described, and decoded, as the base type.
        let types = TypeSystem(catalog: catalog)
        let baseColumns = columns.map { column in
            var copy = column
            copy.type = types.baseType(column.type).spelled(searchPath: searchPath)
            return copy
        }
        // `AS "title!"`, `AS "title?"`, `AS "meta: PostMeta"`.
        guard
            let overridden = ColumnNameOverride.apply(
                to: baseColumns, of: dataStatement, file: file, diagnostics: &diagnostics)
        else { return nil }
        guard checkCommand(annotation, dataStatement, columns: columns, file: file, diagnostics: &diagnostics) else {
            return nil
        }
        var scope = QueryScope.unscoped
        if let tenancy {
            scope = .global
            for (schema, location) in analyzer.tableSchemasTouched {
                if schema == tenancy.templateSchema {
                    scope = .tenant
                } else if !tenancy.sharedSchemas.contains(schema) {
                    diagnostics.append(
                        .error(
                            "query \"\(annotation.name)\" reaches into schema \"\(schema)\", which is neither the tenant template nor a shared schema, so it could not be routed to one tenant",
                            in: file, atOffset: location))
                    return nil
                }
            }
        }
        let templateNames = qualifiableTemplateNames(analyzer, scope: scope, tenancy: tenancy)
        let rewritten = parameters.rewrite(
            file, statementStart: statement.location, length: statement.length, marks: templateNames ?? [])
        var query = AnalyzedQuery(
            name: annotation.name, command: annotation.command, file: file.path,
            line: file.line(ofOffset: annotation.offset), sql: rewritten.sql,
            documentation: annotation.documentation, scope: scope, tablesRead: analyzer.tablesRead,
            tablesWritten: analyzer.tablesWritten, parameters: result, columns: overridden)
        if annotation.command == .copyfrom, case .insert(let insert) = dataStatement {
            query.copyTarget = CopyTarget(table: insert.table.description, columns: insert.columns.map(\.name))
        }
        if let templateNames, rewritten.marks.count == templateNames.count {
            query.tenantNameOffsets = rewritten.marks
        }
        if annotation.command == .one {
            query.returnsExactlyOneRow = SingleRowProof(types: types, catalog: catalog).returnsExactlyOneRow(
                dataStatement)
        }
        return query
    }

    /// Where a tenant's schema name can be written in front of every template name of a tenant-scoped
    /// read, so that it runs without switching the session's search path; nil when it cannot.
    ///
    /// Only reads qualify: a write can fire triggers, and a user function can be called, whose bodies
    /// find names through the session's search path; so can names looked up at run time (`nextval('s')`).
    private static func qualifiableTemplateNames(
        _ analyzer: StatementAnalyzer, scope: QueryScope, tenancy: TenancyConfiguration?
    ) -> [Int]? {
        guard let tenancy, scope == .tenant, analyzer.tablesWritten.isEmpty, !analyzer.callsUserFunction,
            !analyzer.resolvesNamesAtRunTime
        else { return nil }
        var offsets: Set<Int> = []
        for name in analyzer.searchPathNames where name.schema == tenancy.templateSchema {
            guard name.location >= 0 else { return nil }
            offsets.insert(name.location)
        }
        return offsets.isEmpty ? nil : offsets.sorted()
    }

    /// Checks that the command fits the statement (`:one` needs rows, `:copyfrom` a plain INSERT).
    private static func checkCommand(
        _ annotation: QueryAnnotation, _ statement: DataStatement, columns: [ResultColumn], file: SourceFile,
        diagnostics: inout [Diagnostic]
    ) -> Bool {
        switch annotation.command {
        case .one, .many, .batchone, .batchmany:
            // `SELECT FROM t` returns rows of no columns; only writes without RETURNING return none.
            if case .select = statement { break }
            if columns.isEmpty {
                diagnostics.append(
                    .error(
                        "query \"\(annotation.name)\" is :\(annotation.command.rawValue) but returns no rows; add RETURNING or use :exec, :execrows or :execresult",
                        in: file, atOffset: annotation.commandOffset))
                return false
            }
        case .copyfrom:
            guard case .insert(let insert) = statement, insert.returning.isEmpty, insert.onConflict == nil,
                insert.with == nil, case .values(let rows, _)? = insert.source?.body, rows.count == 1,
                rows[0].allSatisfy(isParameter), !insert.columns.isEmpty
            else {
                diagnostics.append(
                    .error(
                        "query \"\(annotation.name)\" is :copyfrom, which needs a plain INSERT INTO table (columns) VALUES ($1, ...) with only parameters",
                        in: file, atOffset: annotation.commandOffset))
                return false
            }
        default:
            break
        }
        return true
    }

    private static func isParameter(_ expression: Expression) -> Bool {
        switch expression {
        case .parameter: return true
        case .operation(.plain, "@", nil, .column?, _): return true
        case .function(let call): return call.name.first == "sqlc"
        default: return false
        }
    }
}
