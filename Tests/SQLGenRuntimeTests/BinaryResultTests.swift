import Foundation
import Testing

@testable import SQLGenRuntime

/// A row of column pairs: a value and the server's own text of it (`value::text`).
struct TextPairs: SQLStatement {
    struct Row: Sendable {
        var pairs: [(rendered: String?, server: String?)]
        var binary: Bool
    }
    static var name: String { "TextPairs" }
    static var sql: String { "" }
    static var scope: StatementScope { .unscoped }
    var sqlText: String
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        let pairs = stride(from: 0, to: row.columnCount, by: 2).map { (row.text($0), row.text($0 + 1)) }
        return Row(pairs: pairs, binary: row.binaryValue(0) != nil)
    }
}

/// Results come in binary when every column's type allows, and every decoder reads them as it reads text.
@Suite("binary results", .serialized)
struct BinaryResultTests {
    static let columns = [
        "n numeric", "d date", "ts timestamp", "tz timestamptz", "b bool", "i2 int2", "i4 int4", "i8 int8",
        "u uuid", "y bytea", "c char(5)", "v varchar(20)", "nm name", "t text", "f4 real", "f8 double precision",
    ]
    static let rows = [
        "0, '2000-01-01', '2000-01-01 00:00', '2000-01-01 00:00+00', true, -32768, -2147483648, -9223372036854775808, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '', 'ab', '', 'n', '', 3.14, 3.141592653589793",
        "-0.5, '1999-12-31', '1969-12-31 23:59:59.999999', '1970-01-01 00:00:00.000001+00', false, 32767, 2147483647, 9223372036854775807, '00000000-0000-0000-0000-000000000000', '\\x00ff10', 'abcde', 'ünï', 'x', 'tab\there', 1e+06, 1e+15",
        "'NaN', 'infinity', 'infinity', '-infinity', NULL, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 123456, 100000000000000",
        "'Infinity', '-infinity', '-infinity', 'infinity', NULL, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, 1234567, 1234567890123456",
        "'-Infinity', '0044-03-15 BC', '0044-03-15 12:30:00.5 BC', '4713-01-01 00:00+00 BC', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.0001, 0.0001",
        "1.500, '10000-01-01', '10000-01-01 01:02:03', '2024-02-29 23:59:59.123456+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1e-05, 1e-05",
        "123456789012345678901234567890.0000000001, '2024-02-29', '294276-12-31 23:59:59.999999', '0001-01-01 00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-0', '-0'",
        "0.000000000000000000000000000000000000000000000000012, '0001-01-01', '2000-02-29 12:00', '1900-06-15 08:00:00.25+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NaN', 'NaN'",
        "-10000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'Infinity', '-Infinity'",
        "99990000.00010000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1.5e-38, 1.5e-300",
    ]

    static func prepareTable(_ connection: PostgresSession) async throws {
        try await connection.simpleQuery(
            "DROP TABLE IF EXISTS binary_values; CREATE TABLE binary_values (id serial, \(columns.joined(separator: ", ")))"
        )
        let names = columns.map { $0.split(separator: " ")[0] }.joined(separator: ", ")
        for row in rows { try await connection.simpleQuery("INSERT INTO binary_values (\(names)) VALUES (\(row))") }
    }

    @Test("values sent in binary are rendered as the same text the server writes")
    func renderedTextEqualsServerText() async throws {
        let connection = try await TestDatabase.connect()
        try await Self.prepareTable(connection)
        let pairs = Self.columns.map { column in
            let name = column.split(separator: " ")[0]
            // concat() writes a value with its type's output function (a cast to text may differ: bool, char(n)).
            return "\(name), CASE WHEN \(name) IS NOT NULL THEN concat(\(name)) END"
        }
        let statement = TextPairs(sqlText: "SELECT \(pairs.joined(separator: ", ")) FROM binary_values ORDER BY id")
        let rows = try await connection.query(statement)
        #expect(rows.count == Self.rows.count)
        for row in rows {
            #expect(row.binary)
            for (index, pair) in row.pairs.enumerated() {
                #expect(pair.rendered == pair.server, "\(Self.columns[index])")
            }
        }
        await connection.close()
    }

    @Test("typed decoders read binary values as they read the same values' text")
    func typedDecodersAgreeWithText() async throws {
        let connection = try await TestDatabase.connect()
        try await Self.prepareTable(connection)
        struct Typed: SQLStatement {
            typealias Row = [String]
            static let name = "Typed"
            static let sql = """
                SELECT i2, i2::text, i4, i4::text, i8, i8::text, b, b::text, u, u::text, y, y::text, v, v::text,
                    tz, tz::text, ts, ts::text, n, n::text, f8, f8::text, f4, f4::text
                FROM binary_values
                WHERE n IS NULL OR (n::text NOT IN ('NaN', 'Infinity', '-Infinity') AND length(n::text) < 40)
                """
            static let scope = StatementScope.unscoped
            func bind(to bindings: inout SQLBindings) {}
            static func decode(_ row: SQLRow) throws(SQLGenError) -> [String] {
                #expect(row.binaryValue(0) != nil || row.binaryValue(18) != nil)
                func agree<T: SQLDecodable & Equatable>(_ column: Int, _ type: T.Type) throws(SQLGenError) -> String {
                    let binary = try row.decode(column, as: T?.self, name: "binary")
                    let text: T?
                    do {
                        text = try T?.decode(sqlText: row.text(column + 1))
                    } catch {
                        throw SQLGenError(.decoding, message: error.reason)
                    }
                    #expect(String(describing: binary) == String(describing: text), "column \(column)")
                    return "\(String(describing: binary))"
                }
                return [
                    try agree(0, Int16.self), try agree(2, Int32.self), try agree(4, Int64.self),
                    try agree(6, Bool.self), try agree(8, UUID.self), try agree(10, Data.self),
                    try agree(12, String.self), try agree(18, Decimal.self), try agree(20, Double.self),
                    try agree(22, Float.self),
                ]
                    + (row.text(15)?.contains("BC") == true || row.text(17).map { $0.count > 26 } == true
                        ? [] : [try agree(14, Date.self), try agree(16, Date.self)])
            }
        }
        let rows = try await connection.query(Typed())
        #expect(rows.count == 5)
        // A value beyond the Swift type's range is an error naming the column, never a wrap.
        let narrow = SingleValue<Int16>("SELECT i4 FROM binary_values WHERE i4 = 2147483647")
        await #expect(throws: SQLGenError.self) { try await connection.queryFirst(narrow) }
        await connection.close()
    }

