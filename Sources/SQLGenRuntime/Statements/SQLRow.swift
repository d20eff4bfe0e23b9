import CLibPQ

/// One row of a result. It is handed to ``SQLStatement/decode(_:)`` and is
/// valid only during that call: the result it reads is freed afterwards.
public struct SQLRow {
    let result: OpaquePointer
    let index: Int32
    let statementName: String

    /// The number of columns.
    public var columnCount: Int { Int(PQnfields(result)) }

    /// The text of a column, or nil for NULL (for a value sent in binary, the text the server would
    /// have sent).
    public func text(_ column: Int) -> String? {
        if let value = binaryValue(column) { return BinaryResults.text(value) }
        return sentText(column)
    }

    /// The text of a column the server sent in text format, or nil for NULL.
    private func sentText(_ column: Int) -> String? {
        guard PQgetisnull(result, index, Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, index, Int32(column)))
    }

    /// A non-NULL column sent in binary format; nil for a text column (or NULL).
    func binaryValue(_ column: Int) -> SQLBinaryValue? {
        let field = Int32(column)
        guard PQfformat(result, field) == 1, PQgetisnull(result, index, field) == 0,
            let pointer = PQgetvalue(result, index, field)
        else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(PQgetlength(result, index, field)))
        return SQLBinaryValue(type: PQftype(result, field), bytes: bytes)
    }

    /// Decodes a column, reporting a mismatch as a typed error naming the query, the column and the value's type.
    public func decode<T: SQLDecodable>(_ column: Int, as type: T.Type = T.self, name: String) throws(SQLGenError)
        -> T
    {
        try decodeValue(column, as: T.self, name: name)
    }

    /// Decodes the row's columns from the first, in order, as the given types: `(Int64, String?)` for
    /// `try row.decodeColumns(Int64.self, String?.self)`. Generated statements decode a row of any
    /// width with this one call; a mismatch names the column as the result does.
    public func decodeColumns<each Value: SQLDecodable>(
        _ types: repeat (each Value).Type
    ) throws(SQLGenError) -> (repeat each Value) {
        var column = 0
        func next<V: SQLDecodable>(_ type: V.Type) throws(SQLGenError) -> V {
            defer { column += 1 }
            return try decodeValue(column, as: V.self, name: nil)
        }
        return (repeat try next(each types))
    }

    /// Decodes a column; `name` nil means the name the result gives the column, looked up only for an error.
    private func decodeValue<T: SQLDecodable>(_ column: Int, as type: T.Type, name: String?) throws(SQLGenError)
        -> T
    {
        guard column < columnCount else {
            let named = name.map { " (\($0))" } ?? ""
            throw SQLGenError(
                .decoding, message: "column \(column)\(named) is missing: the result has \(columnCount) columns",
                statementName: statementName)
        }
        do {
            if let value = binaryValue(column) {
                do {
                    return try T.decode(binary: value)
                } catch  where error == .readAsText {
                    return try T.decode(sqlText: BinaryResults.text(value))
                }
            }
            return try T.decode(sqlText: sentText(column))
        } catch {
            let columnName = name ?? String(cString: PQfname(result, Int32(column)))
            var failure = SQLGenError(
                .decoding, message: "cannot decode column \"\(columnName)\" as \(T.self): \(error.reason)",
                statementName: statementName)
            failure.column = columnName
            throw failure
        }
    }

    /// Every column's text with its name.
    public var values: SQLRowValues {
        SQLRowValues(
            columns: (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) },
            values: (0..<columnCount).map(text))
    }
}

extension SQLRow {
    /// Whether every column in `columns` is NULL: how a generated row tells that the nullable side of
    /// an outer join found no row, so its embedded model is nil. False when the result has fewer
    /// columns, so that decoding reports the missing one.
    public func columnsAreNull(_ columns: ClosedRange<Int>) -> Bool {
        guard columns.lowerBound >= 0, columns.upperBound < columnCount else { return false }
        return columns.allSatisfy { PQgetisnull(result, index, Int32($0)) != 0 }
    }
}
