/// The columns of a result an executor other than the libpq connection received: each one's name,
/// type and whether its values come in PostgreSQL's binary format. With ``SQLCell`` it describes a
/// row handed to ``SQLRow/init(columns:bytes:cells:statementName:)``.
public struct SQLResultColumns: Sendable, Hashable {
    /// Each column's name, as the result gives it.
    public let names: [String]
    /// Each column's type (`pg_type` oid).
    public let types: [UInt32]
    /// Whether each column's values are in binary format (otherwise text).
    public let binary: [Bool]

    /// The number of columns.
    public var count: Int { names.count }

    /// Columns with these names, types and formats (the three arrays have one entry per column; a
    /// shorter `types` or `binary` is read as unknown type in text).
    public init(names: [String], types: [UInt32], binary: [Bool]) {
        self.names = names
        self.types = types.count >= names.count ? types : types + Array(repeating: 0, count: names.count - types.count)
        self.binary =
            binary.count >= names.count ? binary : binary + Array(repeating: false, count: names.count - binary.count)
    }
}

/// Where one value of a row lies in the row's bytes: `length` bytes from `start`, or NULL when
/// `length` is negative.
public struct SQLCell: Sendable, Hashable {
    /// The offset of the value's first byte.
    public var start: Int
    /// The value's length in bytes; negative for NULL.
    public var length: Int

    /// A value of `length` bytes at `start`.
    public init(start: Int, length: Int) {
        self.start = start
        self.length = length
    }

    /// A NULL value.
    public static let null = SQLCell(start: 0, length: -1)
}
