/// Where PostgreSQL's lexer ends a comment, a quoted string or name, and a dollar-quoted string: the
/// pieces of SQL text that readers of the runtime (``SQLWords``, ``SchemaRetargeting``) skip whole.
enum SQLLexing {
    /// Just past the block comment that opens at `start`; block comments nest.
    static func blockCommentEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// Just past the quoted run that opens at `start` (`'...'` or `"..."`), where a doubled quote stands
    /// for itself and, in `E'...'` strings, a backslash escapes the next byte.
    static func quoteEnd(_ bytes: [UInt8], from start: Int, backslashEscapes: Bool = false) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// For `$tag$body$tag$` opening at `start`: where the body starts, where it ends, and where the
    /// closing tag ends; nil when `start` opens none (a parameter `$1`, a `$` inside a name) or the
    /// string is not closed. A tag is a name that does not start with a digit.
    static func dollarQuote(_ bytes: [UInt8], from start: Int) -> (bodyStart: Int, bodyEnd: Int, end: Int)? {
        if start > 0, isNameByte(bytes[start - 1]) { return nil }
        var tagEnd = start + 1
        while tagEnd < bytes.count, bytes[tagEnd] != UInt8(ascii: "$") {
            let isDigit = bytes[tagEnd] >= UInt8(ascii: "0") && bytes[tagEnd] <= UInt8(ascii: "9")
            guard isNameByte(bytes[tagEnd]), !(isDigit && tagEnd == start + 1) else { return nil }
            tagEnd += 1
        }
        guard tagEnd < bytes.count else { return nil }
        let tag = bytes[start...tagEnd]
        var index = tagEnd + 1
        while index + tag.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$"), bytes[index..<(index + tag.count)].elementsEqual(tag) {
                return (tagEnd + 1, index, index + tag.count)
            }
            index += 1
        }
        return nil
    }

    /// A byte of an unquoted name: a letter, a digit, `_`, `$`, or part of a non-ASCII character.
    static func isNameByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
