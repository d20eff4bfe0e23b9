import Testing

@testable import SQLGenCore

/// Rows with the same fields are one type, across the query files of an entry.
@Suite struct SharedRowTests {
    static let schema = """
        CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, note text);
        CREATE TABLE teams (id bigint PRIMARY KEY, name text NOT NULL, note text NOT NULL);
        """

    /// The emitted files of `files` (path → SQL) over the schema.
    static func emit(_ files: [(String, String)]) -> [String: String] {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        let (queries, diagnostics) = QueryCompiler.compile(
            files.map { SourceFile(path: $0.0, text: $0.1) }, catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == [])
        let emitted = SwiftEmitter(catalog: catalog, queries: queries, options: SwiftOptions(), tenancy: nil).emit()
        return Dictionary(uniqueKeysWithValues: emitted.files.map { ($0.name, $0.contents) })
    }

    @Test func identicalRowsAcrossFilesAreTheFirstQuerysType() {
        let files = Self.emit([
            ("queries/accounts.sql", "-- name: AccountNames :many\nSELECT id, name FROM accounts;"),
            (
                "queries/teams.sql",
                """
                -- name: TeamNames :many
                SELECT id, name FROM teams;

                -- name: TeamNotes :many
                SELECT id, note FROM teams;

                -- name: AccountNotes :many
                SELECT id, note FROM accounts;
                """
            ),
        ])
        let accounts = files["AccountsQueries.swift"] ?? ""
        let teams = files["TeamsQueries.swift"] ?? ""
        // The first query's row is a struct; the later one with the same fields names it.
        #expect(accounts.contains("public struct AccountNamesRow: Swift.Sendable, SQLGenRuntime.SQLRowDecodable"))
        #expect(accounts.contains("Other queries whose rows have the same columns return it too."))
        #expect(teams.contains("public typealias TeamNamesRow = AccountsQueries.AccountNamesRow"))
        #expect(!teams.contains("public struct TeamNamesRow"))
        // `note` is NOT NULL in teams and nullable in accounts: two types.
        #expect(teams.contains("public struct TeamNotesRow"))
        #expect(teams.contains("public struct AccountNotesRow"))
        #expect(!teams.contains("typealias TeamNotesRow"))
        #expect(!teams.contains("typealias AccountNotesRow"))
    }

    @Test func aRowOfItsOwnDecodesItself() {
        let files = Self.emit([("queries/a.sql", "-- name: Pair :one\nSELECT id, note FROM accounts WHERE id = $1;")])
        let text = files["AQueries.swift"] ?? ""
        #expect(text.contains("public init(decoding row: SQLGenRuntime.SQLRow) throws(SQLGenRuntime.SQLGenError)"))
        #expect(!text.contains("static func decode"))
        #expect(!text.contains("Other queries"))
    }

    /// A result of one column is that column's value; a `:one` that may find no row keeps a row type
    /// for a NULL-able column, so that no row and NULL stay apart.
    @Test func aRowOfOneColumnIsItsValue() {
        let files = Self.emit([
            (
                "queries/a.sql",
                """
                -- name: Names :many
                SELECT name FROM accounts;

                -- name: Name :one
                SELECT name FROM accounts WHERE id = $1;

                -- name: Note :one
                SELECT note FROM accounts WHERE id = $1;

                -- name: LastID :one
                SELECT max(id) AS last FROM accounts;
                """
            )
        ])
        let text = files["AQueries.swift"] ?? ""
        #expect(text.contains("public func names() async throws(SQLGenRuntime.SQLGenError) -> [Swift.String] {"))
        #expect(text.contains("-> Swift.String? {"))
        #expect(text.contains("public func lastID() async throws(SQLGenRuntime.SQLGenError) -> Swift.Int? {"))
        #expect(text.contains("-> NoteRow? {"))
        #expect(text.contains("public struct NoteRow"))
        #expect(!text.contains("struct NamesRow"))
        #expect(text.contains("SQLGenRuntime.ColumnQueryStatement("))
    }
}
