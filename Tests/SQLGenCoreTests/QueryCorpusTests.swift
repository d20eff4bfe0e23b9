import Foundation
import Testing

@testable import SQLGenCore

/// The query corpus: every query's parameter and column types checked against
/// PostgreSQL's own description of the prepared statement, nullability against
/// the expectations written beside each query (`-- expect:` for columns,
/// `-- params:` for parameters, `!` never NULL, `?` may be NULL), and errors
/// against the message and position PostgreSQL reports.
@Suite(.serialized) struct QueryCorpusTests {
    /// A corpus: a schema, its query files, and a file of statements PostgreSQL rejects.
    struct Corpus: Sendable, CustomTestStringConvertible {
        /// The corpus folder's name under `Fixtures/queries`.
        var name: String
        /// How many queries it has at least, and how many carry `-- expect:`/`-- params:` lines.
        var minimumQueries: Int
        var minimumExpectations: Int
        /// How many statements its `errors/errors.sql` has.
        var errorStatements: Int
        /// How many statements the nullability evidence must run on it (two fifths of them with rows).
        var minimumEvidenceRuns: Int

        var root: String {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/queries/" + name
        }
        var testDescription: String { name }

        /// The shop schema: the first corpus, of everyday queries.
        static let shop = Corpus(
            name: "shop", minimumQueries: 130, minimumExpectations: 130, errorStatements: 15, minimumEvidenceRuns: 200)
        /// Statements PostgreSQL 15 accepts that go beyond everyday queries: calls with named arguments,
        /// procedures, ordered-set aggregates, every FROM-item form, system columns, output-column sort keys.
        static let postgres15 = Corpus(
            name: "postgres15", minimumQueries: 120, minimumExpectations: 120, errorStatements: 31,
            minimumEvidenceRuns: 150)
        static let all = [shop, postgres15]
    }

    static let root = Corpus.shop.root

    static func load(_ corpus: Corpus = .shop) throws -> (Catalog, [AnalyzedQuery], [Diagnostic]) {
        let root = corpus.root
        let schema = try SQLFileLoader.load(paths: [root + "/schema.sql"], relativeTo: root, migrations: true)
        let (catalog, schemaDiagnostics) = Pipeline.buildCatalog(from: schema)
        let queryFiles = try SQLFileLoader.load(paths: [root + "/queries"], relativeTo: root, migrations: false)
        let (queries, diagnostics) = QueryCompiler.compile(queryFiles, catalog: catalog, tenancy: nil)
        return (catalog, queries, schemaDiagnostics + diagnostics)
    }

    @Test(arguments: Corpus.all) func corpusIsLargeAndAnalysesWithoutErrors(_ corpus: Corpus) throws {
        let (_, queries, diagnostics) = try Self.load(corpus)
        #expect(errors(diagnostics) == [])
        #expect(queries.count >= corpus.minimumQueries)
    }

    @Test(arguments: Corpus.all) func typesMatchPostgresDescribe(_ corpus: Corpus) throws {
        let (_, queries, _) = try Self.load(corpus)
        let server = try PostgresTestConnection.freshDatabase("corpus_\(corpus.name)")
        try server.execute(String(contentsOfFile: corpus.root + "/schema.sql", encoding: .utf8))
        var mismatches: [String] = []
        for query in queries {
            let description: PostgresTestConnection.Description
            do {
                description = try server.describe(query.sql)
            } catch {
                mismatches.append("\(query.name): PostgreSQL rejected it: \(error)")
                continue
            }
            let ourParameters = query.parameters.map(\.type.formatted)
            if ourParameters != description.parameterTypes {
                mismatches.append(
                    "\(query.name) params: ours \(ourParameters), PostgreSQL \(description.parameterTypes)")
            }
            let ourColumns = query.columns.map { "\($0.name) \($0.type.formatted)" }
            let theirColumns = description.columns.map { "\($0.name) \($0.type)" }
            if ourColumns != theirColumns {
                mismatches.append("\(query.name) columns: ours \(ourColumns), PostgreSQL \(theirColumns)")
            }
        }
        #expect(mismatches == [])
    }

