/// Infers a view's columns with the query analyzer, as PostgreSQL does when
/// it creates the view: names, types, and which columns can never be NULL.
public struct QueryAnalyzerViewResolver: ViewColumnResolver {
    /// Creates the resolver.
    public init() {}

    /// The columns of a view defined by `query`, inferred by the query analyzer.
    public func columns(of query: SelectStatement, in catalog: Catalog) -> ViewColumns {
        let analyzer = StatementAnalyzer(catalog: catalog, searchPath: catalog.existingSearchPath, macroParameters: [:])
        do {
            let columns = try analyzer.analyzeSelect(query, outer: Scope())
            return .resolved(columns.map { Column(name: $0.name, type: $0.type, isNotNull: !$0.nullable) })
        } catch {
            if error.isUnsupported { return .unknown(error.message) }
            return .failed(error.message, at: error.location)
        }
    }
}
