/// A type decoded from a whole result row, its properties from the row's columns in order: the
/// table models sqlgen generates. A statement whose `Row` is one needs no `decode` of its own, so
/// every query that returns a table's rows shares the model's one decoder.
public protocol SQLRowDecodable: Sendable {
    /// Decodes the row's columns, from the first, into the properties in order.
    init(decoding row: SQLRow) throws(SQLGenError)
}

extension SQLStatement where Row: SQLRowDecodable {
    /// Decodes a row with the row type's own decoder.
    public static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        try Row(decoding: row)
    }
}
