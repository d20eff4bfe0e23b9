import Testing

@testable import SQLGenRuntime

/// A row of three columns decoded with one `decodeColumns` call, as generated statements decode.
struct ThreeColumns: SQLStatement {
    typealias Row = (id: Int64, name: String?, score: Double)
    static var name: String { "ThreeColumns" }
    static var sql: String { "" }
    static var scope: StatementScope { .unscoped }
    var sqlText: String
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        let columns = try row.decodeColumns(Int64.self, String?.self, Double.self)
        return (columns.0, columns.1, columns.2)
    }
}

/// Decoding a whole row in one call keeps each column in its place and names the column that fails.
@Suite("row decoding")
struct RowDecodingTests {
    @Test("decodeColumns reads every column in order, NULL as nil, in text and in binary")
    func decodesInOrder() async throws {
        let connection = try await TestDatabase.connect()
        let rows = try await connection.query(
            ThreeColumns(
                sqlText: "SELECT * FROM (VALUES (1::int8, 'one'::text, 1.5::float8), (2, NULL, -2.25)) AS v ORDER BY 1")
        )
        #expect(rows.map(\.id) == [1, 2])
        #expect(rows.map(\.name) == ["one", nil])
        #expect(rows.map(\.score) == [1.5, -2.25])
        // A value whose type is read as text (numeric) in the middle of binary ones.
        let mixed = try await connection.query(
            ThreeColumns(sqlText: "SELECT 7::int8, 12.50::numeric::text, 0.5::float4::float8"))
        #expect(mixed.first?.name == "12.50")
    }

    @Test("a column that does not decode is named as the result names it, with the statement")
    func namesTheFailingColumn() async throws {
        let connection = try await TestDatabase.connect()
        do {
            _ = try await connection.query(ThreeColumns(sqlText: "SELECT 1::int8 AS id, 'x' AS label, 'abc' AS ratio"))
            Issue.record("a text column decoded as Double")
        } catch {
            #expect(error.kind == .decoding)
            #expect(error.column == "ratio")
            #expect(error.statementName == "ThreeColumns")
            #expect(error.message.contains("\"ratio\""))
        }
    }

    @Test("a result with fewer columns than the row is an error naming the missing column's position")
    func missingColumn() async throws {
        let connection = try await TestDatabase.connect()
        do {
            _ = try await connection.query(ThreeColumns(sqlText: "SELECT 1::int8, 'x'::text"))
            Issue.record("a two-column result decoded as three")
        } catch {
            #expect(error.kind == .decoding)
            #expect(error.message.contains("column 2 is missing: the result has 2 columns"))
        }
    }

    @Test("an error is a value: changing a copy leaves the original as it was")
    func errorCopiesAreIndependent() {
        var original = SQLGenError(.server, message: "boom", sqlState: "23505", statementName: "S")
        original.detail = "Key (id)=(1) already exists."
        var copy = original
        copy.message = "changed"
        copy.detail = nil
        copy.kind = .decoding
        #expect(original.message == "boom")
        #expect(original.detail == "Key (id)=(1) already exists.")
        #expect(original.kind == .server)
        #expect(original.isUniqueViolation)
        #expect(copy.message == "changed" && copy.detail == nil && copy.kind == .decoding)
        #expect(copy.sqlState == "23505" && copy.statementName == "S")
        #expect(original.description == "S: boom (SQLSTATE 23505); Key (id)=(1) already exists.")
    }
}
