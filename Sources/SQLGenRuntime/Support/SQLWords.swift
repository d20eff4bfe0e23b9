/// The tokens of each statement of a text of SQL that matter for what it does to the session: words
/// (lowercased; a quoted name is a word too), parentheses, commas and the text of plain string
/// literals. Escape strings, dollar quotes and comments (nested ones too) are skipped; `U&` escapes
/// are marked, since they can spell any name.
struct SQLWords {
    enum Token: Hashable {
        case word(String)
        case open, close, comma
        /// A quoted name (`"..."`), lowercased too: a name, but never a keyword such as `true`.
        case quoted(String)
        /// A plain string literal (`'...'`, not `E'...'`), its doubled quotes read as one.
        case string(String)
        /// Another literal or an operator: something, but not a word.
        case other
        /// `U&"..."` or `U&'...'`.
        case unicodeEscape

        var word: String? {
            switch self {
            case .word(let word), .quoted(let word): word
            default: nil
            }
        }
    }

    private(set) var statements: [[Token]] = [[]]

    init(_ sql: String) {
        let bytes = Array(sql.utf8)
        var index = 0
        var word: [UInt8] = []
        func add(_ token: Token) { statements[statements.count - 1].append(token) }
        func endWord() {
            guard !word.isEmpty else { return }
            add(.word(String(decoding: word, as: UTF8.self).lowercased()))
            word = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if word.count == 1, word[0] | 0x20 == UInt8(ascii: "u"), byte == UInt8(ascii: "&"),
                next == UInt8(ascii: "\"") || next == UInt8(ascii: "'")
            {
                word = []
                add(.unicodeEscape)
                index += 1
                continue
            }
            if byte == UInt8(ascii: "'") {
                // E'...' reads backslash escapes.
                let escapes = word.count == 1 && word[0] | 0x20 == UInt8(ascii: "e")
                if escapes { word = [] }
                endWord()
                let end = SQLLexing.quoteEnd(bytes, from: index, backslashEscapes: escapes)
                if escapes {
                    add(.other)
                } else {
                    let content = bytes[(index + 1)..<max(index + 1, end - 1)]
                    add(.string(String(decoding: content, as: UTF8.self).replacingOccurrences(of: "''", with: "'")))
                }
                index = end
                continue
            }
            if byte == UInt8(ascii: "\"") {
                endWord()
                let end = SQLLexing.quoteEnd(bytes, from: index)
                let content = bytes[(index + 1)..<max(index + 1, end - 1)]
                add(
                    .quoted(
                        String(decoding: content, as: UTF8.self).replacingOccurrences(of: "\"\"", with: "\"")
                            .lowercased()))
                index = end
                continue
            }
            if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                endWord()
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n"), bytes[index] != UInt8(ascii: "\r") {
                    index += 1
                }
                continue
            }
            if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                endWord()
                index = SQLLexing.blockCommentEnd(bytes, from: index)
                continue
            }
            if byte == UInt8(ascii: "$"), word.isEmpty, let end = SQLLexing.dollarQuote(bytes, from: index)?.end {
                add(.other)
                index = end
                continue
            }
            let isLetter = byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if isLetter || byte == UInt8(ascii: "_") || byte >= 0x80
                || (!word.isEmpty && (isDigit || byte == UInt8(ascii: "$")))
            {
                word.append(byte)
                index += 1
                continue
            }
            endWord()
            switch byte {
            case UInt8(ascii: ";"): statements.append([])
            case UInt8(ascii: "("): add(.open)
            case UInt8(ascii: ")"): add(.close)
            case UInt8(ascii: ","): add(.comma)
            case 32, 9...13: break
            default: add(.other)
            }
            index += 1
        }
        endWord()
        statements.removeAll { $0.isEmpty }
    }
}
