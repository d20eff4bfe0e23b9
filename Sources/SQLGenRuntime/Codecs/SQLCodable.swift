/// A value that can be sent to PostgreSQL as a query parameter.
///
/// Values travel in PostgreSQL's text format; `nil` is SQL NULL.
public protocol SQLEncodable: Sendable {
    /// The value in PostgreSQL's text format, or nil for NULL.
    func sqlText() -> String?
}

/// A value that can be read from a result column.
public protocol SQLDecodable: Sendable {
    /// Decodes a value from PostgreSQL's text format; `text` is nil for NULL.
    static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Self
}

/// Both directions.
public typealias SQLCodable = SQLEncodable & SQLDecodable

/// Why a value could not be decoded; ``SQLRow`` adds the query and column.
public struct SQLDecodingFailure: Error, Hashable, Sendable {
    /// What went wrong, as in `unexpected NULL` or `'maybe' is not a boolean`.
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    /// The failure for NULL in a column decoded as non-optional.
    public static let unexpectedNull = SQLDecodingFailure("unexpected NULL")

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
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Wrapped? {
        guard let text else { return nil }
        return try Wrapped.decode(sqlText: text)
    }
}
