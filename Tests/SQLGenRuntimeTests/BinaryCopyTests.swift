import Foundation
import Logging
import Testing

@testable import SQLGenRuntime

enum CopyMood: String, SQLEnum {
    case calm, tense
}

/// One row of every type binary COPY writes, each column nullable.
struct EveryTypeRow: SQLCopyStatement {
    typealias Row = SQLNoRow
    static var name: String { "EveryTypeRow" }
    static var sql: String { "" }
    static var scope: StatementScope { .unscoped }
    static var copyTable: String { "copy_every_type" }
    static var copyColumns: [String] {
        ["id", "b", "s", "i", "l", "f", "d", "n", "t", "v", "e", "u", "y", "ts", "tsl", "dt"]
    }
    var id: Int32
    var b: Bool? = nil
    var s: Int16? = nil
    var i: Int32? = nil
    var l: Int64? = nil
    var f: Float? = nil
    var d: Double? = nil
    var n: Decimal? = nil
    var t: String? = nil
    var v: String? = nil
    var e: CopyMood? = nil
    var u: UUID? = nil
    var y: Data? = nil
    var ts: Date? = nil
    var tsl: Date? = nil
    var dt: SQLDate? = nil

    func bind(to bindings: inout SQLBindings) {
        bindings.append(id)
        bindings.append(b)
        bindings.append(s)
        bindings.append(i)
        bindings.append(l)
        bindings.append(f)
        bindings.append(d)
        bindings.append(n)
        bindings.append(t)
        bindings.append(v)
        bindings.append(e)
        bindings.append(u)
        bindings.append(y)
        bindings.append(ts)
        bindings.append(tsl)
        bindings.append(dt)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

/// A row whose Swift types do not all match its columns' types, or have no binary writer.
struct MismatchedRow: SQLCopyStatement {
    typealias Row = SQLNoRow
    static var name: String { "MismatchedRow" }
    static var sql: String { "" }
    static var scope: StatementScope { .unscoped }
    static var copyTable: String { "copy_mismatched" }
    static var copyColumns: [String] { ["id", "wide", "span"] }
    var id: Int32
    var wide: Int32
    var span: SQLInterval?
    func bind(to bindings: inout SQLBindings) {
        bindings.append(id)
        bindings.append(wide)
        bindings.append(span)
    }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

@Suite("binary COPY", .serialized)
struct BinaryCopyTests {
    static let columns = """
        id int PRIMARY KEY, b bool, s smallint, i int, l bigint, f real, d double precision, n numeric,
        t text, v varchar(40), e copy_mood, u uuid, y bytea, ts timestamptz, tsl timestamp, dt date
        """

    static func rows() -> [EveryTypeRow] {
        let decimals = [
            "0", "-0.5", "1", "12345.6789", "0.0001", "10000", "99999999999999999999999999999999999999",
            "-0.00000000000000000000000000000000000123", "123456789.987654321", "1000000000000000000000000000000",
        ].compactMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1_234_567_890.123456),
            Date(timeIntervalSince1970: 946_684_800), Date(timeIntervalSince1970: 1_709_208_000.999999),
            Date(timeIntervalSince1970: 253_402_300_799.5), .distantFuture, .distantPast,
        ]
        let days = [
            SQLDate(year: 2000, month: 1, day: 1), SQLDate(year: 1999, month: 12, day: 31),
            SQLDate(year: 2024, month: 2, day: 29), SQLDate(year: 1, month: 1, day: 1),
            SQLDate(year: 9999, month: 12, day: 31), SQLDate(year: 1970, month: 1, day: 1),
        ]
        var rows = [EveryTypeRow(id: 0)]  // every column NULL
        for index in 0..<40 {
            var row = EveryTypeRow(id: Int32(index + 1))
            row.b = index % 2 == 0
            row.s = [Int16.min, Int16.max, 0, -1][index % 4]
            row.i = [Int32.min, Int32.max, 0, 42][index % 4]
            row.l = [Int64.min, Int64.max, 0, -9_000_000_000][index % 4]
            row.f = [Float.nan, .infinity, -.infinity, 1.5e-38, -3.25, 0][index % 6]
            row.d = [Double.nan, .infinity, -.infinity, .leastNonzeroMagnitude, .pi, -0.0][index % 6]
            row.n = index == 11 ? Decimal.nan : decimals[index % decimals.count]
            row.t = ["", "plain", "tab\there, newline\nthere, backslash \\", "ünïcødé ✓ 𝄞", "NULL"][index % 5]
            row.v = String(repeating: "v", count: index)
            row.e = index % 3 == 0 ? .calm : .tense
            row.u = UUID()
            row.y = Data((0..<index).map { UInt8(truncatingIfNeeded: $0 * 37) })
            row.ts = dates[index % dates.count]
            row.tsl = dates[(index + 3) % dates.count]
            row.dt = days[index % days.count]
            if index % 7 == 3 { row.n = nil }
            if index % 9 == 4 { row.ts = nil }
            rows.append(row)
        }
        return rows
    }

    static func connection(binary: Bool) async throws -> PostgresSession {
        var configuration = try TestDatabase.configuration()
        configuration.binaryCopy = binary
        return try await PostgresSession.connect(configuration)
    }

    @Test("every type written in binary reads back as the same row the text format gives")
    func binaryRowsEqualTextRows() async throws {
        let binary = try await Self.connection(binary: true)
        let text = try await Self.connection(binary: false)
        try await binary.simpleQuery(
            """
            DROP TABLE IF EXISTS copy_every_type, copy_every_type_text; DROP TYPE IF EXISTS copy_mood;
            CREATE TYPE copy_mood AS ENUM ('calm', 'tense');
            CREATE TABLE copy_every_type (\(Self.columns)); CREATE TABLE copy_every_type_text (\(Self.columns));
            """)
        let rows = Self.rows()
        #expect(try await binary.copy(rows) == rows.count)
        #expect(await binary.lastCopyWasBinary)
        try await text.simpleQuery("ALTER TABLE copy_every_type RENAME TO copy_every_type_binary")
        try await text.simpleQuery("ALTER TABLE copy_every_type_text RENAME TO copy_every_type")
        #expect(try await text.copy(rows) == rows.count)
        #expect(await !text.lastCopyWasBinary)
        let differing = try await text.queryFirst(
            PlainStatement(
                """
                SELECT count(*) AS n FROM copy_every_type a FULL JOIN copy_every_type_binary b ON a.id = b.id
                WHERE (a.b, a.s, a.i, a.l, a.f, a.d, a.n, a.t, a.v, a.e, a.u, a.y, a.ts, a.tsl, a.dt)
                    IS DISTINCT FROM (b.b, b.s, b.i, b.l, b.f, b.d, b.n, b.t, b.v, b.e, b.u, b.y, b.ts, b.tsl, b.dt)
                    OR a.id IS NULL OR b.id IS NULL
                """))
        #expect(differing?["n"] == "0")
        // And what text wrote is what the values are: the scale of numerics kept, infinities kept.
        let eight = try await text.queryFirst(
            PlainStatement("SELECT n::text AS n, dt::text AS dt FROM copy_every_type_binary WHERE id = 8"))
        #expect(eight?["n"] == "-0.00000000000000000000000000000000000123")
        #expect(eight?["dt"] == "1999-12-31")
        let seven = try await text.queryFirst(
            PlainStatement("SELECT ts::text AS ts, tsl::text AS tsl FROM copy_every_type_binary WHERE id = 7"))
        #expect(seven?["ts"] == "-infinity")
        #expect(seven?["tsl"] == "2000-01-01 00:00:00")
        await binary.close()
        await text.close()
    }

    @Test("a column whose type differs from its value's, or a value without a binary writer, sends text")
    func mismatchedColumnsFallBackToText() async throws {
        let connection = try await Self.connection(binary: true)
        try await connection.simpleQuery(
            """
            DROP TABLE IF EXISTS copy_mismatched;
            CREATE TABLE copy_mismatched (id int, wide bigint, span interval)
            """)
        let rows = (1...100).map { MismatchedRow(id: Int32($0), wide: Int32($0) * 1000, span: nil) }
        #expect(try await connection.copy(rows) == 100)
        #expect(await !connection.lastCopyWasBinary)
        let total = try await connection.queryFirst(PlainStatement("SELECT sum(wide)::text AS s FROM copy_mismatched"))
        #expect(total?["s"] == "5050000")
        try await connection.simpleQuery("ALTER TABLE copy_mismatched ALTER COLUMN wide TYPE int")
        #expect(try await connection.copy(rows) == 100)
        #expect(await !connection.lastCopyWasBinary)  // the interval has no binary writer
        try await connection.simpleQuery("ALTER TABLE copy_mismatched DROP COLUMN span, ADD COLUMN span text")
        #expect(try await connection.copy(rows) == 100)
        #expect(await !connection.lastCopyWasBinary)
        #expect(try await connection.copy([MismatchedRow]()) == 0)
        await connection.close()
    }
}
