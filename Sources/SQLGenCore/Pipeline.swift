/// The generator's stages, put together.
public enum Pipeline {
    /// Parses schema files and applies them, in order, to an empty catalog.
    public static func buildCatalog(
        from files: [SourceFile], viewColumnResolver: any ViewColumnResolver = QueryAnalyzerViewResolver()
    ) -> (catalog: Catalog, diagnostics: [Diagnostic]) {
        var builder = CatalogBuilder(viewColumnResolver: viewColumnResolver)
        for file in files {
            builder.apply(SQLParser.parse(file))
        }
        return (builder.catalog, builder.diagnostics)
    }
}
