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

    /// Analyses one statement against the catalog: its parameters are collected (macros, names), the
    /// statement typed, the parameters named and typed, the result columns described, the command
    /// checked against the statement, the query scoped, and its SQL rewritten as it is sent.
    static func analyze(
        _ dataStatement: DataStatement, statement: Statement, annotation: QueryAnnotation, file: SourceFile,
        context: AnalysisContext, diagnostics: inout [Diagnostic]
    ) -> AnalyzedQuery? {
        let errorCount = diagnostics.count
        let parameters = QueryParameters.collect(dataStatement, file: file, diagnostics: &diagnostics)
        guard diagnostics.count == errorCount else { return nil }
        let analyzer = StatementAnalyzer(
            catalog: context.catalog, searchPath: context.searchPath, macroParameters: parameters.byLocation)
        let columns: [ResultColumn]
        do {
            columns = try analyzer.analyze(dataStatement)
        } catch {
            diagnostics.append(
                .error(error.message, in: file, atOffset: error.location >= 0 ? error.location : statement.location))
            return nil
        }
        guard
            let typedParameters = typedParameters(
                parameters, analyzer: analyzer, statement: statement, file: file, context: context,
                diagnostics: &diagnostics),
            let described = describedColumns(
                columns, of: dataStatement, file: file, context: context, diagnostics: &diagnostics),
            checkCommand(annotation, dataStatement, columns: columns, file: file, diagnostics: &diagnostics),
            let scope = scope(
                of: analyzer, annotation: annotation, file: file, context: context, diagnostics: &diagnostics)
        else { return nil }
        let templateNames = qualifiableTemplateNames(analyzer, scope: scope, tenancy: context.tenancy)
        let rewritten = parameters.rewrite(
            file, statementStart: statement.location, length: statement.length, marks: templateNames ?? [])
        var query = AnalyzedQuery(
            name: annotation.name, command: annotation.command, file: file.path,
            line: file.line(ofOffset: annotation.offset), sql: rewritten.sql,
            documentation: annotation.documentation, scope: scope, tablesRead: analyzer.tablesRead,
            tablesWritten: analyzer.tablesWritten, parameters: typedParameters, columns: described)
        if annotation.command == .copyfrom, case .insert(let insert) = dataStatement {
            query.copyTarget = CopyTarget(table: insert.table.description, columns: insert.columns.map(\.name))
        }
        if let templateNames, rewritten.marks.count == templateNames.count {
            query.tenantNameOffsets = rewritten.marks
        }
        if annotation.command == .one {
            query.returnsExactlyOneRow = SingleRowProof(
                types: TypeSystem(catalog: context.catalog), catalog: context.catalog
            ).returnsExactlyOneRow(dataStatement)
        }
        return query
    }
}
