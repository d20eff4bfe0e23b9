/// A float as PostgreSQL writes it (`float8out`, `float4out`): the shortest digits that read back as the
/// same value, in positional notation for decimal exponents from -4 up to 14 (float8) or 5 (float4) and
/// `1.5e+20` style outside, `NaN`, `Infinity`, `-Infinity`, `-0`.
enum FloatText {
    static func text<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, positionalBelow: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description has the same shortest digits, laid out its own way: take them and the exponent.
        var description = Substring(value.description)
        let negative = description.first == "-"
        if negative { description = description.dropFirst() }
        let parts = description.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1)
        let integer = mantissa[0]
        var digits = Array(integer + (mantissa.count > 1 ? mantissa[1] : ""))
        var point = integer.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let decimalExponent = point - 1
        var text = negative ? "-" : ""
        if decimalExponent < -4 || decimalExponent >= positionalBelow {
            text.append(digits[0])
            if digits.count > 1 { text += "." + String(digits[1...]) }
            let magnitude = String(abs(decimalExponent))
            text += (decimalExponent < 0 ? "e-" : "e+") + (magnitude.count < 2 ? "0" : "") + magnitude
        } else if point > 0 {
            text += String(digits.prefix(point)) + String(repeating: "0", count: max(0, point - digits.count))
            if digits.count > point { text += "." + String(digits[point...]) }
        } else {
            text += "0." + String(repeating: "0", count: -point) + String(digits)
        }
        return text
    }
}
