import Foundation

extension Bool: SQLCodable {
    public func sqlText() -> String? { self ? "t" : "f" }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Bool {
        switch try require(text) {
        case "t", "true": return true
        case "f", "false": return false
        case let other: throw .malformed(other, as: "boolean")
        }
    }
}

extension String: SQLCodable {
    public func sqlText() -> String? { self }
    public func appendCopyField(to buffer: inout [UInt8]) { CopyText.appendEscaped(utf8, to: &buffer) }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> String { try require(text) }
}

/// Integers decode with range checks: a value that does not fit is an error, never a wrap.
extension SQLDecodable where Self: FixedWidthInteger {
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Self {
        let text = try require(text)
        guard let value = Self(text) else { throw .malformed(text, as: "\(Self.self)") }
        return value
    }
}

extension SQLEncodable where Self: FixedWidthInteger {
    public func sqlText() -> String? { String(self) }
    public func appendCopyField(to buffer: inout [UInt8]) { buffer.append(contentsOf: String(self).utf8) }
}

extension Int16: SQLCodable {}
extension Int32: SQLCodable {}
extension Int64: SQLCodable {}
extension Int: SQLCodable {}
extension UInt32: SQLCodable {}
extension UInt64: SQLCodable {}

extension Double: SQLCodable {
    public func sqlText() -> String? {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"
    }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Double {
        let text = try require(text)
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw .malformed(text, as: "double precision") }
            return value
        }
    }
}

extension Float: SQLCodable {
    public func sqlText() -> String? { Double(self).sqlText() }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Float {
        Float(try Double.decode(sqlText: text))
    }
}

extension Decimal: SQLCodable {
    public func sqlText() -> String? {
        if isNaN { return "NaN" }
        var buffer: [UInt8] = []
        return DecimalText.append(self, to: &buffer) ? String(decoding: buffer, as: UTF8.self) : description
    }

    public func appendCopyField(to buffer: inout [UInt8]) {
        if !DecimalText.append(self, to: &buffer) { CopyText.append(sqlText(), to: &buffer) }
    }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Decimal {
        let text = try require(text)
        if let value = DecimalParsing.parse(text) { return value }
        if text == "NaN" { return .nan }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw .malformed(text, as: "numeric")
        }
        // Decimal keeps 38 significant digits; refuse to round a longer value silently. Zeros before the
        // first and after the last other digit add no precision.
        let significant = text.filter(\.isNumber).drop { $0 == "0" }.reversed().drop { $0 == "0" }
        if significant.count > 38 {
            throw SQLDecodingFailure("'\(text)' has more digits than Decimal holds; decode it as SQLNumeric")
        }
        return value
    }
}

/// A numeric kept exactly as PostgreSQL wrote it, for values beyond `Decimal`'s 38 digits.
public struct SQLNumeric: SQLCodable, Hashable, CustomStringConvertible {
    /// The decimal text, such as `12345678901234567890123456789012345678901.5`.
    public var text: String

    /// A numeric of this decimal text, sent as it is.
    public init(_ text: String) { self.text = text }

    /// The decimal text.
    public var description: String { text }
    public func sqlText() -> String? { text }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLNumeric {
        SQLNumeric(try require(text))
    }
}

extension UUID: SQLCodable {
    public func sqlText() -> String? { uuidString.lowercased() }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> UUID {
        let text = try require(text)
        guard let value = UUIDParsing.parse(text) ?? UUID(uuidString: text) else { throw .malformed(text, as: "uuid") }
        return value
    }
}

extension Array: SQLEncodable where Element: SQLEncodable {
    /// An array literal: `{"a","b",NULL}`.
    public func sqlText() -> String? {
        var text = "{"
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            if let value = element.sqlText() {
                if value.hasPrefix("{"), Element.self is any SQLArrayMarker.Type {
                    text += value
                } else {
                    text += "\""
                    for character in value {
                        if character == "\"" || character == "\\" { text += "\\" }
                        text.append(character)
                    }
                    text += "\""
                }
            } else {
                text += "NULL"
            }
        }
        return text + "}"
    }
}

