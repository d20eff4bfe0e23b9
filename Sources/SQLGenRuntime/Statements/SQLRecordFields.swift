/// A record literal's fields (`(1,"two",)`), decoded one by one in order: generated composite
/// types and table models read a row value with one ``next(as:)`` per field, which compiles to far
/// less code than one generic call over every field's type.
public struct SQLRecordFields {
    private let fields: [String?]
    private var index = 0

    /// The fields of `text`, which must have `count` of them.
    public init(_ text: String, count: Int) throws(SQLDecodingFailure) {
        fields = try SQLRecordText.fields(of: text, count: count)
    }

    /// Decodes the next field as `Value` (NULL as nil when `Value` is optional).
    public mutating func next<Value: SQLDecodable>(as type: Value.Type = Value.self) throws(SQLDecodingFailure)
        -> Value
    {
        guard index < fields.count else {
            throw SQLDecodingFailure("the record has \(fields.count) fields; field \(index + 1) was asked for")
        }
        defer { index += 1 }
        return try Value.decode(sqlText: fields[index])
    }
}
