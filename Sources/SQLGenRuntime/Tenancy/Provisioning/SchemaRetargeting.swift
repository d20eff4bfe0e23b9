/// Rewrites SQL written against the template schema so that it builds another schema: every
/// identifier naming the template schema (unquoted in any case, or quoted exactly) becomes the
/// target schema, quoted. String literals and comments are left alone; dollar-quoted bodies
/// (function bodies) are rewritten as SQL.
enum SchemaRetargeting {
    static func retarget(_ sql: String, from template: String, to target: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 64)
        let bytes = Array(sql.utf8)
        var index = 0
        var copiedUpTo = 0
        let quotedTarget = SchemaName.quoted(target)

        func flush(upTo end: Int) {
            if end > copiedUpTo { output += String(decoding: bytes[copiedUpTo..<end], as: UTF8.self) }
            copiedUpTo = end
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "-") where next(bytes, index) == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where next(bytes, index) == UInt8(ascii: "*"):
                index = SQLLexing.blockCommentEnd(bytes, from: index)
            case UInt8(ascii: "'"):
                let escapes =
                    index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                    && !isIdentifierByte(before: bytes, index - 1)
                index = SQLLexing.quoteEnd(bytes, from: index, backslashEscapes: escapes)
            case UInt8(ascii: "\""):
                let end = SQLLexing.quoteEnd(bytes, from: index)
                let name = String(decoding: bytes[(index + 1)..<max(index + 1, end - 1)], as: UTF8.self)
                if name.replacingOccurrences(of: "\"\"", with: "\"") == template {
                    flush(upTo: index)
                    output += quotedTarget
                    copiedUpTo = end
                }
                index = end
            case UInt8(ascii: "$"):
                if let (tagEnd, bodyEnd, closeEnd) = SQLLexing.dollarQuote(bytes, from: index) {
                    flush(upTo: tagEnd)
                    output += retarget(
                        String(decoding: bytes[tagEnd..<bodyEnd], as: UTF8.self), from: template, to: target)
                    copiedUpTo = bodyEnd
                    index = closeEnd
                } else {
                    index += 1
                }
            default:
                if isIdentifierStart(byte) {
                    var end = index + 1
                    while end < bytes.count, isIdentifierByte(bytes[end]) { end += 1 }
                    let word = String(decoding: bytes[index..<end], as: UTF8.self)
                    if word.lowercased() == template {
                        flush(upTo: index)
                        output += quotedTarget
                        copiedUpTo = end
                    }
                    index = end
                } else {
                    index += 1
                }
            }
        }
        flush(upTo: bytes.count)
        return output
    }

    /// Whether `sql` names the template schema anywhere outside strings and comments.
    static func mentions(_ sql: String, schema: String) -> Bool {
        retarget(sql, from: schema, to: schema + "_") != sql
    }

    private static func next(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
            || byte >= 0x80
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "$")
    }

    private static func isIdentifierByte(before bytes: [UInt8], _ index: Int) -> Bool {
        index > 0 && isIdentifierByte(bytes[index - 1])
    }
}
