import Foundation
import Testing

@testable import SQLGenRuntime

/// Every codec both ways through a real server: the value is sent as a
/// parameter, cast on the server, and read back.
@Suite(.serialized) struct CodecRoundTripTests {
    func roundTrip<T: SQLCodable & Equatable>(_ value: T, _ type: String) async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let back = try await connection.queryFirst(SingleValue<T>("SELECT $1::\(type)", value))
        #expect(back == value, "\(type)")
    }

    @Test func booleansAndIntegersAtTheirLimits() async throws {
        for value in [true, false] { try await roundTrip(value, "boolean") }
        for value in [Int16.min, 0, Int16.max] { try await roundTrip(value, "smallint") }
        for value in [Int32.min, -1, Int32.max] { try await roundTrip(value, "integer") }
        for value in [Int64.min, 42, Int64.max] { try await roundTrip(value, "bigint") }
    }

    @Test func floatingPointIncludingNaNAndInfinity() async throws {
        for value in [0.1, -1e300, Double.infinity, -Double.infinity, Double.leastNonzeroMagnitude] {
            try await roundTrip(value, "double precision")
        }
        let connection = try await TestDatabase.connect()
        let nan = try await connection.queryFirst(SingleValue<Double>("SELECT $1::float8", Double.nan))
        #expect(nan?.isNaN == true)
        let real = try await connection.queryFirst(SingleValue<Float>("SELECT $1::real", Float(1.5)))
        #expect(real == 1.5)
        await connection.close()
    }

    @Test func numericWithoutPrecisionLoss() async throws {
        for text in ["0", "-123.4500", "12345678901234567890.123456789012345678", "0.000000000000000000000000000001"] {
            try await roundTrip(Decimal(string: text)!, "numeric")
        }
        let forty = "1234567890123456789012345678901234567890.5"
        try await roundTrip(SQLNumeric(forty), "numeric")
        let connection = try await TestDatabase.connect()
        await #expect(throws: SQLGenError.self) {
            _ = try await connection.queryFirst(SingleValue<Decimal>("SELECT '\(forty)'::numeric"))
        }
        await connection.close()
    }

    @Test func textUUIDBytesAndJSON() async throws {
        try await roundTrip("", "text")
        try await roundTrip("ünïcødé ✓ \"quoted\" \\ back", "text")
        try await roundTrip(UUID(), "uuid")
        try await roundTrip(Data([0, 1, 2, 254, 255]), "bytea")
        try await roundTrip(Data(), "bytea")
        let json = try JSONValue(parsing: #"{"a":[1,2.5,"x",null,true],"b":{"c":"\u00e9"}}"#)
        try await roundTrip(json, "jsonb")
        try await roundTrip(json, "json")
        try await roundTrip(SQLInet(address: "192.168.0.0", prefixLength: 24), "cidr")
        try await roundTrip(SQLInet(address: "2001:db8::1"), "inet")
    }

    @Test func datesTimesAndIntervals() async throws {
        try await roundTrip(SQLDate(year: 2024, month: 2, day: 29), "date")
        try await roundTrip(SQLDate(year: 1, month: 1, day: 1), "date")
        try await roundTrip(SQLTime(hour: 23, minute: 59, second: 59, microsecond: 999_999), "time")
        try await roundTrip(
            SQLTimeWithTimeZone(time: SQLTime(hour: 12, minute: 0, second: 0), offsetSeconds: -5 * 3600 - 1800),
            "timetz")
        try await roundTrip(SQLInterval(months: 14, days: -3, microseconds: 3_723_500_000), "interval")
        try await roundTrip(SQLInterval(), "interval")
        let instant = Date(timeIntervalSince1970: 1_709_210_096.123456)
        let connection = try await TestDatabase.connect()
        let back = try await connection.queryFirst(SingleValue<Date>("SELECT $1::timestamptz", instant))
        #expect(abs((back ?? .distantPast).timeIntervalSince(instant)) < 0.000_001)
        // A timestamptz written with an offset is the same instant.
        let offset = try await connection.queryFirst(
            SingleValue<Date>("SELECT '2024-02-29 12:00:00+05:30'::timestamptz"))
        #expect(offset == Date(timeIntervalSince1970: 1_709_188_200))
        let infinite = try await connection.queryFirst(SingleValue<Date>("SELECT 'infinity'::timestamptz"))
        #expect(infinite == .distantFuture)
        await connection.close()
    }

    @Test func arraysWithNullsAndDimensions() async throws {
        try await roundTrip(["a", "b,c", "\"q\"", "", "NULL"], "text[]")
        try await roundTrip([Int32](), "integer[]")
        try await roundTrip([[1, 2], [3, 4]] as [[Int64]], "bigint[]")
        let connection = try await TestDatabase.connect()
        let withNulls = try await connection.queryFirst(SingleValue<[String?]>("SELECT ARRAY['x', NULL, 'z']"))
        #expect(withNulls == ["x", nil, "z"])
        await #expect(throws: SQLGenError.self) {
            _ = try await connection.queryFirst(SingleValue<[String]>("SELECT ARRAY['x', NULL]"))
        }
        await connection.close()
    }

    @Test func nullsDecodeIntoOptionalsAndFailOtherwise() async throws {
        let connection = try await TestDatabase.connect()
        let missing = try await connection.queryFirst(SingleValue<Int32?>("SELECT NULL::int"))
        #expect(missing == .some(nil))
        do {
            _ = try await connection.queryFirst(SingleValue<Int32>("SELECT NULL::int"))
            Issue.record("NULL decoded as non-optional")
        } catch {
            #expect(error.kind == .decoding)
            #expect(error.column == "value")
            #expect(error.statementName == "SingleValue")
            #expect(error.message.contains("unexpected NULL"))
        }
        await connection.close()
    }
}
