import Testing

@testable import SQLGenCore

@Suite struct MigrationTextTests {
    @Test(arguments: [
        ("-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n", "goose"),
        ("-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n", "dbmate"),
        ("-- +migrate Up\nCREATE TABLE a (id int);\n-- +migrate Down\nDROP TABLE a;\n", "sql-migrate"),
    ])
    func downSectionsAreDroppedAndPositionsKept(text: String, tool: String) {
        let up = MigrationText.upSections(of: text)
        #expect(up.utf8.count == text.utf8.count, "\(tool)")
        #expect(!up.contains("DROP"), "\(tool)")
        let (catalog, diagnostics) = buildCatalog(up)
        #expect(diagnostics.isEmpty, "\(tool)")
        #expect(catalog.requireTable("public", "a") != nil, "\(tool)")
    }

    @Test func gooseStatementBlocksAndUpSectionAfterDownAreKept() {
        let text = """
            -- +goose Up
            -- +goose StatementBegin
            CREATE TABLE a (id int);
            -- +goose StatementEnd
            -- +goose Down
            DROP TABLE a;
            -- +goose Up
            CREATE TABLE b (id int);
            """
        let (catalog, diagnostics) = buildCatalog(MigrationText.upSections(of: text))
        #expect(diagnostics.isEmpty)
        #expect(catalog.requireTable("public", "a") != nil)
        #expect(catalog.requireTable("public", "b") != nil)
    }

    @Test func downFilesAreRecognised() {
        #expect(MigrationText.isDownMigration(fileName: "000001_init.down.sql"))
        #expect(MigrationText.isDownMigration(fileName: "000001_INIT.DOWN.SQL"))
        #expect(!MigrationText.isDownMigration(fileName: "000001_init.up.sql"))
        #expect(!MigrationText.isDownMigration(fileName: "000001_slowdown.sql"))
    }
}