/// Marks array types, so nested arrays are written as nested literals.
protocol SQLArrayMarker {}
extension Array: SQLArrayMarker {}

extension Array: SQLDecodable where Element: SQLDecodable {
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> [Element] {
        let text = try require(text)
        var parser = ArrayLiteralParser(text)
        let elements = try parser.parse()
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements { result.append(try Element.decode(sqlText: element)) }
        return result
    }

    /// Decodes an array in binary format (as executors that read every column in binary receive it):
    /// each element as the element type the array's header names; more than one dimension through
    /// the array's text.
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> [Element] {
        guard let (dimensions, items) = BinaryArrayText.elements(value.bytes) else {
            throw SQLDecodingFailure("a malformed binary array")
        }
        if dimensions.count > 1 {
            guard let text = BinaryArrayText.text(value.bytes) else {
                throw SQLDecodingFailure("a malformed binary array")
            }
            return try decode(sqlText: text)
        }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            if let bytes = item.bytes {
                result.append(try SQLBinaryValue(type: item.type, bytes: bytes).decoded(as: Element.self))
            } else {
                result.append(try Element.decode(sqlText: nil))
            }
        }
        return result
    }
}

/// Splits a PostgreSQL array literal into its elements' texts (nil for NULL);
/// nested arrays come back as their own literals.
struct ArrayLiteralParser {
    private let characters: [Character]
    private var index = 0
    private let original: String

    init(_ text: String) {
        original = text
        var characters = Array(text)
        // Arrays with explicit bounds ("[1:2]={1,2}") start after '='.
        if characters.first == "[", let equals = characters.firstIndex(of: "=") {
            characters.removeSubrange(0...equals)
        }
        self.characters = characters
    }

    mutating func parse() throws(SQLDecodingFailure) -> [String?] {
        guard characters.first == "{", characters.last == "}" else { throw .malformed(original, as: "array") }
        index = 1
        var elements: [String?] = []
        if characters.count == 2 { return [] }
        while index < characters.count - 1 {
            elements.append(try element())
            if index < characters.count - 1 {
                guard characters[index] == "," else { throw .malformed(original, as: "array") }
                index += 1
            }
        }
        return elements
    }

    private mutating func element() throws(SQLDecodingFailure) -> String? {
        if characters[index] == "\"" {
            index += 1
            var value = ""
            while index < characters.count, characters[index] != "\"" {
                if characters[index] == "\\" { index += 1 }
                guard index < characters.count else { break }
                value.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw .malformed(original, as: "array") }
            index += 1
            return value
        }
        if characters[index] == "{" {
            var depth = 0
            var value = ""
            var quoted = false
            repeat {
                let character = characters[index]
                if character == "\"" { quoted.toggle() }
                if !quoted, character == "{" { depth += 1 }
                if !quoted, character == "}" { depth -= 1 }
                if quoted, character == "\\" {
                    value.append(character)
                    index += 1
                }
                value.append(characters[index])
                index += 1
            } while depth > 0 && index < characters.count
            return value
        }
        var value = ""
        while index < characters.count - 1, characters[index] != "," {
            value.append(characters[index])
            index += 1
        }
        return value == "NULL" ? nil : value
    }
}

/// `bytea`, in PostgreSQL's hex format.
extension Data: SQLCodable {
    public func sqlText() -> String? {
        let hex: [Character] = Array("0123456789abcdef")
        var text = "\\x"
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0xF)])
        }
        return text
    }

    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Data {
        let text = try require(text)
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw .malformed(text, as: "bytea")
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw .malformed(text, as: "bytea")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// Values of a generated enum travel as their label.
public protocol SQLEnum: RawRepresentable, SQLCodable, CaseIterable where RawValue == String {}

extension SQLEnum {
    public func sqlText() -> String? { rawValue }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Self {
        let text = try require(text)
        guard let value = Self(rawValue: text) else {
            throw SQLDecodingFailure("unknown label '\(text)' of enum \(Self.self)")
        }
        return value
    }
}
