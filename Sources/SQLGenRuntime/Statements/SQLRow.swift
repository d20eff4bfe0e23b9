import CLibPQ

/// One row of a result. It is handed to ``SQLStatement/decode(_:)`` and is
/// valid only during that call: the result it reads is freed afterwards.
public struct SQLRow {
    /// Where the row's values are.
    enum Storage {
        /// Row `index` of a libpq result.
        case libpq(result: OpaquePointer, index: Int32)
        /// A row another executor holds in memory (see ``init(columns:bytes:cells:statementName:)``).
        case memory(columns: SQLResultColumns, bytes: UnsafeRawBufferPointer, cells: UnsafeBufferPointer<SQLCell>)
    }

    let storage: Storage
    let statementName: String

    /// Row `index` of a libpq result.
    init(result: OpaquePointer, index: Int32, statementName: String) {
        self.storage = .libpq(result: result, index: index)
        self.statementName = statementName
    }

    /// A row that an executor other than the libpq connection received: each column's value is the
    /// bytes `cells` gives it in `bytes` (in the format `columns` says), or NULL. For executor
    /// implementations; the row is valid only while `bytes` and `cells` are, so hand it to
    /// ``SQLStatement/decode(_:)`` inside the scope that lends them.
    public init(
        columns: SQLResultColumns, bytes: UnsafeRawBufferPointer, cells: UnsafeBufferPointer<SQLCell>,
        statementName: String
    ) {
        self.storage = .memory(columns: columns, bytes: bytes, cells: cells)
        self.statementName = statementName
    }

    /// The number of columns.
    public var columnCount: Int {
        switch storage {
        case .libpq(let result, _): return Int(PQnfields(result))
        case .memory(let columns, _, let cells): return min(columns.count, cells.count)
        }
    }

    /// The name the result gives a column.
    public func columnName(_ column: Int) -> String {
        switch storage {
        case .libpq(let result, _): return String(cString: PQfname(result, Int32(column)))
        case .memory(let columns, _, _): return columns.names[column]
        }
    }

    /// Whether a column is NULL.
    func isNull(_ column: Int) -> Bool {
        switch storage {
        case .libpq(let result, let index): return PQgetisnull(result, index, Int32(column)) != 0
        case .memory(_, _, let cells): return cells[column].length < 0
        }
    }

    /// The text of a column, or nil for NULL (for a value sent in binary, the text the server would
    /// have sent).
    public func text(_ column: Int) -> String? {
        if let value = binaryValue(column) { return BinaryResults.text(value) }
        return sentText(column)
    }

    /// The text of a column the server sent in text format, or nil for NULL.
    private func sentText(_ column: Int) -> String? {
        switch storage {
        case .libpq(let result, let index):
            guard PQgetisnull(result, index, Int32(column)) == 0 else { return nil }
            return String(cString: PQgetvalue(result, index, Int32(column)))
        case .memory(_, let bytes, let cells):
            let cell = cells[column]
            guard cell.length >= 0 else { return nil }
            return String(
                decoding: UnsafeRawBufferPointer(rebasing: bytes[cell.start..<cell.start + cell.length]), as: UTF8.self)
        }
    }

    /// A non-NULL column sent in binary format; nil for a text column (or NULL).
    func binaryValue(_ column: Int) -> SQLBinaryValue? {
        switch storage {
        case .libpq(let result, let index):
            let field = Int32(column)
            guard PQfformat(result, field) == 1, PQgetisnull(result, index, field) == 0,
                let pointer = PQgetvalue(result, index, field)
            else { return nil }
            let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(PQgetlength(result, index, field)))
            return SQLBinaryValue(type: PQftype(result, field), bytes: bytes)
        case .memory(let columns, let bytes, let cells):
            let cell = cells[column]
            guard columns.binary[column], cell.length >= 0 else { return nil }
            return SQLBinaryValue(
                type: columns.types[column],
                bytes: UnsafeRawBufferPointer(rebasing: bytes[cell.start..<cell.start + cell.length]))
        }
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
            if let value = binaryValue(column) { return try value.decoded(as: T.self) }
            return try T.decode(sqlText: sentText(column))
        } catch {
            let columnName = name ?? self.columnName(column)
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
            columns: (0..<columnCount).map(columnName),
            values: (0..<columnCount).map(text))
    }
}

extension SQLRow {
    /// Whether every column in `columns` is NULL: how a generated row tells that the nullable side of
    /// an outer join found no row, so its embedded model is nil. False when the result has fewer
    /// columns, so that decoding reports the missing one.
    public func columnsAreNull(_ columns: ClosedRange<Int>) -> Bool {
        guard columns.lowerBound >= 0, columns.upperBound < columnCount else { return false }
        return columns.allSatisfy(isNull)
    }
}
