import Foundation

/// `Decimal` in PostgreSQL's numeric text, written from the value's digits rather than through
/// `Decimal.description` (which costs microseconds a value: most of a COPY of numeric columns).
///
/// It reads the value's memory (an 8-bit exponent, a byte holding the length in 16-bit words and the
/// sign, two reserved bytes, eight little-endian 16-bit words of mantissa) and is used only once a
/// check of sample values against `description` has passed on this platform.
enum DecimalText {
    /// Whether this platform lays a Decimal out as this file reads it.
    static let layoutMatches: Bool = {
        let samples = [
            "0", "1", "-1", "12.5", "-12345.678", "65536", "1e10", "0.001", "-0.0000123",
            "123456789012345678901234567890.12345678", "79228162514264337593543950335",
        ]
        return samples.allSatisfy { sample in
            guard let value = Decimal(string: sample, locale: Locale(identifier: "en_US_POSIX")) else { return false }
            var buffer: [UInt8] = []
            guard append(value, checked: false, to: &buffer) else { return false }
            return Decimal(string: String(decoding: buffer, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX"))
                == value
        }
    }()

    /// Appends `value`'s text; false (nothing appended) when it must take the general path (NaN, or a
    /// platform whose layout differs).
    static func append(_ value: Decimal, checked: Bool = true, to buffer: inout [UInt8]) -> Bool {
        guard !value.isNaN, !checked || layoutMatches, MemoryLayout<Decimal>.size == 20 else { return false }
        let (exponent, negative, mantissa): (Int, Bool, UInt128?) = withUnsafeBytes(of: value) { raw in
            let length = Int(raw[1] >> 4)
            guard length <= 8 else { return (0, false, nil) }
            var mantissa: UInt128 = 0
            for word in stride(from: length - 1, through: 0, by: -1) {
                mantissa = mantissa << 16 | UInt128(raw[4 + 2 * word]) | UInt128(raw[5 + 2 * word]) << 8
            }
            return (Int(Int8(bitPattern: raw[0])), raw[1] & 8 != 0, mantissa)
        }
        guard var rest = mantissa else { return false }
        if negative, rest != 0 { buffer.append(45) }
        // The digits, written backwards and turned around in place.
        let start = buffer.count
        repeat {
            buffer.append(UInt8(48 + rest % 10))
            rest /= 10
        } while rest > 0
        buffer[start...].reverse()
        let digitCount = buffer.count - start
        if exponent >= 0 {
            if mantissa != 0 { buffer.append(contentsOf: repeatElement(48, count: exponent)) }
        } else if digitCount > -exponent {
            buffer.insert(46, at: buffer.count + exponent)
        } else {
            buffer.insert(contentsOf: [48, 46] + repeatElement(48, count: -exponent - digitCount), at: start)
        }
        return true
    }
}
