/// A `tid`: where a row version lies in its table (`ctid`), as a block number and the line pointer's
/// offset in that block. PostgreSQL prints it `(0,1)`.
///
/// A row's `ctid` changes when the row is updated or the table is rewritten (VACUUM FULL, CLUSTER):
/// it identifies a row version only for as long as that version exists.
public struct SQLTupleID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The block (page) number in the table.
    public var block: UInt32
    /// The line pointer's offset in that block (from 1).
    public var offset: UInt16

    /// A tuple identifier of a block and an offset in it.
    public init(block: UInt32, offset: UInt16) {
        self.block = block
        self.offset = offset
    }

    /// `(block,offset)`, as PostgreSQL prints it.
    public var description: String { "(\(block),\(offset))" }
}

extension SQLTupleID: SQLCodable {
    public func sqlText() -> String? { description }

    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLTupleID {
        let text = try require(text)
        guard text.hasPrefix("("), text.hasSuffix(")") else { throw .malformed(text, as: "tid") }
        let parts = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let block = UInt32(parts[0]), let offset = UInt16(parts[1]) else {
            throw .malformed(text, as: "tid")
        }
        return SQLTupleID(block: block, offset: offset)
    }
}
