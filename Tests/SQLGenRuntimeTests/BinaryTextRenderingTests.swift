import CLibPQ
import Foundation
import Testing

@testable import SQLGenRuntime

/// Executors that receive every column in binary (PostgresNIO requests binary for all of them)
/// hand the text decoders text rendered from the binary form: for each value here, the server's
/// text and the text rendered from its binary must be the same characters.
@Suite("binary values rendered as text")
struct BinaryTextRenderingTests {
    static let expressions = [
        // interval, IntervalStyle iso_8601
        "interval '0'", "interval '1 year 2 months 3 days 04:05:06.789'", "interval '-1 year -2 months'",
        "interval '1 day -00:00:01'", "interval '-0.5 seconds'", "interval '-1.000001 seconds'",
        "interval '100 years'", "interval '-3 days 4 hours'", "interval '25 hours'", "interval '0.000001 s'",
        "interval '2147483647 days'", "interval '-178000000 years'", "interval '1 mon -1 day'",
        // time, timetz
        "time '00:00'", "time '23:59:59.999999'", "time '04:05:06.5'", "time '24:00'",
        "timetz '04:05:06+02'", "timetz '04:05:06-05:30'", "timetz '00:00:00.001+00'",
        "timetz '12:00-15:59:59'", "timetz '12:00+14:30:15'",
        // inet, cidr
        "inet '192.168.0.1'", "inet '192.168.0.1/24'", "cidr '10.0.0.0/8'", "cidr '10.1.2.3/32'",
        "inet '::1'", "inet '::'", "inet '2001:db8::1'", "inet '2001:db8:0:0:1:0:0:1'", "inet '2001:0:0:1::1/64'",
        "inet '::ffff:1.2.3.4'", "inet '::1.2.3.4'", "inet '1:0:0:0:0:0:0:0'", "inet '0:0:0:0:0:0:0:2'",
        "inet '1:2:3:4:5:6:7:8'", "inet '1::2:0:0:3'", "cidr '2001:db8::/32'", "inet 'fe80::/10'",
        "inet '::0.0.0.1'", "inet '1:0:2:0:3:0:4:0'",
        // small types
        "macaddr '08:00:2b:01:02:03'", "macaddr8 '08:00:2b:01:02:03:04:05'", "B'10101'", "B''::varbit",
        "B'111100001'::varbit", "1234::oid", "4294967295::oid", "'a'::\"char\"", "'\\x80'::bytea::text::\"char\"",
        "''::\"char\"", "'{\"a\": [1, 2.50, null], \"b\": \"x\"}'::jsonb", "'\"\"'::jsonb", "'[]'::jsonb",
        "12.34::money", "(-1234567.89)::money", "0::money", "'5'::xid",
        // ranges
        "int4range(1, 10)", "int4range(NULL, 3)", "int4range(5, NULL)", "int4range(3, 3)", "'[1,2]'::int8range",
        "numrange(1.5, 2.25, '[]')", "tsrange('2020-01-01', '2020-01-02 10:00')", "tstzrange(NULL, now()::date)",
        "daterange('2020-01-01', 'infinity')", "'(,)'::int4range",
        // arrays
        "ARRAY[1, NULL, 3]", "'{}'::int[]", "ARRAY['a', 'b c', '', 'NULL', 'null', NULL, 'x\"y', 'a\\b', '{', 'a,b']",
        "ARRAY[[1, 2], [3, 4]]", "'[0:1]={7,8}'::int[]", "'[2:3][1:1]={{1},{2}}'::int[]", "ARRAY[true, false]",
        "ARRAY[1.5, 'NaN']::numeric[]", "ARRAY[timestamp '2020-01-01 10:00', NULL]", "ARRAY[date '2020-01-01']",
        "ARRAY[interval '1 day', interval '-1 s']", "ARRAY['{\"a\":1}'::jsonb]", "ARRAY[inet '::1', '1.2.3.4/8']",
        "ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid]", "ARRAY['\\x00ff'::bytea]", "ARRAY[1.5::float8, 1e300]",
        "ARRAY[int4range(1, 2)]", "ARRAY[time '01:02:03', NULL]", "ARRAY['tab\there', 'new\nline']",
        "ARRAY[timestamptz '2020-01-01 00:00+00']", "ARRAY[]::text[]", "ARRAY[B'101']", "ARRAY[ARRAY[NULL::int]]",
        // records
        "ROW(1, 'a b', NULL, '', 'x\"y', 'a\\b', '(', ',')", "ROW(ARRAY[1, 2], ROW('in', NULL), 2.5)",
        "ROW(timestamp '2020-01-01 10:00', interval '1 day')", "ROW(NULL, NULL)", "ROW('')",
    ]