    @Test("numerics read from binary equal the same numerics read from text")
    func randomNumericsAgree() async throws {
        let connection = try await TestDatabase.connect()
        var generator = SystemRandomNumberGenerator()
        var literals = [
            "0", "0.000", "-0.0001", "10000", "1" + String(repeating: "0", count: 39),
            "0.5" + String(repeating: "0", count: 60),
        ]
        for _ in 0..<1_000 {
            let integer = (0..<Int.random(in: 1...20, using: &generator)).map { _ in
                String(Int.random(in: 0...9, using: &generator))
            }
            let fraction = (0..<Int.random(in: 0...18, using: &generator)).map { _ in
                String(Int.random(in: 0...9, using: &generator))
            }
            literals.append(
                (Bool.random(using: &generator) ? "-" : "") + integer.joined()
                    + (fraction.isEmpty ? "" : "." + fraction.joined()))
        }
        struct Pairs: SQLStatement {
            typealias Row = Bool
            static let name = "Pairs"
            static let sql = ""
            static let scope = StatementScope.unscoped
            var sqlText: String
            func bind(to bindings: inout SQLBindings) {}
            static func decode(_ row: SQLRow) throws(SQLGenError) -> Bool {
                let binary = try row.decode(0, as: Decimal.self, name: "v")
                let text: Decimal
                do {
                    text = try Decimal.decode(sqlText: row.text(1))
                } catch {
                    throw SQLGenError(.decoding, message: error.reason)
                }
                #expect(binary == text && binary.description == text.description, "\(text)")
                return row.binaryValue(0) != nil
            }
        }
        let values = literals.map { "(\($0)::numeric)" }.joined(separator: ", ")
        let rows = try await connection.query(Pairs(sqlText: "SELECT v, v::text FROM (VALUES \(values)) AS t (v)"))
        #expect(rows.count == literals.count)
        #expect(rows.allSatisfy { $0 })
        await connection.close()
    }

    @Test("a result with a column of another type comes in text")
    func otherTypesKeepText() async throws {
        let connection = try await TestDatabase.connect()
        let statement = TextPairs(sqlText: "SELECT '{\"a\":1}'::jsonb, '', 7::int4, '7', interval '1 day', ''")
        let row = try #require(try await connection.queryFirst(statement))
        #expect(!row.binary)
        #expect(row.pairs.map(\.rendered) == ["{\"a\": 1}", "7", "P1D"])
        let binary = try #require(try await connection.queryFirst(TextPairs(sqlText: "SELECT 7::int4, '7'")))
        #expect(binary.binary)
        await connection.close()
    }
}

/// Each item's tenant stamp and value, and whether the row came in binary.
struct ItemFormats: SQLStatement {
    typealias Row = (tenant: String, value: Int32, binary: Bool)
    static var name: String { "ItemFormats" }
    static var sql: String { "SELECT tenant, value FROM items ORDER BY id" }
    static var scope: StatementScope { .tenant }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        (try row.decode(0, name: "tenant"), try row.decode(1, name: "value"), row.binaryValue(0) != nil)
    }
}

@Suite("binary results through the tenant pool", .serialized)
struct TenantBinaryResultTests {
    @Test("a tenant statement prepared in its routing pipeline is described there: later runs read binary")
    func routedStatementsTurnBinary() async throws {
        let configuration = try await TenancyDatabase.create("tenancy_binary_results")
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        let provisioner = TenantProvisioner(tenantPool: database, migrations: [TenancyDatabase.itemsMigration])
        let acme = try await provisioner.createTenant(name: "Acme", subdomain: "acme")
        let globex = try await provisioner.createTenant(name: "Globex", subdomain: "globex")
        var formats: [Bool] = []
        for (round, tenant) in [acme, acme, globex, globex, acme].enumerated() {
            try await withTenant(tenant) {
                _ = try await database.execute(InsertItem(tenant: tenant.subdomain, value: Int32(round)))
                let rows = try await database.query(ItemFormats())
                #expect(!rows.isEmpty && rows.allSatisfy { $0.tenant == tenant.subdomain })
                formats.append(rows[0].binary)
            }
        }
        // First run under each tenant's path: text (prepared and described in that run); later runs: binary.
        #expect(formats == [false, true, false, true, true])
        await database.close()
    }
}
