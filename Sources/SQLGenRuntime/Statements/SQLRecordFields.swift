/// A row value's fields (`(1,"two",)` in text), decoded one by one in order: generated composite
/// types and table models read a row value with one ``next(as:)`` per field, which compiles to far
/// less code than one generic call over every field's type.
public struct SQLRecordFields {
    private enum Storage {
        /// Each field's text, nil for NULL.
        case text([String?])
        /// Each field of a record in binary format, with its type.
        case binary([BinaryArrayText.Item])
    }

    private let storage: Storage
    private var index = 0

    /// The fields of `text`, which must have `count` of them.
    public init(_ text: String, count: Int) throws(SQLDecodingFailure) {
        storage = .text(try SQLRecordText.fields(of: text, count: count))
    }

    /// The fields of a record in binary format, which must have `count` of them.
    public init(binary value: SQLBinaryValue, count: Int) throws(SQLDecodingFailure) {
        guard let fields = BinaryArrayText.fields(value.bytes) else {
            throw SQLDecodingFailure("a malformed binary record")
        }
        guard fields.count == count else {
            throw SQLDecodingFailure("a record with \(fields.count) fields where \(count) were expected")
        }
        storage = .binary(fields)
    }

    private var count: Int {
        switch storage {
        case .text(let fields): return fields.count
        case .binary(let fields): return fields.count
        }
    }

    /// Decodes the next field as `Value` (NULL as nil when `Value` is optional).
    public mutating func next<Value: SQLDecodable>(as type: Value.Type = Value.self) throws(SQLDecodingFailure)
        -> Value
    {
        guard index < count else {
            throw SQLDecodingFailure("the record has \(count) fields; field \(index + 1) was asked for")
        }
        defer { index += 1 }
        switch storage {
        case .text(let fields):
            return try Value.decode(sqlText: fields[index])
        case .binary(let fields):
            let field = fields[index]
            guard let bytes = field.bytes else { return try Value.decode(sqlText: nil) }
            return try SQLBinaryValue(type: field.type, bytes: bytes).decoded(as: Value.self)
        }
    }
}

/// A composite type or table model that reads a row value field by field, from its text or from
/// its binary form: generated types conform, giving their field count and the one function that
/// reads the fields in order.
public protocol SQLRecordCodable: SQLCodable {
    /// The number of fields in the record.
    static var recordFieldCount: Int { get }
    /// Reads the value from its fields, in order.
    static func decode(fields: inout SQLRecordFields) throws(SQLDecodingFailure) -> Self
}

extension SQLRecordCodable {
    /// Decodes a record literal (`(1,"text",)`).
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Self {
        var fields = try SQLRecordFields(requireText(text), count: recordFieldCount)
        return try decode(fields: &fields)
    }

    /// Decodes a record in binary format, each field as the type the record names.
    public static func decode(binary value: SQLBinaryValue) throws(SQLDecodingFailure) -> Self {
        var fields = try SQLRecordFields(binary: value, count: recordFieldCount)
        return try decode(fields: &fields)
    }
}
