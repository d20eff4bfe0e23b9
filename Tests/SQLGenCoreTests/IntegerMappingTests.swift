import Testing

@testable import SQLGenCore

/// bigint is Swift's `Int` (64 bits on every platform the package supports), LIMIT and OFFSET and
/// `count(*)` included; an override brings back `Int64`; integer and smallint keep their widths.
@Suite struct IntegerMappingTests {
    static let schema = "CREATE TABLE items (id bigint PRIMARY KEY, rank integer NOT NULL, flag smallint NOT NULL);"
    static let queries = """
        -- name: CountItems :one
        SELECT count(*) FROM items;
        -- name: PageItems :many
        SELECT id, rank, flag FROM items ORDER BY id LIMIT $1 OFFSET $2;
        """

    static func emitted(_ options: SwiftOptions) -> String {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        let (analyzed, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "queries/items.sql", text: queries)], catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == [])
        let files = SwiftEmitter(catalog: catalog, queries: analyzed, options: options, tenancy: nil).emit().files
        // The queries and the model the page's rows reuse.
        return files.map(\.contents).joined(separator: "\n")
    }

    @Test func bigintIsInt() {
        let text = Self.emitted(SwiftOptions())
        #expect(text.contains("public func countItems() async throws(SQLGenRuntime.SQLGenError) -> Swift.Int {"))
        #expect(text.contains("limit: Swift.Int,"))
        #expect(text.contains("offset: Swift.Int"))
        #expect(text.contains("public var id: Swift.Int\n"))
        #expect(text.contains("public var rank: Swift.Int32\n"))
        #expect(text.contains("public var flag: Swift.Int16\n"))
    }

    @Test func anOverrideBringsBackInt64() {
        var options = SwiftOptions()
        options.overrides = [TypeOverride(databaseType: "bigint", swiftType: "Swift.Int64")]
        let text = Self.emitted(options)
        #expect(text.contains("-> Swift.Int64 {"))
        #expect(text.contains("limit: Swift.Int64,"))
        #expect(text.contains("public var id: Swift.Int64\n"))
        #expect(!text.contains("Swift.Int\n"))
    }
}
