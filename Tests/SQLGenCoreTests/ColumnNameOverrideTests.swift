import Testing

@testable import SQLGenCore

/// Nullability and Swift types written in a result column's name (`AS "title!"`, `AS "title?"`,
/// `AS "meta: PostMeta"`), as sqlx reads them.
@Suite struct ColumnNameOverrideTests {
    static let schema = """
        CREATE TABLE posts (id bigserial PRIMARY KEY, title text, meta jsonb, "odd?" text);
        """

    static func compile(_ queries: String) -> ([AnalyzedQuery], [Diagnostic]) {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        return QueryCompiler.compile([SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: nil)
    }

    @Test func marksSetNullabilityAndTypeAndLeaveTheName() throws {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Overrides :many
            SELECT max(id) AS "latest!", id AS "id?", meta AS "meta: PostMeta", meta AS "meta2!: PostMeta",
                title AS "plain", "odd?" FROM posts GROUP BY id, meta, title, "odd?";
            """)
        #expect(errors(diagnostics) == [])
        let columns = try #require(queries.first).columns
        #expect(columns.map(\.fieldName) == ["latest", "id", "meta", "meta2", "plain", "odd?"])
        // The name stays the one PostgreSQL gives the column.
        #expect(columns.map(\.name) == ["latest!", "id?", "meta: PostMeta", "meta2!: PostMeta", "plain", "odd?"])
        #expect(columns.map(\.nullable) == [false, true, true, false, true, true])
        #expect(columns.map(\.swiftType) == [nil, nil, "PostMeta", "PostMeta", nil, nil])
        // The SQL goes to the server as written.
        #expect(queries.first?.sql.contains(#"AS "latest!""#) == true)
    }

    @Test func malformedOrImpossibleOverridesAreErrorsAtTheirColumn() {
        let cases: [(String, String)] = [
            (#"SELECT id AS "x: " FROM posts"#, #""x: " names no Swift type after its ":""#),
            (#"SELECT meta AS "m: Post-Meta" FROM posts"#, #""Post-Meta" in "m: Post-Meta" is not a Swift type name"#),
            (
                #"SELECT meta AS "m: PostMeta?" FROM posts"#,
                #"write a column's nullability on its name, not its type: "m?: PostMeta""#
            ),
            (
                #"SELECT id AS "x!?" FROM posts"#,
                #""x!?" is not a column name with one "!" or "?" and an optional ": Type""#
            ),
            (
                #"SELECT id AS "!" FROM posts"#,
                #""!" is not a column name with one "!" or "?" and an optional ": Type""#
            ),
            (
                #"SELECT NULL::text AS "gone!" FROM posts"#,
                #"column "gone" is declared never NULL with "!", but it is always NULL"#
            ),
        ]
        for (sql, message) in cases {
            let (queries, diagnostics) = Self.compile("-- name: Bad :many\n\(sql);\n")
            #expect(queries.isEmpty, "\(sql)")
            // At the column, which starts in column 8 of the query's line.
            #expect(errors(diagnostics) == ["q.sql:2:8: error: \(message)"], "\(sql)")
        }
    }
}
