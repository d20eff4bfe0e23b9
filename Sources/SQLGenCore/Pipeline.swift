/// The generator's stages, put together.
public enum Pipeline {
    /// Parses schema files and applies them, in order, to an empty catalog. Annotated statements are
    /// queries, not schema, and are left out (``SchemaStatements``).
    public static func buildCatalog(
        from files: [SourceFile], viewColumnResolver: any ViewColumnResolver = QueryAnalyzerViewResolver()
    ) -> (catalog: Catalog, diagnostics: [Diagnostic]) {
        var builder = CatalogBuilder(viewColumnResolver: viewColumnResolver)
        for file in files {
            builder.apply(SQLParser.parse(SchemaStatements.of(file)))
        }
        return (builder.catalog, builder.diagnostics)
    }

    /// The files the catalog is built from: the schema files, then the query files that are not also
    /// schema files, whose unannotated statements (DDL kept beside the queries) are schema too.
    public static func catalogFiles(schema: [SourceFile], queries: [SourceFile]) -> [SourceFile] {
        let schemaPaths = Set(schema.map(\.path))
        return schema + queries.filter { !schemaPaths.contains($0.path) }
    }
}
