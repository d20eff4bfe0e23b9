/// A value that can be sent to PostgreSQL as a query parameter.
///
/// Values travel in PostgreSQL's text format; `nil` is SQL NULL.
public protocol SQLEncodable: Sendable {
    /// The value in PostgreSQL's text format, or nil for NULL.
    func sqlText() -> String?

    /// Appends the value as one field of COPY's text format: escaped, `\N` for NULL. The default
    /// escapes ``sqlText()``; common types write their bytes directly.
    func appendCopyField(to buffer: inout [UInt8])

    /// The column types this type writes to in COPY's binary format, or nil when it has no binary
    /// writer (its COPYs go as text). The default is nil.
    static var binaryCopyFormat: BinaryCopyFormat? { get }

    /// Appends the value as one field of COPY's binary format (length, then bytes; called only when
    /// ``binaryCopyFormat`` is not nil).
    func appendBinaryCopyField(to buffer: inout [UInt8])
}

extension SQLEncodable {
    public func appendCopyField(to buffer: inout [UInt8]) {
        CopyText.append(sqlText(), to: &buffer)
    }

    public static var binaryCopyFormat: BinaryCopyFormat? { nil }

    /// The text's bytes, as a text-like column reads them.
    public func appendBinaryCopyField(to buffer: inout [UInt8]) {
        guard let text = sqlText() else { return buffer.append(contentsOf: BinaryCopy.null) }
        BinaryCopy.appendField(bytes: text.utf8, to: &buffer)
    }
}

/// COPY's text format: fields separated by tabs, rows by newlines, `\N` for NULL, and backslash,
/// tab, newline and carriage return escaped with a backslash.
enum CopyText {
    static func append(_ text: String?, to buffer: inout [UInt8]) {
        guard let text else {
            buffer.append(contentsOf: [92, 78])  // \N
            return
        }
        appendEscaped(text.utf8, to: &buffer)
    }

    static func appendEscaped(_ bytes: String.UTF8View, to buffer: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case 92: buffer.append(contentsOf: [92, 92])
            case 9: buffer.append(contentsOf: [92, 116])
            case 10: buffer.append(contentsOf: [92, 110])
            case 13: buffer.append(contentsOf: [92, 114])
            default: buffer.append(byte)
            }
        }
    }

    /// `value` in decimal with at least `width` digits (zero-padded); `value` is not negative.
    static func appendDigits(_ value: Int, width: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        var digits = 1
        while divisor <= value / 10 {
            divisor *= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { buffer.append(48) }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

/// A value that can be read from a result column.
public protocol SQLDecodable: Sendable {
    /// Decodes a value from PostgreSQL's text format; `text` is nil for NULL.
    static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Self

    /// Decodes a non-NULL value the server sent in binary format, or throws
    /// ``SQLDecodingFailure/readAsText`` to be handed the value's text instead (the default).
    static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Self
}

extension SQLDecodable {
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Self { throw .readAsText }
}

/// Both directions.
public typealias SQLCodable = SQLEncodable & SQLDecodable

/// Why a value could not be decoded; ``SQLRow`` adds the query and column.
public struct SQLDecodingFailure: Error, Hashable, Sendable {
    /// What went wrong, as in `unexpected NULL` or `'maybe' is not a boolean`.
    public var reason: String

    /// A failure for `reason`.
    public init(_ reason: String) { self.reason = reason }

    /// The failure for NULL in a column decoded as non-optional.
    public static let unexpectedNull = SQLDecodingFailure("unexpected NULL")

    /// Not a failure: ``SQLDecodable/decode(binary:)`` does not read this value's binary form, and the
    /// value's text is decoded instead.
    public static let readAsText = SQLDecodingFailure("read as text")

    static func malformed(_ text: String, as type: String) -> SQLDecodingFailure {
        SQLDecodingFailure("'\(text.prefix(80))' is not a valid \(type)")
    }
}

extension SQLDecodable {
    /// The text of a non-NULL value, or the unexpected-NULL failure.
    @inline(__always)
    static func require(_ text: String?) throws(SQLDecodingFailure) -> String {
        guard let text else { throw .unexpectedNull }
        return text
    }
}

extension Optional: SQLEncodable where Wrapped: SQLEncodable {
    public func sqlText() -> String? { self?.sqlText() }

    public func appendCopyField(to buffer: inout [UInt8]) {
        switch self {
        case .none: buffer.append(contentsOf: [92, 78])
        case .some(let value): value.appendCopyField(to: &buffer)
        }
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Wrapped? {
        guard let text else { return nil }
        return try Wrapped.decode(sqlText: text)
    }

    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Wrapped? {
        try Wrapped.decode(binary: value)
    }
}
