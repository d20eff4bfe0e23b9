/// A tenant-scoped read with the tenant's schema written in front of each of its tenant names
/// (`FROM accounts` becomes `FROM "tenant_acme".accounts`), so that it runs on the shared search
/// path with no switch: a name that is not there fails instead of being found in another schema.
enum TenantQualifiedSQL {
    /// `sql` with `quotedSchema` and a dot inserted at each UTF-8 offset; nil unless every offset,
    /// in increasing order, starts a name (the generator's offsets for this very text).
    static func qualify(_ sql: String, quotedSchema: String, at offsets: [Int]) -> String? {
        var text = sql
        return text.withUTF8 { bytes -> String? in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + offsets.count * (quotedSchema.utf8.count + 1))
            var cursor = 0
            for offset in offsets {
                guard offset >= cursor, offset < bytes.count, startsName(bytes[offset]),
                    offset == 0 || !continuesName(bytes[offset - 1])
                else { return nil }
                output.append(contentsOf: bytes[cursor..<offset])
                output.append(contentsOf: quotedSchema.utf8)
                output.append(UInt8(ascii: "."))
                cursor = offset
            }
            output.append(contentsOf: bytes[cursor...])
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// A byte a name can start with: a letter, `_`, a quote, or the first byte of a non-ASCII letter.
    private static func startsName(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte == UInt8(ascii: "\"") || byte >= 0xC0
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    /// A byte that, just before a name, would make the insertion split a word or a qualified name.
    private static func continuesName(_ byte: UInt8) -> Bool {
        startsName(byte) || byte >= 0x80 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "$")
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
