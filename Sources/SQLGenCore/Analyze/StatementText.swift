/// Byte-level reading of a statement's text where the parse tree gives only a starting offset: where a
/// call's parentheses close, where its arguments are split, which word comes before or after.
///
/// Quotes (`'...'`, `E'...'` with its backslash escapes, `"..."`, `$tag$...$tag$`) and comments
/// (`--`, `/* */`, nested) are skipped whole, as PostgreSQL's lexer skips them: a parenthesis, comma
/// or quote inside one does not count.
struct StatementText {
    let bytes: [UInt8]

    /// The offset just past the parenthesis closing the call that starts at `from`.
    func closingParenthesis(from: Int) -> Int {
        var depth = 0
        var found = bytes.count
        scan(from: from, to: bytes.count) { index, byte in
            if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 {
                    found = index + 1
                    return false
                }
            }
            return true
        }
        return found
    }

    /// The offset of the call's opening parenthesis (its name holds none).
    func openingParenthesis(from: Int) -> Int {
        var found = bytes.count
        scan(from: from, to: bytes.count) { index, byte in
            guard byte == UInt8(ascii: "(") else { return true }
            found = index
            return false
        }
        return found
    }

    /// The ranges of the comma-separated pieces of `start..<end` (commas inside parentheses, brackets,
    /// quotes or comments do not split), each from its first to its last byte that is neither blank
    /// nor in a comment.
    func splitAtTopLevelCommas(_ start: Int, _ end: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var depth = 0
        var first: Int?
        var last = start
        func close() {
            pieces.append((first ?? last)..<(first == nil ? last : last + 1))
            first = nil
        }
        scan(from: start, to: end) { index, byte in
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                close()
                last = index + 1
                return true
            default: break
            }
            if !isBlank(byte) {
                if first == nil { first = index }
                last = index
            }
            return true
        }
        if first != nil || !pieces.isEmpty { close() }
        return pieces
    }

    /// The offset just past the top-level `=>` (or `:=`) of `name => expression`.
    func arrow(in range: Range<Int>) -> Int? {
        var found: Int?
        var depth = 0
        scan(from: range.lowerBound, to: range.upperBound) { index, byte in
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "="), UInt8(ascii: ":"):
                let second = byte == UInt8(ascii: "=") ? UInt8(ascii: ">") : UInt8(ascii: "=")
                if depth == 0, index + 1 < range.upperBound, bytes[index + 1] == second {
                    found = index + 2
                    return false
                }
            default: break
            }
            return true
        }
        return found
    }

    /// The offset of the first parameter in `range`, outside quotes and comments: `$1`, `@name`, or a
    /// `sqlc.` macro.
    func firstParameter(_ range: Range<Int>) -> Int? {
        var found: Int?
        scan(from: range.lowerBound, to: range.upperBound) { index, byte in
            let next = index + 1 < range.upperBound ? bytes[index + 1] : 0
            let isParameter =
                (byte == UInt8(ascii: "$") && next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
                || (byte == UInt8(ascii: "@") && next | 0x20 >= UInt8(ascii: "a") && next | 0x20 <= UInt8(ascii: "z"))
                || (byte | 0x20 == UInt8(ascii: "s") && (index == 0 || !isWordByte(bytes[index - 1]))
                    && index + 5 <= range.upperBound
                    && bytes[index..<index + 5].map { $0 | 0x20 } == Array("sqlc.".utf8).map { $0 | 0x20 })
            guard isParameter else { return true }
            found = index
            return false
        }
        return found
    }

    /// The lowercased word after `offset`, past blanks, comments and closing parentheses; nil at the
    /// end of the statement, and for anything that is not a word (an operator, a comma).
    func word(after offset: Int) -> String? {
        var start: Int?
        scan(from: offset, to: bytes.count) { index, byte in
            if isBlank(byte) || byte == UInt8(ascii: ")") { return true }
            start = index
            return false
        }
        guard let start else { return nil }
        var end = start
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        return end > start ? String(decoding: bytes[start..<end], as: UTF8.self).lowercased() : nil
    }

    /// Calls `body` with each byte of `from..<to` outside quotes and comments until it returns false.
    /// A quoted string or identifier is reported as its opening quote alone (it is not blank).
    private func scan(from: Int, to end: Int, _ body: (Int, UInt8) -> Bool) {
        let limit = min(end, bytes.count)
        var index = from
        while index < limit {
            let byte = bytes[index]
            let next = index + 1 < limit ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                while index < limit, !LineBreaks.isBreak(bytes[index]) { index += 1 }
                continue
            }
            if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                index = blockCommentEnd(from: index, limit: limit)
                continue
            }
            var skipped: Int?
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                let escapes =
                    byte == UInt8(ascii: "'") && index > 0 && bytes[index - 1] | 0x20 == UInt8(ascii: "e")
                    && (index < 2 || !isWordByte(bytes[index - 2]))
                skipped = quoteEnd(from: index, limit: limit, backslashEscapes: escapes)
            } else if byte == UInt8(ascii: "$"), index == 0 || !isWordByte(bytes[index - 1]) {
                skipped = dollarQuoteEnd(from: index, limit: limit)
            }
            guard body(index, byte) else { return }
            // A quoted span is its opening and its closing byte to `body`, nothing in between.
            if let end = skipped {
                if end - 1 > index, !body(end - 1, bytes[end - 1]) { return }
                index = end
                continue
            }
            index += 1
        }
    }

    /// Just past the quote closing the one at `start` (a doubled quote is one inside it).
    private func quoteEnd(from start: Int, limit: Int, backslashEscapes: Bool) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < limit {
            if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if index + 1 < limit, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return limit
    }

    /// Just past the end of the block comment that opens at `start`; block comments nest.
    private func blockCommentEnd(from start: Int, limit: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < limit {
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
        return limit
    }

    /// Just past the dollar-quoted string that opens at `start` (`$$...$$`, `$tag$...$tag$`); nil when
    /// `start` opens none (a parameter `$1`).
    private func dollarQuoteEnd(from start: Int, limit: Int) -> Int? {
        var tagEnd = start + 1
        while tagEnd < limit, bytes[tagEnd] != UInt8(ascii: "$") {
            let byte = bytes[tagEnd]
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isWordByte(byte), !(isDigit && tagEnd == start + 1) else { return nil }
            tagEnd += 1
        }
        guard tagEnd < limit else { return nil }
        let tag = bytes[start...tagEnd]
        var index = tagEnd + 1
        while index + tag.count <= limit {
            if bytes[index] == UInt8(ascii: "$"), bytes[index..<index + tag.count].elementsEqual(tag) {
                return index + tag.count
            }
            index += 1
        }
        return limit
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

    private func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_")
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