    @Test(arguments: Corpus.all) func nullabilityMatchesExpectations(_ corpus: Corpus) throws {
        let (_, queries, _) = try Self.load(corpus)
        var checked = 0
        var mismatches: [String] = []
        for query in queries {
            for line in query.documentation {
                if line.hasPrefix("expect:") {
                    let ours = query.columns.map { $0.fieldName + ($0.nullable ? "?" : "!") }
                    let expected = Self.items(line.dropFirst("expect:".count))
                    if ours != expected {
                        mismatches.append("\(query.name) columns: ours \(ours), expected \(expected)")
                    }
                    checked += 1
                } else if line.hasPrefix("params:") {
                    let ours = query.parameters.map { $0.name + ($0.nullable ? "?" : "!") }
                    let expected = Self.items(line.dropFirst("params:".count))
                    if ours != expected {
                        mismatches.append("\(query.name) params: ours \(ours), expected \(expected)")
                    }
                    checked += 1
                }
            }
        }
        #expect(mismatches == [])
        #expect(checked >= corpus.minimumExpectations)
    }

    static func items(_ text: Substring) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test(arguments: Corpus.all) func errorsMatchPostgresMessageAndPosition(_ corpus: Corpus) throws {
        let (catalog, _, _) = try Self.load(corpus)
        let file = try SQLFileLoader.load(
            paths: [corpus.root + "/errors/errors.sql"], relativeTo: corpus.root, migrations: false)[0]
        let server = try PostgresTestConnection.freshDatabase("corpus_\(corpus.name)_errors")
        try server.execute(String(contentsOfFile: corpus.root + "/schema.sql", encoding: .utf8))
        let parsed = SQLParser.parse(file)
        #expect(parsed.statements.count == corpus.errorStatements)
        for statement in parsed.statements {
            let (_, diagnostics) = QueryCompiler.compile(
                [SourceFile(path: file.path, text: Self.isolate(statement, in: file))], catalog: catalog, tenancy: nil)
            let expectedMessage = Self.expectedError(before: statement.location, in: file)
            let sql = file.slice(from: statement.location, length: statement.length)
            guard let serverError = server.preparationError(sql.replacingOccurrences(of: "$3", with: "$3::text")) else {
                Issue.record("PostgreSQL accepted \(sql)")
                continue
            }
            #expect(serverError.message == expectedMessage)
            #expect(diagnostics.map { String($0.message.prefix(expectedMessage.count)) } == [expectedMessage], "\(sql)")
            if let position = serverError.position {
                let offset = statement.location + SourceFile(path: "", text: sql).offset(ofScalarPosition: position)
                #expect(diagnostics.first?.location == file.location(ofOffset: offset), "\(sql)")
            }
        }
    }

    /// The file with every statement but one blanked, so positions stay those of the file.
    static func isolate(_ statement: Statement, in file: SourceFile) -> String {
        let start = file.text.utf8.index(file.text.utf8.startIndex, offsetBy: 0)
        _ = start
        var bytes = file.bytes
        let keepStart = max(0, statement.location - 200)
        for index in bytes.indices
        where (index < keepStart || index >= statement.location + statement.length) && bytes[index] != 10 {
            bytes[index] = 32
        }
        // Keep the annotation lines right above the statement.
        var lineStart = statement.location
        var lines = 0
        while lineStart > 0, lines < 3 {
            lineStart -= 1
            if file.bytes[lineStart] == 10 { lines += 1 }
        }
        for index in lineStart..<statement.location { bytes[index] = file.bytes[index] }
        for index in keepStart..<lineStart where bytes[index] != 10 { bytes[index] = 32 }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func expectedError(before offset: Int, in file: SourceFile) -> String {
        let line = file.line(ofOffset: offset)
        for candidate in stride(from: line - 1, through: max(1, line - 3), by: -1) {
            let text = file.lineText(candidate)
            if text.hasPrefix("-- error: ") { return String(text.dropFirst("-- error: ".count)) }
        }
        return ""
    }
}
