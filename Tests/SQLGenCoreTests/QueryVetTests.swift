import Testing

@testable import SQLGenCore

@Suite struct QueryVetTests {
    static let schema = """
        CREATE TABLE notes (id int PRIMARY KEY, body text, author_id int, slug text UNIQUE);
        CREATE TABLE authors (id int PRIMARY KEY, name text);
        CREATE SCHEMA tenant_template;
        CREATE TABLE tenant_template.tasks (id int PRIMARY KEY, title text);
        """

    /// The rules each query breaks, by query name.
    static func vet(_ queries: String, tenancy: TenancyConfiguration? = nil) -> [String: [String]] {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(schemaDiagnostics.isEmpty)
        let (analyzed, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: tenancy)
        #expect(errors(diagnostics) == [])
        var rules: [String: [String]] = [:]
        for query in analyzed {
            rules[query.name] = QueryVet(catalog: catalog, tenancy: tenancy).check([query]).compactMap { warning in
                warning.message.split(separator: "]").first.map { String($0.dropFirst()) }
            }
        }
        return rules
    }

    @Test("select-star: a star reading more columns than the row uses, not a star whose columns all reach the row")
    func selectStar() {
        let rules = Self.vet(
            """
            -- name: AllNotes :many
            SELECT * FROM notes;
            -- name: NotesWithAuthors :many
            SELECT n.*, a.name FROM notes n JOIN authors a ON a.id = n.author_id;
            -- name: EverythingJoined :many
            SELECT * FROM notes n JOIN authors a ON a.id = n.author_id;
            -- name: IdsThroughCTE :many
            WITH recent AS (SELECT * FROM notes) SELECT id FROM recent;
            -- name: BodiesThroughSubquery :many
            SELECT s.body FROM (SELECT n.* FROM notes n) s;
            -- name: StarOfTheOtherTable :many
            SELECT a.id FROM (SELECT n.id, a.* FROM notes n JOIN authors a ON a.id = n.author_id) a;
            -- name: UnionAllUsed :many
            SELECT * FROM notes UNION ALL SELECT * FROM notes;
            -- vet: ignore select-star
            -- name: Ignored :many
            WITH recent AS (SELECT * FROM notes) SELECT id FROM recent;
            """)
        #expect(rules["AllNotes"] == [])
        #expect(rules["NotesWithAuthors"] == [])
        #expect(rules["EverythingJoined"] == [])
        #expect(rules["IdsThroughCTE"] == ["select-star"])
        #expect(rules["BodiesThroughSubquery"] == ["select-star"])
        #expect(rules["StarOfTheOtherTable"] == ["select-star"])
        #expect(rules["UnionAllUsed"] == [])
        #expect(rules["Ignored"] == [])
    }

    @Test("where-less writes, :one not pinned to a key, tenant queries writing shared tables")
    func otherRules() {
        let rules = Self.vet(
            """
            -- name: ClearBodies :exec
            UPDATE notes SET body = '';
            -- name: RemoveAll :execrows
            DELETE FROM notes;
            -- name: ByAuthor :one
            SELECT id FROM notes WHERE author_id = $1;
            -- name: BySlug :one
            SELECT id FROM notes WHERE slug = $1;
            -- name: FirstByAuthor :one
            SELECT id FROM notes WHERE author_id = $1 LIMIT 1;
            -- name: RenameTask :exec
            UPDATE tasks SET title = $1 WHERE id = $2;
            -- name: TouchAuthorFromTenant :exec
            UPDATE authors SET name = (SELECT title FROM tasks WHERE id = $1) WHERE id = $2;
            """,
            tenancy: TenancyConfiguration())
        #expect(rules["ClearBodies"] == ["update-without-where"])
        #expect(rules["RemoveAll"] == ["delete-without-where"])
        #expect(rules["ByAuthor"] == ["one-without-unique-key"])
        #expect(rules["BySlug"] == [])
        #expect(rules["FirstByAuthor"] == [])
        #expect(rules["RenameTask"] == [])
        #expect(rules["TouchAuthorFromTenant"] == ["tenant-writes-shared"])
    }
}
