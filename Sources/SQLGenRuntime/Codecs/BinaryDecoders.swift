import Foundation

// Decoders that read binary result values directly; every other type is handed the value's text.

/// Integers from `int2`, `int4` or `int8`, range-checked: a value that does not fit is an error.
extension SQLDecodable where Self: FixedWidthInteger {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Self? {
        guard let integer = value.integer else { return nil }
        guard let result = Self(exactly: integer) else { throw .malformed(String(integer), as: "\(Self.self)") }
        return result
    }
}

extension Bool {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Bool? {
        guard value.type == BinaryResults.bool, value.bytes.count == 1 else { return nil }
        return value.bytes[0] != 0
    }
}

extension String {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> String? {
        guard BinaryResults.textTypes.contains(value.type) else { return nil }
        return String(decoding: value.bytes, as: UTF8.self)
    }
}

extension UUID {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> UUID? {
        guard value.type == BinaryResults.uuid, value.bytes.count == 16 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: value.bytes) }
        return UUID(uuid: uuid)
    }
}

extension Data {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Data? {
        guard value.type == BinaryResults.bytea else { return nil }
        return Data(value.bytes)
    }
}

extension Date {
    /// `timestamptz` or `timestamp` (taken as UTC), to the microsecond as the text decoder reads it.
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Date? {
        guard value.type == BinaryResults.timestamptz || value.type == BinaryResults.timestamp,
            let microseconds = value.bigEndian(Int64.self)
        else { return nil }
        if microseconds == .max { return .distantFuture }
        if microseconds == .min { return .distantPast }
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        return Date(
            timeIntervalSince1970: Double(seconds + BinaryResults.epochDays * 86_400) + Double(fraction) / 1_000_000)
    }
}
