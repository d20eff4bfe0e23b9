import Foundation
import Testing

@testable import SQLGenRuntime

/// Every type a `:copyfrom` row may hold, as COPY writes it.
struct CopyEveryType: SQLCopyStatement {
    typealias Row = SQLNoRow
    static var name: String { "CopyEveryType" }
    static var sql: String { "INSERT INTO copy_types (n, big, price, at, day, label) VALUES ($1, $2, $3, $4, $5, $6)" }
    static var scope: StatementScope { .unscoped }
    static var copyTable: String { "copy_types" }
    static var copyColumns: [String] { ["n", "big", "price", "at", "day", "label"] }
    var n: Int32
    var big: Int64?
    var price: Decimal
    var at: Date?
    var day: SQLDate
    var label: String
    func bind(to bindings: inout SQLBindings) {
        bindings.append(n)
        bindings.append(big)
        bindings.append(price)
        bindings.append(at)
        bindings.append(day)
        bindings.append(label)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

@Suite("COPY fields", .serialized)
struct CopyFieldTests {
    @Test("values written straight into COPY text read back as the same values as their parameter text")
    func fieldsMatchParameterText() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery(
            "DROP TABLE IF EXISTS copy_types; CREATE TABLE copy_types "
                + "(n int, big bigint, price numeric, at timestamptz, day date, label text)")
        let dates: [Date?] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_700_000_000.123456),
            Date(timeIntervalSince1970: -1_234_567_890.000001), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 253_402_300_799.999999), .distantFuture, .distantPast, nil,
        ]
        let rows = dates.enumerated().map { index, date in
            CopyEveryType(
                n: Int32(index) - 3, big: index % 2 == 0 ? Int64.min + Int64(index) : nil,
                price: Decimal(string: "-12345678901234567890.125") ?? 0, at: date,
                day: SQLDate(year: 1999 + index, month: 12, day: 31), label: "tab\there\nline\\slash\r|\(index)")
        }
        #expect(try await connection.copy(rows) == rows.count)
        // What COPY stored equals what the same values store as query parameters.
        for row in rows {
            let stored = try await connection.queryFirst(
                PlainStatement(
                    "SELECT (n, big, price, at, day, label) IS NOT DISTINCT FROM ($1::int, $2::bigint, $3::numeric, "
                        + "$4::timestamptz, $5::date, $6::text) AS same FROM copy_types WHERE n = $1",
                    bindings: {
                        var bindings = SQLBindings()
                        row.bind(to: &bindings)
                        return bindings
                    }()))
            #expect(stored?["same"] == "t", "row \(row.n)")
        }
        try await connection.simpleQuery("DROP TABLE copy_types")
        await connection.close()
    }

    @Test("decimals are written from their digits, and read back as the same value")
    func decimalText() {
        #expect(DecimalText.layoutMatches, "the fast path is off on this platform")
        var generator = SystemRandomNumberGenerator()
        var values: [Decimal] = [0, 1, -1, Decimal(string: "0.5") ?? 0, Decimal(string: "-0.000000001") ?? 0]
        for _ in 0..<2_000 {
            let mantissa = Decimal(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63))
            let exponent = Int.random(in: -30...20, using: &generator)
            var value = mantissa * Decimal(sign: .plus, exponent: exponent, significand: 1)
            if Bool.random(using: &generator) { value.negate() }
            values.append(value)
        }
        for value in values {
            var buffer: [UInt8] = []
            #expect(DecimalText.append(value, to: &buffer))
            let text = String(decoding: buffer, as: UTF8.self)
            #expect(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) == value, "\(text) for \(value)")
            #expect(!text.contains("e") && !text.contains("E"))
            #expect(value.sqlText() == text)
        }
        #expect(Decimal.nan.sqlText() == "NaN")
    }

    @Test("zero-padded digits")
    func digits() {
        var buffer: [UInt8] = []
        CopyText.appendDigits(7, width: 2, to: &buffer)
        CopyText.appendDigits(0, width: 6, to: &buffer)
        CopyText.appendDigits(123_456, width: 6, to: &buffer)
        CopyText.appendDigits(2024, width: 4, to: &buffer)
        CopyText.appendDigits(45, width: 1, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "07" + "000000" + "123456" + "2024" + "45")
    }
}
