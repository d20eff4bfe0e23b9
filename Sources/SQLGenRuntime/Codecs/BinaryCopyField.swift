import Foundation

/// The column types a value can be written to in COPY's binary format.
///
/// Binary fields carry no type: the server reads each one as its column's type. So a COPY goes binary
/// only when every column's type, read from the catalog just before, is the one its value's
/// ``SQLEncodable/binaryCopyFormat`` names; otherwise it goes as text, which the server parses.
public enum BinaryCopyFormat: Sendable, Hashable {
    /// The types of these names (`pg_type.typname`), in their binary form.
    case bool, int2, int4, int8, float4, float8, numeric, uuid, bytea, date
    /// `timestamptz` or `timestamp`: microseconds since 2000-01-01 00:00 UTC.
    case timestamp
    /// `text`, `varchar`, `bpchar`, `name` or an enum: the UTF-8 bytes.
    case text

    /// Whether a column of type `typeName` (`pg_type.typname`) of kind `typeKind` (`typtype`) reads this format.
    func accepts(typeName: String, typeKind: String) -> Bool {
        switch self {
        case .text: return ["text", "varchar", "bpchar", "name"].contains(typeName) || typeKind == "e"
        case .timestamp: return typeName == "timestamptz" || typeName == "timestamp"
        default: return typeName == "\(self)"
        }
    }
}

/// COPY's binary format: a signature and header, rows of a field count and length-prefixed fields
/// (length -1 for NULL), and a trailer.
enum BinaryCopy {
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    static let trailer: [UInt8] = [0xFF, 0xFF]
    static let null: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
    /// Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
    static let epochOffset: Int64 = 946_684_800

    static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// A field of fixed-width `value`: its length, then its bytes.
    static func appendField<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        appendBigEndian(Int32(MemoryLayout<T>.size), to: &buffer)
        appendBigEndian(value, to: &buffer)
    }

    /// A field of raw bytes: their length, then the bytes.
    static func appendField(bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        appendBigEndian(Int32(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    /// A numeric field from its decimal text (`-123.4500`): base-10,000 digit groups around the point,
    /// the weight of the first group, the sign and the display scale.
    static func appendNumericField(text: [UInt8], to buffer: inout [UInt8]) {
        let negative = text.first == UInt8(ascii: "-")
        let start = negative ? 1 : 0
        let point = text[start...].firstIndex(of: UInt8(ascii: ".")) ?? text.count
        let integerCount = point - start
        let fractionCount = point < text.count ? text.count - point - 1 : 0
        // The integer digits padded on the left and the fraction on the right to whole groups of four.
        let integerPadding = (4 - integerCount % 4) % 4
        let groupCount = (integerPadding + integerCount + fractionCount + 3) / 4
        func digit(_ position: Int) -> Int16 {
            let index = position - integerPadding
            if index < 0 { return 0 }
            if index < integerCount { return Int16(text[start + index]) - 48 }
            let fraction = index - integerCount
            return fraction < fractionCount ? Int16(text[point + 1 + fraction]) - 48 : 0
        }
        func group(_ index: Int) -> Int16 {
            let position = index * 4
            let high = digit(position) * 10 + digit(position + 1)
            return (high * 10 + digit(position + 2)) * 10 + digit(position + 3)
        }
        var first = 0
        while first < groupCount, group(first) == 0 { first += 1 }
        var end = groupCount
        while end > first, group(end - 1) == 0 { end -= 1 }
        let weight = first < end ? (integerPadding + integerCount) / 4 - 1 - first : 0
        appendBigEndian(Int32(8 + 2 * (end - first)), to: &buffer)
        appendBigEndian(Int16(end - first), to: &buffer)
        appendBigEndian(Int16(weight), to: &buffer)
        appendBigEndian(UInt16(negative && first < end ? 0x4000 : 0), to: &buffer)
        appendBigEndian(Int16(fractionCount), to: &buffer)
        for index in first..<end { appendBigEndian(group(index), to: &buffer) }
    }
}

extension Bool {
    public static var binaryCopyFormat: BinaryCopyFormat? { .bool }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        BinaryCopy.appendField(UInt8(self ? 1 : 0), to: &buffer)
    }
}

extension Int16 {
    public static var binaryCopyFormat: BinaryCopyFormat? { .int2 }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(self, to: &buffer) }
}

extension Int32 {
    public static var binaryCopyFormat: BinaryCopyFormat? { .int4 }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(self, to: &buffer) }
}

extension Int64 {
    public static var binaryCopyFormat: BinaryCopyFormat? { .int8 }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(self, to: &buffer) }
}

extension Int {
    public static var binaryCopyFormat: BinaryCopyFormat? { .int8 }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(Int64(self), to: &buffer) }
}

extension Double {
    public static var binaryCopyFormat: BinaryCopyFormat? { .float8 }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(bitPattern, to: &buffer) }
}

extension Float {
    public static var binaryCopyFormat: BinaryCopyFormat? { .float4 }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(bitPattern, to: &buffer) }
}

extension String {
    public static var binaryCopyFormat: BinaryCopyFormat? { .text }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(bytes: utf8, to: &buffer) }
}

extension SQLEnum {
    public static var binaryCopyFormat: BinaryCopyFormat? { .text }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        BinaryCopy.appendField(bytes: rawValue.utf8, to: &buffer)
    }
}

extension Decimal {
    public static var binaryCopyFormat: BinaryCopyFormat? { .numeric }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        guard !isNaN else {
            // NaN: no digits, the NaN sign.
            BinaryCopy.appendBigEndian(Int32(8), to: &buffer)
            buffer.append(contentsOf: [0, 0, 0, 0, 0xC0, 0, 0, 0])
            return
        }
        var text: [UInt8] = []
        if !DecimalText.append(self, to: &text) { text = Array((sqlText() ?? "").utf8) }
        BinaryCopy.appendNumericField(text: text, to: &buffer)
    }
}

extension UUID {
    public static var binaryCopyFormat: BinaryCopyFormat? { .uuid }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { BinaryCopy.appendField(bytes: $0, to: &buffer) }
    }
}

extension Data {
    public static var binaryCopyFormat: BinaryCopyFormat? { .bytea }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) { BinaryCopy.appendField(bytes: self, to: &buffer) }
}

extension Date {
    public static var binaryCopyFormat: BinaryCopyFormat? { .timestamp }
    /// Microseconds since 2000-01-01 UTC, rounded as the text format rounds them; ±infinity at the ends.
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        if self == .distantFuture { return BinaryCopy.appendField(Int64.max, to: &buffer) }
        if self == .distantPast { return BinaryCopy.appendField(Int64.min, to: &buffer) }
        let microseconds = Int64((timeIntervalSince1970 * 1_000_000).rounded())
        BinaryCopy.appendField(microseconds - BinaryCopy.epochOffset * 1_000_000, to: &buffer)
    }
}

extension SQLDate {
    public static var binaryCopyFormat: BinaryCopyFormat? { .date }
    /// Days since 2000-01-01.
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        let days = CivilDate.days(year: year, month: month, day: day) - BinaryCopy.epochOffset / 86_400
        BinaryCopy.appendField(Int32(clamping: days), to: &buffer)
    }
}

extension Optional where Wrapped: SQLEncodable {
    public static var binaryCopyFormat: BinaryCopyFormat? { Wrapped.binaryCopyFormat }
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        switch self {
        case .none: buffer.append(contentsOf: BinaryCopy.null)
        case .some(let value): value.appendBinaryCopyField(to: &buffer)
        }
    }
}
