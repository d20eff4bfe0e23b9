/// Byte-level reading of a statement's text where the parse tree gives only a starting offset: where a
/// call's parentheses close, where its arguments are split, which word comes before or after.
///
/// Quotes (`'...'`, `"..."`) are skipped whole; a parenthesis or comma inside one does not count.
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
        var index = from
        while index < bytes.count, bytes[index] != UInt8(ascii: "(") { index += 1 }
        return index
    }

    /// The ranges of the comma-separated pieces of `start..<end` (commas inside parentheses, brackets
    /// or quotes do not split), each without surrounding blanks.
    func splitAtTopLevelCommas(_ start: Int, _ end: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var depth = 0
        var pieceStart = start
        scan(from: start, to: end) { index, byte in
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                pieces.append(trimmed(pieceStart..<index))
                pieceStart = index + 1
            default: break
            }
            return true
        }
        let last = trimmed(pieceStart..<end)
        if !last.isEmpty || !pieces.isEmpty { pieces.append(last) }
        return pieces
    }

    /// The offset just past the top-level `=>` of `name => expression`.
    func arrow(in range: Range<Int>) -> Int? {
        var found: Int?
        var depth = 0
        scan(from: range.lowerBound, to: range.upperBound) { index, byte in
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "=")
            where depth == 0 && index + 1 < range.upperBound
                && bytes[index + 1] == UInt8(ascii: ">"):
                found = index + 2
                return false
            default: break
            }
            return true
        }
        return found
    }

    /// `range` without blanks at either end.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isBlank(bytes[lower]) { lower += 1 }
        while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The lowercased word after `offset`, past blanks and closing parentheses; nil at the end of the
    /// statement (or before `;`), and for anything that is not a word (an operator, a comma).
    func word(after offset: Int) -> String? {
        var index = offset
        while index < bytes.count, isBlank(bytes[index]) || bytes[index] == UInt8(ascii: ")") { index += 1 }
        var end = index
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        return end > index ? String(decoding: bytes[index..<end], as: UTF8.self).lowercased() : nil
    }

    /// Whether the text after `offset` ends a condition: the statement's end, or a keyword that
    /// starts the next clause, past closing parentheses.
    func endsCondition(after offset: Int) -> Bool {
        var index = offset
        while index < bytes.count, isBlank(bytes[index]) || bytes[index] == UInt8(ascii: ")") { index += 1 }
        guard index < bytes.count, bytes[index] != UInt8(ascii: ";") else { return true }
        guard let word = word(after: index) else { return false }
        return Self.clauseKeywords.contains(word)
    }

    /// Whether the call at `start..<end` is a whole condition: WHERE, HAVING or ON before it (past
    /// opening parentheses), and the condition's end after it.
    func isWholeCondition(_ start: Int, end: Int) -> Bool {
        var index = start
        while index > 0, isBlank(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: "(") { index -= 1 }
        var wordStart = index
        while wordStart > 0, isWordByte(bytes[wordStart - 1]) { wordStart -= 1 }
        let before = String(decoding: bytes[wordStart..<index], as: UTF8.self).lowercased()
        return ["where", "having", "on"].contains(before) && endsCondition(after: end)
    }

    /// The words that can follow a whole WHERE, HAVING or ON condition.
    private static let clauseKeywords: Set<String> = [
        "group", "having", "window", "order", "limit", "offset", "fetch", "for", "union", "intersect", "except",
        "join", "inner", "left", "right", "full", "cross", "natural", "where",
    ]

    /// Calls `body` with each byte of `from..<to` outside quotes until it returns false.
    private func scan(from: Int, to end: Int, _ body: (Int, UInt8) -> Bool) {
        var index = from
        var quote: UInt8?
        while index < min(end, bytes.count) {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if !body(index, byte) {
                return
            }
            index += 1
        }
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

    private func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_")
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
