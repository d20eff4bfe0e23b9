import Foundation

/// Result columns in PostgreSQL's binary format: which column types a statement's results are
/// requested in binary for, and the text the server would have sent for each such value.
///
/// A prepared statement's results come in binary when every one of its columns is of a type listed
/// here (the server formats them in a fraction of the time, and they travel smaller; see
/// `BENCHMARKS.md`); otherwise in text. Decoders read binary values directly where they know the
/// type (``SQLDecodable/decode(binary:)``); any other decoder gets the text rendered here, the same
/// characters the server writes under the session's settings, so every decoder works with both.
enum BinaryResults {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let name: UInt32 = 19
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let bpchar: UInt32 = 1042
    static let varchar: UInt32 = 1043
    static let date: UInt32 = 1082
    static let timestamp: UInt32 = 1114
    static let timestamptz: UInt32 = 1184
    static let numeric: UInt32 = 1700
    static let uuid: UInt32 = 2950

    /// The column types requested in binary.
    static let types: Set<UInt32> = [
        bool, bytea, name, int8, int2, int4, text, float4, float8, bpchar, varchar, date, timestamp, timestamptz,
        numeric, uuid,
    ]
    static let textTypes: Set<UInt32> = [name, text, bpchar, varchar]
    /// Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
    static let epochDays = BinaryCopy.epochOffset / 86_400

    /// The text the server sends for `value` in text format.
    static func text(_ value: SQLBinaryValue) -> String {
        let bytes = value.bytes
        switch value.type {
        case bool: return bytes.first == 1 ? "t" : "f"
        case int2, int4, int8: return value.integer.map { String($0) } ?? ""
        case bytea: return Data(bytes).sqlText() ?? ""
        case uuid: return (try? UUID.decode(binary: value))?.sqlText() ?? ""
        case float4: return FloatText.text(Float(bitPattern: value.bigEndian(UInt32.self) ?? 0), positionalBelow: 6)
        case float8: return FloatText.text(Double(bitPattern: value.bigEndian(UInt64.self) ?? 0), positionalBelow: 15)
        case numeric: return numericText(bytes)
        case date: return dateText(value.bigEndian(Int32.self).map(Int64.init) ?? 0)
        case timestamp, timestamptz:
            return timestampText(value.bigEndian(Int64.self) ?? 0, withZone: value.type == timestamptz)
        default: return BinaryText.render(value) ?? String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The text a decoder is handed for a binary value it does not read itself: as ``text(_:)``, but a
    /// value of a built-in type whose binary form is not rendered, or that is malformed, fails rather
    /// than becoming unreadable characters.
    static func decodableText(_ value: SQLBinaryValue) throws(SQLDecodingFailure) -> String {
        if let name = BinaryText.unrendered[value.type] {
            throw SQLDecodingFailure(
                "a \(name) value came in binary format, which sqlgen does not read: cast the column to text in the query"
            )
        }
        if types.contains(value.type) { return text(value) }
        if let text = BinaryText.render(value) { return text }
        if BinaryText.renderedTypes.contains(value.type) {
            throw SQLDecodingFailure("a malformed binary value of type \(value.type)")
        }
        return String(decoding: value.bytes, as: UTF8.self)
    }

    /// numeric: digit count, weight of the first base-10,000 digit, sign, display scale, digits.
    private static func numericText(_ bytes: UnsafeRawBufferPointer) -> String {
        func word(_ index: Int) -> Int {
            guard 2 * index + 1 < bytes.count else { return 0 }
            return Int(UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1]))
        }
        let count = word(0)
        let weight = Int(Int16(truncatingIfNeeded: word(1)))
        let sign = word(2)
        let scale = word(3)
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        default: break
        }
        func digit(_ position: Int) -> Int {
            let index = weight - position
            return index >= 0 && index < count ? word(4 + index) : 0
        }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            text += String(digit(weight))
            for position in stride(from: weight - 1, through: 0, by: -1) {
                let group = String(digit(position))
                text += String(repeating: "0", count: 4 - group.count) + group
            }
        }
        if scale > 0 {
            var fraction = ""
            var position = -1
            while fraction.count < scale {
                let group = String(digit(position))
                fraction += String(repeating: "0", count: 4 - group.count) + group
                position -= 1
            }
            text += "." + fraction.prefix(scale)
        }
        return text
    }

    /// The civil date `days` after 2000-01-01: `YYYY-MM-DD`, ` BC` after years before 1.
    static func civilDate(_ days: Int64) -> (text: String, bc: Bool) {
        let date = CivilDate.fromDays(days + epochDays)
        let bc = date.year <= 0
        let year = String(bc ? 1 - date.year : date.year)
        let text =
            String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + DateTimeText.twoDigits(date.month)
            + "-" + DateTimeText.twoDigits(date.day)
        return (text, bc)
    }

    private static func dateText(_ days: Int64) -> String {
        if days == Int64(Int32.max) { return "infinity" }
        if days == Int64(Int32.min) { return "-infinity" }
        let date = civilDate(days)
        return date.text + (date.bc ? " BC" : "")
    }

    private static func timestampText(_ microseconds: Int64, withZone: Bool) -> String {
        if microseconds == .max { return "infinity" }
        if microseconds == .min { return "-infinity" }
        let perDay: Int64 = 86_400_000_000
        let days = microseconds >= 0 ? microseconds / perDay : (microseconds - perDay + 1) / perDay
        let ofDay = microseconds - days * perDay
        let date = civilDate(days)
        let seconds = Int(ofDay / 1_000_000)
        var time =
            DateTimeText.twoDigits(seconds / 3600) + ":" + DateTimeText.twoDigits(seconds % 3600 / 60) + ":"
            + DateTimeText.twoDigits(seconds % 60)
        if ofDay % 1_000_000 != 0 {
            // The fraction's six digits without their trailing zeros, as the server writes them.
            let digits = String(ofDay % 1_000_000 + 1_000_000).dropFirst()
            time += "." + digits.reversed().drop { $0 == "0" }.reversed()
        }
        return date.text + " " + time + (withZone ? "+00" : "") + (date.bc ? " BC" : "")
    }
}

/// A non-NULL result value in binary format, valid only during the decoding call it is passed to.
public struct SQLBinaryValue {
    /// The column's type (`pg_type` oid).
    public let type: UInt32
    /// The value's bytes, as the server sent them.
    public let bytes: UnsafeRawBufferPointer

    /// The big-endian fixed-width value the bytes hold, or nil when their length is not its width.
    func bigEndian<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard bytes.count == MemoryLayout<T>.size else { return nil }
        return T(bigEndian: bytes.loadUnaligned(as: T.self))
    }

    /// Decodes the value as `T`: from its binary form where `T` reads it, otherwise from its text.
    func decoded<T: SQLDecodable>(as type: T.Type) throws(SQLDecodingFailure) -> T {
        do {
            return try T.decode(binary: self)
        } catch  where error == .readAsText {
            return try T.decode(sqlText: BinaryResults.decodableText(self))
        }
    }

    /// An `int2`, `int4` or `int8` value; nil for other types.
    var integer: Int64? {
        switch type {
        case BinaryResults.int2: return bigEndian(Int16.self).map(Int64.init)
        case BinaryResults.int4: return bigEndian(Int32.self).map(Int64.init)
        case BinaryResults.int8: return bigEndian(Int64.self)
        default: return nil
        }
    }
}
