import Testing

@testable import SQLGenCore

/// A parameter is tied to the table column whose value it holds (so that column's overrides reach
/// it), and only when it holds a value of that column's own type.
@Suite struct ParameterSourceTests {
    static let schema = """
        CREATE TABLE posts (id bigserial PRIMARY KEY, meta jsonb NOT NULL, tags text[] NOT NULL, title text);
        """

    /// Each parameter's column, by query, `nil` where it has none.
    static func sources(_ queries: String) -> [String: [String?]] {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        let (analyzed, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == [])
        return Dictionary(
            uniqueKeysWithValues: analyzed.map { query in
                (query.name, query.parameters.map { $0.source.map { "\($0.table).\($0.column)" } })
            })
    }

    @Test func valuesAssignedOrComparedTakeTheirColumn() {
        let sources = Self.sources(
            """
            -- name: Insert :exec
            INSERT INTO posts (meta, tags, title) VALUES ($1, $2, $3);
            -- name: InsertSelect :exec
            INSERT INTO posts (meta, tags) SELECT $1, $2;
            -- name: Update :exec
            UPDATE posts SET meta = $1, title = $2 WHERE id = $3;
            -- name: Contains :many
            SELECT id FROM posts WHERE meta @> $1 AND $2 = title;
            """)
        #expect(sources["Insert"] == ["posts.meta", "posts.tags", "posts.title"])
        #expect(sources["InsertSelect"] == ["posts.meta", "posts.tags"])
        #expect(sources["Update"] == ["posts.meta", "posts.title", "posts.id"])
        #expect(sources["Contains"] == ["posts.meta", "posts.title"])
    }

    @Test func valuesOfAnotherTypeTakeNone() {
        let sources = Self.sources(
            """
            -- name: AddTag :exec
            UPDATE posts SET tags = array_append(tags, $1) WHERE id = $2;
            -- name: AnyOf :many
            SELECT id FROM posts WHERE id = ANY($1::bigint[]);
            -- name: Slice :many
            SELECT id FROM posts WHERE id = ANY(sqlc.slice(ids));
            -- name: HasKey :many
            SELECT id FROM posts WHERE meta ? $1;
            -- name: Longer :many
            SELECT id FROM posts WHERE length(title) > $1;
            """)
        #expect(sources["AddTag"] == [nil, "posts.id"])
        #expect(sources["AnyOf"] == [nil])
        #expect(sources["Slice"] == [nil])
        #expect(sources["HasKey"] == [nil])
        #expect(sources["Longer"] == [nil])
    }
}
