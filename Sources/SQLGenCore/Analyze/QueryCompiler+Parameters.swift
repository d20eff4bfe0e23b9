/// A query's parameters as the analysis typed them, and its result columns as they are described.
extension QueryCompiler {
    /// Every parameter from `$1` to the highest, typed by the analysis and named by its macro, its
    /// context (the column it is compared with or assigned to) or its number; nil (reported) when one
    /// has no type, as PostgreSQL's "could not determine data type of parameter".
    static func typedParameters(
        _ parameters: QueryParameters, analyzer: StatementAnalyzer, statement: Statement, file: SourceFile,
        context: AnalysisContext, diagnostics: inout [Diagnostic]
    ) -> [QueryParameter]? {
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
                context.catalog.schemas[source.schema]?.tables[source.table]?.column(named: source.column)?.type
                    == type && !parameters.slices.contains(number) ? source : nil
            }
            result.append(
                QueryParameter(
                    number: number, name: count == 1 ? base : "\(base)\(count)",
                    type: type.spelled(searchPath: context.searchPath),
                    nullable: slot.nullable || parameters.nullable.contains(number),
                    isSlice: parameters.slices.contains(number), source: source))
        }
        return result
    }

    /// The result columns as they are described and decoded: a domain as its base type, and the
    /// column-name overrides applied (`AS "title!"`, `AS "title?"`, `AS "meta: PostMeta"`); nil
    /// (reported) when an override is malformed.
    static func describedColumns(
        _ columns: [ResultColumn], of statement: DataStatement, file: SourceFile, context: AnalysisContext,
        diagnostics: inout [Diagnostic]
    ) -> [ResultColumn]? {
        let types = TypeSystem(catalog: context.catalog)
        let baseColumns = columns.map { column in
            var copy = column
            copy.type = types.baseType(column.type).spelled(searchPath: context.searchPath)
            return copy
        }
        return ColumnNameOverride.apply(to: baseColumns, of: statement, file: file, diagnostics: &diagnostics)
    }
}
