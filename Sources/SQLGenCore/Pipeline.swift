/// What analysing one `sql` entry of a configuration found.
public struct PipelineAnalysis: Sendable {
    /// The catalog and the analysed queries; nil when a stage reported an error and the ones after it
    /// did not run.
    public var result: (catalog: Catalog, queries: [AnalyzedQuery])?
    /// Every stage's diagnostics, in the order the stages ran.
    public var diagnostics: [Diagnostic]
}

/// The generator's stages, put together.
public enum Pipeline {
    /// Loads an entry's schema and query files, builds the catalog, checks the tenancy settings against
    /// it and analyses every query: each stage runs only when the ones before it reported no error.
    public static func analyze(_ entry: SQLEntryConfiguration, base: String) -> PipelineAnalysis {
        let schemaFiles: [SourceFile]
        let queryFiles: [SourceFile]
        do {
            schemaFiles = try SQLFileLoader.load(paths: entry.schema, relativeTo: base, migrations: true)
            queryFiles = try SQLFileLoader.load(paths: entry.queries, relativeTo: base, migrations: false)
        } catch {
            return PipelineAnalysis(result: nil, diagnostics: [error])
        }
        let (catalog, schemaDiagnostics) = buildCatalog(
            from: catalogFiles(schema: schemaFiles, queries: queryFiles), extensions: entry.extensions)
        var diagnostics = schemaDiagnostics
        guard !diagnostics.containsErrors else { return PipelineAnalysis(result: nil, diagnostics: diagnostics) }
        diagnostics += entry.tenancy.map { TenancyCheck.diagnostics($0, catalog: catalog) } ?? []
        guard !diagnostics.containsErrors else { return PipelineAnalysis(result: nil, diagnostics: diagnostics) }
        let (queries, queryDiagnostics) = QueryCompiler.compile(queryFiles, catalog: catalog, tenancy: entry.tenancy)
        diagnostics += queryDiagnostics
        guard !diagnostics.containsErrors else { return PipelineAnalysis(result: nil, diagnostics: diagnostics) }
        return PipelineAnalysis(result: (catalog, queries), diagnostics: diagnostics)
    }

    /// Parses schema files and applies them, in order, to an empty catalog that knows the declared
    /// `extensions`' objects. Annotated statements are queries, not schema, and are left out
    /// (`SchemaStatements`).
    public static func buildCatalog(
        from files: [SourceFile], extensions: [ExtensionDeclaration] = [],
        viewColumnResolver: any ViewColumnResolver = QueryAnalyzerViewResolver()
    ) -> (catalog: Catalog, diagnostics: [Diagnostic]) {
        let (builtins, declarationDiagnostics) = BuiltinCatalog.shared.declaring(extensions)
        guard !declarationDiagnostics.containsErrors else { return (Catalog(), declarationDiagnostics) }
        var builder = CatalogBuilder(catalog: Catalog(builtins: builtins), viewColumnResolver: viewColumnResolver)
        for file in files {
            builder.apply(SchemaStatements.of(file))
        }
        return (builder.catalog, declarationDiagnostics + builder.diagnostics)
    }

    /// The files the catalog is built from: the schema files, then the query files that are not also
    /// schema files, whose unannotated statements (DDL kept beside the queries) are schema too.
    public static func catalogFiles(schema: [SourceFile], queries: [SourceFile]) -> [SourceFile] {
        let schemaPaths = Set(schema.map(\.path))
        return schema + queries.filter { !schemaPaths.contains($0.path) && mayDefine($0) }
    }

    /// Whether a file has a word that starts a definition (CREATE, ALTER, DROP, COMMENT, a search path):
    /// a query file without one holds nothing for the catalog, and is not parsed a second time for it.
    static func mayDefine(_ file: SourceFile) -> Bool {
        let words: [[UInt8]] = ["create", "alter", "drop", "comment", "search_path"].map { Array($0.utf8) }
        let bytes = file.bytes
        var index = 0
        while index < bytes.count {
            let byte = bytes[index] | 0x20
            // At the start of a word only.
            if byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z"),
                index == 0
                    || !(bytes[index - 1] | 0x20 >= UInt8(ascii: "a") && bytes[index - 1] | 0x20 <= UInt8(ascii: "z"))
            {
                for word in words where index + word.count <= bytes.count {
                    let end = index + word.count
                    let followed =
                        end == bytes.count
                        || !(bytes[end] | 0x20 >= UInt8(ascii: "a") && bytes[end] | 0x20 <= UInt8(ascii: "z")
                            || bytes[end] == UInt8(ascii: "_"))
                    if followed, (0..<word.count).allSatisfy({ bytes[index + $0] | 0x20 == word[$0] }) { return true }
                }
            }
            index += 1
        }
        return false
    }
}
