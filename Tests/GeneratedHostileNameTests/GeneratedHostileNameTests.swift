import Foundation
import SQLGenRuntime
import Testing

/// Generated at build time from a schema of hostile names (tables named for the standard library's,
/// Foundation's and the runtime's types, every Swift keyword as a column, names that collide after
/// case conversion, enum labels of every shape): that this target compiles is half the test; the
/// other half runs a row through the generated code against the throwaway server. Here, as in any
/// module holding these models, `SQLGenError` and `String` mean the generated models, so the
/// runtime's and the standard library's types are named by module.
@Suite(.serialized) struct GeneratedHostileNameTests {
    static let schemaPath = Foundation.URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SQLGenCoreTests/Fixtures/emit/hostile_names/schema.sql").standardizedFileURL.path

    /// A fresh database with the hostile schema.
    static func database(_ name: Swift.String) async throws -> SQLGenRuntime.PostgresSession {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            throw SQLGenRuntime.SQLGenError(
                .connectionFailed, message: "SQLGEN_TEST_DATABASE_URL is not set: run `make test`")
        }
        let admin = try await SQLGenRuntime.PostgresSession.connect(SQLGenRuntime.PostgresConfiguration(url: url))
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        let connection = try await SQLGenRuntime.PostgresSession.connect(
            SQLGenRuntime.PostgresConfiguration(url: url.replacingOccurrences(of: "/postgres", with: "/\(name)")))
        try await connection.simpleQuery(Swift.String(contentsOfFile: schemaPath, encoding: .utf8))
        return connection
    }

    @Test func everyEnumLabelIsADistinctCase() {
        #expect(
            Status.allCases.map(\.rawValue) == [
                "in progress", "in_progress", "Case", "case", "1st", "", "self", "default", "rawValue", "allCases",
                "init", "Type", #"a"b"#, #"x\y"#, "*/", "\"\"\"#", "zwölf", "🎉",
            ])
        #expect(Status.inProgress.rawValue == "in progress")
        #expect(Status.inProgress2.rawValue == "in_progress")
        #expect(Status.`case`.rawValue == "Case")
        #expect(Status.case2.rawValue == "case")
        #expect(Status.`self`.rawValue == "self")
    }

    @Test func sqlTextIsKeptExactly() {
        // A CR LF and a lone CR inside string literals are values: they reach the server as written.
        #expect(QueriesQueries.initSQL.contains("'a\r\nb' AS crlf"))
        #expect(QueriesQueries.initSQL.contains("'lone\rcr' AS cr"))
        #expect(QueriesQueries.initSQL.contains("'\"\"\"#' AS quotes"))
        #expect(QueriesQueries.initSQL.contains(#"'\(x) #"' AS interpolation"#))
        #expect(QueriesQueries.initSQL.contains("'sep\u{2028}arated'"))
    }

    @Test func aRowRoundTripsThroughHostileNames() async throws {
        let connection = try await Self.database("generated_hostile_names")
        defer { Task { await connection.close() } }
        let queries = QueriesQueries(connection)
        let pair = String(value: "v\"al", self: 3)
        // An INSERT of one row with RETURNING returns the row itself.
        let inserted = try await queries.row(
            QueriesQueries.RowParams(
                id: 1, class: 2, self: 3, self2: 4, in: 5, userID: 6, userId: 7, userID2: 8, state: .case2,
                pair: pair))
        #expect(inserted.`class` == 2)
        #expect(inserted.`self` == 3)
        #expect(inserted.self2 == 4)
        #expect(inserted.`in` == 5)
        #expect([inserted.userID, inserted.userId, inserted.userID2, inserted.userID3] == [6, 7, 8, nil])
        #expect(inserted.state == .case2)
        #expect(inserted.pair == pair)
        #expect(try await queries.`self`(id: 1) == inserted)

        #expect(try await queries.executor2(default: 9, case: 0, self: 3) == 0)
        let literals = try await queries.`init`()
        #expect(literals.crlf == "a\r\nb")
        #expect(literals.cr == "lone\rcr")
        #expect(literals.quotes == "\"\"\"#")
        #expect(literals.interpolation == #"\(x) #""#)
        #expect(literals.sep == "sep\u{2028}arated")
        #expect(literals.tab == "tab\tend")

        try await queries.date(self: 7, executor: "e", in: SQLGenRuntime.SQLDate(year: 2026, month: 12, day: 1))
        let copied = try await queries.copyKeywords([QueriesQueries.CopyKeywordsParams(id: 2, aB: "quote", _1: "party")]
        )
        #expect(copied == 1)
        #expect(try await queries.`self`(id: 2)?.aB == "quote")
    }
}
