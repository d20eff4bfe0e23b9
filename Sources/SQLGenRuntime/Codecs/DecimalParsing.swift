import Foundation

/// PostgreSQL's numeric text read straight into a `Decimal`: digits into a 128-bit mantissa and the
/// scale into the exponent, without `Decimal(string:locale:)`'s locale lookup (most of the cost of
/// decoding a numeric column that way). It writes the value's memory as ``DecimalText`` reads it, and
/// is used only once sample values written so have compared equal to the general parser's.
enum DecimalParsing {
    /// The value of `text` (`-12.50`, `0`, `1234`), or nil when it needs the general parser: more
    /// than 38 significant digits, an exponent Decimal cannot hold, or anything but a plain number.
    static func parse(_ text: String) -> Decimal? {
        guard layoutMatches else { return nil }
        return parseChecked(text)
    }

    /// Whether values written as ``parse(_:)`` writes them equal `Decimal(string:)`'s on this platform.
    static let layoutMatches: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let samples = [
            "0", "1", "-1", "12.50", "-12345.678", "65536", "10000000000", "0.001", "-0.0000123",
            "123456789012345678901234567890.12345678", "79228162514264337593543950335", "4294967296.5",
        ]
        return samples.allSatisfy { sample in
            guard let expected = Decimal(string: sample, locale: Locale(identifier: "en_US_POSIX")),
                let value = parseChecked(sample)
            else { return false }
            return value == expected && value.description == expected.description && value.isNaN == expected.isNaN
        }
    }()

    private static func parseChecked(_ text: String) -> Decimal? {
        var text = text
        return text.withUTF8(parse)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt128 = 0
        var significantDigits = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            sawDigit = true
            if sawPoint { fractionDigits += 1 }
            if mantissa == 0, byte == UInt8(ascii: "0") { continue }
            significantDigits += 1
            guard significantDigits <= 38 else { return nil }
            mantissa = mantissa * 10 + UInt128(byte - UInt8(ascii: "0"))
        }
        guard sawDigit else { return nil }
        return make(mantissa: mantissa, exponent: -fractionDigits, negative: negative)
    }

    /// The Decimal `mantissa` × 10^`exponent`, compact (no trailing zeros in the mantissa), or nil when
    /// the exponent does not fit.
    private static func make(mantissa: UInt128, exponent: Int, negative: Bool) -> Decimal? {
        var mantissa = mantissa
        var exponent = exponent
        if mantissa == 0 { return Decimal.zero }
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        guard exponent >= Int(Int8.min), exponent <= Int(Int8.max) else { return nil }
        var value = Decimal.zero
        withUnsafeMutableBytes(of: &value) { raw in
            var length: UInt8 = 0
            var rest = mantissa
            while rest != 0 {
                raw[4 + 2 * Int(length)] = UInt8(truncatingIfNeeded: rest)
                raw[5 + 2 * Int(length)] = UInt8(truncatingIfNeeded: rest >> 8)
                rest >>= 16
                length += 1
            }
            raw[0] = UInt8(bitPattern: Int8(exponent))
            raw[1] = length << 4 | (negative ? 8 : 0) | 4
        }
        return value
    }

    /// 10^38: a mantissa of more digits does not fit a Decimal.
    private static let limit: UInt128 = (0..<38).reduce(1) { value, _ in value * 10 }

    /// A `numeric` in binary (digit count, weight of the first base-10,000 digit, sign, display scale,
    /// digits), or nil when it needs the text path: NaN, infinities, or more than 38 significant digits.
    static func numeric(_ bytes: UnsafeRawBufferPointer) -> Decimal? {
        guard layoutMatches, bytes.count >= 8 else { return nil }
        func word(_ index: Int) -> Int { Int(UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1])) }
        let count = word(0)
        let weight = Int(Int16(truncatingIfNeeded: word(1)))
        let sign = word(2)
        guard sign == 0 || sign == 0x4000, bytes.count == 8 + 2 * count else { return nil }
        var mantissa: UInt128 = 0
        for index in 0..<count {
            let group = word(4 + index)
            guard group < 10_000 else { return nil }
            let (product, overflowed) = mantissa.multipliedReportingOverflow(by: 10_000)
            guard !overflowed else { return nil }
            mantissa = product + UInt128(group)
        }
        // Trailing zeros of the last group are not significant.
        var trimmed = mantissa
        var trailing = 0
        while trimmed != 0, trimmed % 10 == 0 {
            trimmed /= 10
            trailing += 1
        }
        guard trimmed < limit else { return nil }
        return make(mantissa: trimmed, exponent: 4 * (weight - count + 1) + trailing, negative: sign == 0x4000)
    }
}
