import Testing

@testable import SQLGenCore

/// `:one` returns the row itself only where the statement's form returns exactly one row.
@Suite struct SingleRowProofTests {
    static let schema = """
        CREATE TABLE tags (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, uses int NOT NULL DEFAULT 0);
        CREATE FUNCTION tag_names() RETURNS SETOF text LANGUAGE sql AS $$ SELECT name FROM tags $$;
        """

    /// Whether each query (by name) was proven to return exactly one row.
    static func proofs(_ queries: String) -> [String: Bool] {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        let (analyzed, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == [])
        return Dictionary(uniqueKeysWithValues: analyzed.map { ($0.name, $0.returnsExactlyOneRow) })
    }

    @Test func formsThatReturnExactlyOneRow() {
        let proofs = Self.proofs(
            """
            -- name: InsertOne :one
            INSERT INTO tags (name) VALUES ($1) RETURNING *;
            -- name: InsertDefaults :one
            INSERT INTO tags DEFAULT VALUES RETURNING id;
            -- name: Upsert :one
            INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET uses = tags.uses + 1 RETURNING *;
            -- name: CountAll :one
            SELECT count(*) AS total, max(id) AS last FROM tags WHERE uses > $1;
            -- name: CoalescedSum :one
            SELECT coalesce(sum(uses), 0)::bigint AS uses FROM tags;
            -- name: NoFrom :one
            SELECT now() AS at, $1::text AS echo;
            """)
        #expect(
            proofs == [
                "InsertOne": true, "InsertDefaults": true, "Upsert": true, "CountAll": true,
                "CoalescedSum": true, "NoFrom": true,
            ])
    }

    @Test func formsThatMayReturnNoRowOrSeveral() {
        let proofs = Self.proofs(
            """
            -- name: Lookup :one
            SELECT * FROM tags WHERE id = $1;
            -- name: InsertOrNothing :one
            INSERT INTO tags (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id;
            -- name: UpsertWhere :one
            INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET uses = 1 WHERE tags.uses = 0 RETURNING id;
            -- name: InsertSelect :one
            INSERT INTO tags (name) SELECT name FROM tags WHERE id = $1 RETURNING id;
            -- name: InsertTwo :one
            INSERT INTO tags (name) VALUES ($1), ($2) RETURNING id;
            -- name: Grouped :one
            SELECT count(*) AS total FROM tags GROUP BY uses;
            -- name: Having :one
            SELECT count(*) AS total FROM tags HAVING count(*) > 1;
            -- name: Offset :one
            SELECT count(*) AS total FROM tags OFFSET $1;
            -- name: WindowOnly :one
            SELECT count(*) OVER () AS total FROM tags;
            -- name: AggregateInSubquery :one
            SELECT (SELECT max(id) FROM tags) AS last FROM tags;
            -- name: SetReturning :one
            SELECT count(*) AS total, generate_series(1, 2) AS n FROM tags;
            -- name: UserFunction :one
            SELECT tag_names() AS name;
            -- name: FilteredNoFrom :one
            SELECT 1 AS one WHERE $1::bool;
            -- name: UpdateOne :one
            UPDATE tags SET uses = uses + 1 WHERE id = $1 RETURNING uses;
            """)
        #expect(proofs.count == 14)
        #expect(proofs.filter(\.value).keys.sorted() == [])
    }
}
