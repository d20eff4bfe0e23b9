import Foundation
import Testing

@testable import SQLGenRuntime

/// The fast numeric and uuid readers agree with Foundation's general parsers, and step aside for
/// everything they do not handle.
@Suite struct TextParsingTests {
    static let posix = Locale(identifier: "en_US_POSIX")

    @Test func decimalsReadAsTheGeneralParserReadsThem() throws {
        #expect(DecimalParsing.layoutMatches)
        var generator = SystemRandomNumberGenerator()
        var samples = [
            "0", "0.00", "-0", "1", "-1", "10", "100.00", "0.5", "-0.05", "12345678901234567890",
            "99999999999999999999.99",
            "0.00000000000000000000000000000000000001", "99999999999999999999999999999999999999",
            "-1701411834604692317316873037158841057.2", "1.1", "65535", "65536", "4294967295.75",
        ]
        for _ in 0..<2_000 {
            let integerDigits = Int.random(in: 1...20, using: &generator)
            let fractionDigits = Int.random(in: 0...18, using: &generator)
            let digits = (0..<(integerDigits + fractionDigits)).map { _ in
                String(Int.random(in: 0...9, using: &generator))
            }
            var text = Bool.random(using: &generator) ? "-" : ""
            text += digits[..<integerDigits].joined()
            if fractionDigits > 0 { text += "." + digits[integerDigits...].joined() }
            samples.append(text)
        }
        for sample in samples {
            let expected = try #require(Decimal(string: sample, locale: Self.posix))
            let parsed = try #require(DecimalParsing.parse(sample), "\(sample)")
            #expect(parsed == expected, "\(sample)")
            #expect(parsed.description == expected.description, "\(sample)")
            #expect(try Decimal.decode(sqlText: sample) == expected)
        }
    }

    @Test func decimalsBeyondTheFastReaderTakeTheGeneralPath() throws {
        for text in ["NaN", "1e5", "", "-", ".", "1.2.3", "12a", " 1", "+1", "1" + String(repeating: "0", count: 130)] {
            #expect(DecimalParsing.parse(text) == nil, "\(text)")
        }
        // 39 significant digits: Decimal cannot hold them, and decoding says so rather than rounding.
        let long = "123456789012345678901234567890123456789"
        #expect(DecimalParsing.parse(long) == nil)
        #expect(throws: SQLDecodingFailure.self) { try Decimal.decode(sqlText: long) }
        #expect(try Decimal.decode(sqlText: "NaN").isNaN)
        #expect(try Decimal.decode(sqlText: "0.000000000000000000000000000000000000000000001") > 0)
    }

    @Test func uuidsReadAsFoundationReadsThem() throws {
        for _ in 0..<1_000 {
            let uuid = UUID()
            #expect(UUIDParsing.parse(uuid.uuidString.lowercased()) == uuid)
            #expect(UUIDParsing.parse(uuid.uuidString) == uuid)
            #expect(try UUID.decode(sqlText: uuid.uuidString.lowercased()) == uuid)
        }
        for text in [
            "", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g", "a0eebc99x9c0b-4ef8-bb6d-6bb9bd380a11",
        ] {
            #expect(UUIDParsing.parse(text) == nil, "\(text)")
        }
        #expect(throws: SQLDecodingFailure.self) { try UUID.decode(sqlText: "not-a-uuid") }
    }
}
