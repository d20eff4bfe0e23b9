import Foundation

// Decoders that read binary result values directly; every other type is handed the value's text.

/// Integers from `int2`, `int4` or `int8`, range-checked: a value that does not fit is an error.
extension SQLDecodable where Self: FixedWidthInteger {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Self {
        guard let integer = value.integer else { throw .readAsText }
        guard let result = Self(exactly: integer) else { throw .malformed(String(integer), as: "\(Self.self)") }
        return result
    }
}

extension Bool {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Bool {
        guard value.type == BinaryResults.bool, value.bytes.count == 1 else { throw .readAsText }
        return value.bytes[0] != 0
    }
}

extension Double {
    /// From `float8` only: a `float4` read as Double goes through its text, as it always has.
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Double {
        guard value.type == BinaryResults.float8, let bits = value.bigEndian(UInt64.self) else { throw .readAsText }
        return Double(bitPattern: bits)
    }
}

extension Float {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Float {
        guard value.type == BinaryResults.float4, let bits = value.bigEndian(UInt32.self) else { throw .readAsText }
        return Float(bitPattern: bits)
    }
}

extension String {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> String {
        guard BinaryResults.textTypes.contains(value.type) else { throw .readAsText }
        return String(decoding: value.bytes, as: UTF8.self)
    }
}

extension UUID {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> UUID {
        guard value.type == BinaryResults.uuid, value.bytes.count == 16 else { throw .readAsText }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: value.bytes) }
        return UUID(uuid: uuid)
    }
}

extension Data {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Data {
        guard value.type == BinaryResults.bytea else { throw .readAsText }
        return Data(value.bytes)
    }
}

extension Date {
    /// `timestamptz` or `timestamp` (taken as UTC), to the microsecond as the text decoder reads it.
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Date {
        guard value.type == BinaryResults.timestamptz || value.type == BinaryResults.timestamp,
            let microseconds = value.bigEndian(Int64.self)
        else { throw .readAsText }
        if microseconds == .max { return .distantFuture }
        if microseconds == .min { return .distantPast }
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        return Date(
            timeIntervalSince1970: Double(seconds + BinaryResults.epochDays * 86_400) + Double(fraction) / 1_000_000)
    }
}

extension Decimal {
    /// From `numeric`, when the value fits Decimal's 38 digits; anything else through its text (which
    /// refuses to round).
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Decimal {
        guard value.type == BinaryResults.numeric, let decimal = DecimalParsing.numeric(value.bytes) else {
            throw .readAsText
        }
        return decimal
    }
}
