import Foundation
import Testing

@testable import SQLGenRuntime

/// One row of `copy_rows`, as a `:copyfrom` query generates it.
struct CopyRow: SQLCopyStatement {
    typealias Row = SQLNoRow
    static var name: String { "CopyRow" }
    static var sql: String { "INSERT INTO copy_rows (id, label) VALUES ($1, $2)" }
    static var scope: StatementScope { .unscoped }
    static var copyTable: String { "copy_rows" }
    static var copyColumns: [String] { ["id", "label"] }
    var id: Int32
    var label: String?
    func bind(to bindings: inout SQLBindings) {
        bindings.append(id)
        bindings.append(label)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

struct RowSourceFailed: Error {}

@Suite("COPY", .serialized)
struct CopyTests {
    static func count(_ connection: PostgresSession) async throws -> String? {
        try await connection.queryFirst(PlainStatement("SELECT count(*) AS n FROM copy_rows"))?["n"]
    }

    @Test("rows from an async sequence are copied as they come; tabs, newlines, backslashes and NULLs survive")
    func copyFromAsyncSequence() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery("DROP TABLE IF EXISTS copy_rows; CREATE TABLE copy_rows (id int, label text)")
        let rows = AsyncStream<CopyRow> { continuation in
            for id in 1...20_000 {
                continuation.yield(CopyRow(id: Int32(id), label: id == 7 ? nil : "row\t\(id)\n\\"))
            }
            continuation.finish()
        }
        #expect(try await connection.copy(from: rows) == 20_000)
        #expect(try await Self.count(connection) == "20000")
        let seven = try #require(
            try await connection.queryFirst(PlainStatement("SELECT label FROM copy_rows WHERE id = 7")))
        #expect(seven["label"] == nil)
        let eight = try #require(
            try await connection.queryFirst(PlainStatement("SELECT label FROM copy_rows WHERE id = 8")))
        #expect(eight["label"] == "row\t8\n\\")
        await connection.close()
    }

    @Test("a source that fails part-way abandons the COPY: nothing of it stays, and the connection is usable")
    func failingSourceAbandonsCopy() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery("DROP TABLE IF EXISTS copy_rows; CREATE TABLE copy_rows (id int, label text)")
        let rows = AsyncThrowingStream<CopyRow, any Error> { continuation in
            for id in 1...100_000 { continuation.yield(CopyRow(id: Int32(id), label: "x")) }
            continuation.finish(throwing: RowSourceFailed())
        }
        await #expect(throws: SQLGenError.self) { _ = try await connection.copy(from: rows) }
        #expect(try await Self.count(connection) == "0")
        #expect(await connection.transactionStatus == .idle)
        await connection.close()
    }
}