    @Test("the server's text and the text rendered from the binary form are the same")
    func renderedTextMatchesServer() throws {
        let connection = try RawConnection()
        defer { connection.close() }
        var mismatches: [String] = []
        for expression in Self.expressions {
            let sql = "SELECT \(expression)"
            let text = try connection.value(sql, binary: false)
            let rendered = try connection.withBinaryValue(sql) { value in
                value.map { value in Result { () throws(SQLDecodingFailure) in try BinaryResults.decodableText(value) }
                }
            }
            switch rendered {
            case .success(let renderedText)?:
                if renderedText != text {
                    mismatches.append("\(expression): server \(text ?? "NULL"), rendered \(renderedText)")
                }
            case .failure(let error)?:
                mismatches.append("\(expression): \(error.reason)")
            case nil:
                if text != nil { mismatches.append("\(expression): NULL in binary") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test("arrays and records decode from their binary form as from their text")
    func structuredValuesDecodeFromBinary() throws {
        let connection = try RawConnection()
        defer { connection.close() }
        func both<T: SQLDecodable & Equatable>(_ sql: String, as type: T.Type) throws -> (T, T) {
            let text = try T.decode(sqlText: connection.value(sql, binary: false))
            let binary = try connection.withBinaryValue(sql) { value throws(SQLDecodingFailure) in
                guard let value else { return try T.decode(sqlText: nil) }
                return try T.decode(binary: value)
            }
            return (text, binary)
        }
        let integers = try both("SELECT ARRAY[1, NULL, -3]", as: [Int32?].self)
        #expect(integers.0 == integers.1 && integers.1 == [1, nil, -3])
        let texts = try both("SELECT ARRAY['a b', NULL, '', 'NULL']::text[]", as: [String?].self)
        #expect(texts.0 == texts.1 && texts.1 == ["a b", nil, "", "NULL"])
        let nested = try both("SELECT ARRAY[[1, 2], [3, 4]]::int8[]", as: [[Int]].self)
        #expect(nested.0 == nested.1 && nested.1 == [[1, 2], [3, 4]])
        let intervals = try both("SELECT ARRAY[interval '1 day 2 s', interval '-1 month']", as: [SQLInterval].self)
        #expect(intervals.0 == intervals.1)
        let numbers = try both(
            "SELECT ARRAY[123456789012345678901234567890.5, NULL]::numeric[]", as: [String?].self)
        #expect(numbers.0 == numbers.1 && numbers.1 == ["123456789012345678901234567890.5", nil])
        let record = try both("SELECT ROW(1, 'x y', NULL, ARRAY[2, 3])", as: Pair.self)
        #expect(record.0 == record.1 && record.1 == Pair(number: 1, text: "x y", missing: nil, list: [2, 3]))
        #expect(throws: SQLDecodingFailure.self) {
            _ = try connection.withBinaryValue("SELECT ROW(1, 'x')") { value throws(SQLDecodingFailure) in
                try value.map { value throws(SQLDecodingFailure) in try Pair.decode(binary: value) }
            }
        }
        #expect(throws: SQLDecodingFailure.self) {
            _ = try connection.withBinaryValue("SELECT point(1, 2)") { value throws(SQLDecodingFailure) in
                try value.map { value throws(SQLDecodingFailure) in try String.decode(binary: value) }
            }
        }
    }

    /// A composite of four fields, read field by field.
    struct Pair: SQLRecordCodable, Equatable {
        var number: Int32
        var text: String
        var missing: String?
        var list: [Int32]
        static var recordFieldCount: Int { 4 }
        static func decode(fields: inout SQLRecordFields) throws(SQLDecodingFailure) -> Pair {
            Pair(
                number: try fields.next(), text: try fields.next(), missing: try fields.next(), list: try fields.next())
        }
        func sqlText() -> String? { SQLRecordText.make([number.sqlText(), text, missing, list.sqlText()]) }
    }
}

/// A bare libpq connection with the session settings the codecs read text in, for reading one
/// value in text or in binary format.
final class RawConnection {
    private let handle: OpaquePointer

    init() throws {
        let configuration = try TestDatabase.configuration()
        let keywords = configuration.connectionKeywords
        var names = keywords.map { strdup($0.0) }
        var values = keywords.map { strdup($0.1) }
        names.append(nil)
        values.append(nil)
        defer { (names + values).forEach { free($0) } }
        let connection = names.withUnsafeBufferPointer { names in
            values.withUnsafeBufferPointer { values in
                PQconnectdbParams(
                    UnsafeRawPointer(names.baseAddress)?.assumingMemoryBound(to: UnsafePointer<CChar>?.self),
                    UnsafeRawPointer(values.baseAddress)?.assumingMemoryBound(to: UnsafePointer<CChar>?.self), 0)
            }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            PQfinish(connection)
            throw SQLGenError(.connectionFailed, message: "cannot connect")
        }
        handle = connection
        PQclear(
            PQexec(
                handle,
                "SET DateStyle = ISO; SET TimeZone = UTC; SET IntervalStyle = iso_8601; SET extra_float_digits = 3"))
    }

    func close() { PQfinish(handle) }

    private func run(_ sql: String, binary: Bool) throws -> OpaquePointer {
        guard let result = PQexecParams(handle, sql, 0, nil, nil, nil, nil, binary ? 1 : 0),
            PQresultStatus(result) == PGRES_TUPLES_OK
        else {
            throw SQLGenError(.server, message: "\(sql): \(String(cString: PQerrorMessage(handle)))")
        }
        return result
    }

    /// The first column of the first row, in text.
    func value(_ sql: String, binary: Bool) throws -> String? {
        let result = try run(sql, binary: false)
        defer { PQclear(result) }
        guard PQgetisnull(result, 0, 0) == 0 else { return nil }
        return String(cString: PQgetvalue(result, 0, 0))
    }

    /// The first column of the first row, in binary (nil for NULL), handed to `body`.
    func withBinaryValue<T, E: Error>(_ sql: String, _ body: (SQLBinaryValue?) throws(E) -> T) throws -> T {
        let result = try run(sql, binary: true)
        defer { PQclear(result) }
        guard PQgetisnull(result, 0, 0) == 0, let pointer = PQgetvalue(result, 0, 0) else { return try body(nil) }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(PQgetlength(result, 0, 0)))
        return try body(SQLBinaryValue(type: PQftype(result, 0), bytes: bytes))
    }
}
