import Foundation
import Testing

@testable import SQLGenRuntime

@Suite("Dates and intervals in JSON")
struct TemporalJSONTests {
    struct Holder: Codable, Equatable {
        var day: SQLDate
        var wait: SQLInterval
    }

    @Test("a date is YYYY-MM-DD and an interval its ISO 8601 text, both ways")
    func roundTrip() throws {
        let value = Holder(
            day: SQLDate(year: 2024, month: 2, day: 29),
            wait: SQLInterval(months: 14, days: 3, microseconds: 3_723_500_000))
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        #expect(text.contains(#""day":"2024-02-29""#))
        #expect(text.contains(#""wait":"P1Y2M3DT1H2M3.500000S""#))
        #expect(try JSONDecoder().decode(Holder.self, from: Data(text.utf8)) == value)
    }

    @Test("malformed dates and intervals are decoding errors, not crashes")
    func malformed() {
        for day in ["2024-13-01", "2024-02-30x", "", "24-1-1", "2024/01/01"] {
            let json = #"{"day":"\#(day)","wait":"PT1S"}"#
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(Holder.self, from: Data(json.utf8)) }
        }
        let json = #"{"day":"2024-01-01","wait":"one hour"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Holder.self, from: Data(json.utf8)) }
        #expect(SQLDate("2024-01-31") == SQLDate(year: 2024, month: 1, day: 31))
    }
}

@Suite("JSONValue through Codable")
struct JSONValueCodableTests {
    @Test("integers and decimals keep every digit both ways")
    func exactNumbers() throws {
        let text = #"{"big":9007199254740993,"count":200,"price":12345678901234.5678,"small":-0.001,"list":[1,2.5]}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        guard case .object(let members) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(members["big"] == .number("9007199254740993"))
        #expect(members["count"] == .number("200"))
        #expect(members["price"] == .number("12345678901234.5678"))
        #expect(members["small"] == .number("-0.001"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let written = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(written.contains(#""big":9007199254740993"#))
        #expect(written.contains(#""count":200"#))
        #expect(written.contains(#""price":12345678901234.5678"#))
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(written.utf8)) == value)
    }
}
