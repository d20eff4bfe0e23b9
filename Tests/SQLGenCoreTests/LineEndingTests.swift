import Foundation
import Testing

@testable import SQLGenCore

/// A line ends at `\r\n`, `\n` or `\r` everywhere sqlgen reads or writes text: files saved with
/// Windows or old Mac line endings generate the same Swift, and report problems at the same places,
/// as the same files with `\n`.
@Suite struct LineEndingTests {
    /// The CRM's schema and queries with every `\n` written as `breakText`, generated as the CLI does.
    static func generateCRM(lineBreak breakText: String, extraQuery: String = "") throws -> (
        files: [GeneratedFile], diagnostics: [String]
    ) {
        let root = RepositoryQueriesTests.root
        let text = try String(contentsOfFile: root + "/sqlgen.yaml", encoding: .utf8)
        let (parsed, _) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: root)
        let entry = try #require(parsed?.entries.first)
        func converted(_ files: [SourceFile]) -> [SourceFile] {
            files.map { file in
                var text = file.text
                if file.path.hasSuffix("contacts.sql") { text += extraQuery }
                return SourceFile(path: file.path, text: text.replacingOccurrences(of: "\n", with: breakText))
            }
        }
        let schema = converted(try SQLFileLoader.load(paths: entry.schema, relativeTo: root, migrations: true))
        let (catalog, schemaDiagnostics) = Pipeline.buildCatalog(from: schema)
        let queryFiles = converted(try SQLFileLoader.load(paths: entry.queries, relativeTo: root, migrations: false))
        let (queries, diagnostics) = QueryCompiler.compile(queryFiles, catalog: catalog, tenancy: entry.tenancy)
        let emitted = SwiftEmitter(catalog: catalog, queries: queries, options: entry.swift, tenancy: entry.tenancy)
            .emit()
        return (emitted.files, (schemaDiagnostics + diagnostics + emitted.diagnostics).map(\.rendered))
    }

    @Test(
        "the CRM saved with CRLF or CR line endings generates byte for byte the Swift it does with LF",
        arguments: ["\r\n", "\r"])
    func crmGeneratesTheSameSwift(lineBreak: String) throws {
        let lf = try Self.generateCRM(lineBreak: "\n")
        let other = try Self.generateCRM(lineBreak: lineBreak)
        #expect(lf.diagnostics == [])
        #expect(other.diagnostics == [])
        #expect(other.files.map(\.name) == lf.files.map(\.name))
        for (mine, theirs) in zip(other.files, lf.files) {
            #expect(mine.contents == theirs.contents, "\(mine.name) differs")
            #expect(!mine.contents.contains("\r"))
        }
    }

    @Test(
        "problems are reported at the same line and column whatever the line endings",
        arguments: ["\r\n", "\r"])
    func diagnosticsKeepTheirPlace(lineBreak: String) throws {
        let broken =
            "\n-- name: Broken :one\n-- Looks for a column that is not there.\nSELECT id,\n       emial\nFROM contacts WHERE id = $1;\n"
        let lf = try Self.generateCRM(lineBreak: "\n", extraQuery: broken)
        let other = try Self.generateCRM(lineBreak: lineBreak, extraQuery: broken)
        #expect(lf.diagnostics.count == 1)
        #expect(lf.diagnostics.first?.contains(#"error: column "emial" does not exist"#) == true)
        #expect(other.diagnostics == lf.diagnostics)
    }

    @Test func aLoneCarriageReturnEndsAnAnnotationAsPostgreSQLEndsAComment() {
        let (catalog, _) = Pipeline.buildCatalog(from: [
            SourceFile(path: "s.sql", text: "CREATE TABLE t (id int PRIMARY KEY, name text);")
        ])
        let text =
            "-- a\r-- name: A :one\rSELECT id FROM t WHERE id = $1;\n-- name: B :one\nSELECT name FROM t WHERE id = $1;\n"
        let (queries, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: text)], catalog: catalog, tenancy: nil)
        #expect(errors(diagnostics) == [])
        #expect(queries.map(\.name) == ["A", "B"])
        #expect(queries.map(\.sql) == ["SELECT id FROM t WHERE id = $1", "SELECT name FROM t WHERE id = $1"])
        #expect(queries.map(\.line) == [2, 4])
        #expect(queries.first?.documentation == ["a"])
    }

    @Test func lineBreaksOutsideQuotesAreSentAsLineFeeds() {
        let sql =
            "SELECT 'a\r\nb', E'c\\'\r\nd', $x$e\rf$x$, \"g\r\nh\", a$b\r\n-- note\rFROM /* x\r\n /* y */ */ t"
        var output: [UInt8] = []
        var normalizer = SQLLineBreakNormalizer()
        let bytes = Array(sql.utf8)
        normalizer.append(bytes, 0..<bytes.count, to: &output)
        #expect(
            String(decoding: output, as: UTF8.self)
                == "SELECT 'a\r\nb', E'c\\'\r\nd', $x$e\rf$x$, \"g\r\nh\", a$b\n-- note\nFROM /* x\n /* y */ */ t")
    }

    @Test func sourceLinesEndAtEveryKindOfLineBreak() {
        let file = SourceFile(path: "f.sql", text: "a\r\nb\rc\nd")
        #expect((0..<file.bytes.count).map { file.location(ofOffset: $0).line } == [1, 1, 1, 2, 2, 3, 3, 4])
        #expect((1...4).map(file.lineText) == ["a", "b", "c", "d"])
        #expect(LineBreaks.lines(of: "a\r\nb\rc\nd\n") == ["a", "b", "c", "d", ""])
    }

    @Test func downSectionsAreFoundWithCRLFLines() {
        let text = "-- +goose Up\r\nCREATE TABLE t (a int);\r\n-- +goose Down\r\nDROP TABLE t;\r\n"
        let up = MigrationText.upSections(of: text)
        #expect(up == "-- +goose Up\r\nCREATE TABLE t (a int);\r\n              \r\n             \r\n")
    }

    @Test("string literals hold any text: quotes, hashes, backslashes, CR, NUL, control characters")
    func literalsEscapeWhatTheyCannotHold() {
        #expect(SwiftWriter.literal("plain") == "\"plain\"")
        #expect(SwiftWriter.literal("a\rb") == "#\"a\\#rb\"#")
        #expect(SwiftWriter.literal("a\u{0}b\u{7}c") == "#\"a\\#0b\\#u{7}c\"#")
        #expect(SwiftWriter.literal("\"#x") == "##\"\"#x\"##")
        #expect(SwiftWriter.literal("l1\r\nl2", multiline: true) == "#\"\"\"\nl1\\#r\nl2\n\"\"\"#")
        #expect(SwiftWriter.literal("l1\r\nl2") == "#\"l1\\#r\\#nl2\"#")
        #expect(SwiftWriter.literal("\\(x)") == "#\"\\(x)\"#")
        #expect(SwiftWriter.literal("a\u{2028}b") == "#\"a\\#u{2028}b\"#")
        #expect(SwiftWriter.literal("a\tb") == "#\"a\\#tb\"#")
        #expect(SwiftWriter.literal("a\tb\nc", multiline: true) == "#\"\"\"\na\tb\nc\n\"\"\"#")
    }

    @Test func documentationNeverCarriesALineBreakIntoCode() {
        var writer = SwiftWriter()
        writer.documentation(["one\r\ntwo\rthree\nfour"])
        #expect(writer.text == "/// one\n/// two\n/// three\n/// four\n")
    }
}
