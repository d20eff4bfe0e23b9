/// Writes SQL text as it is sent to the server: every line break outside quoted text becomes `\n`, so
/// that a file saved with CRLF or CR line endings generates the same code as one saved with LF.
///
/// Inside string literals (`'…'`, `E'…'`), quoted identifiers (`"…"`) and dollar-quoted bodies
/// (`$tag$…$tag$`) the bytes are kept as they are: there a line break is part of a value or a name.
/// Comments end at `\r` or `\n`, as in PostgreSQL's lexer.
struct SQLLineBreakNormalizer {
    private enum State: Equatable {
        case code
        case string(backslashEscapes: Bool)
        case identifier
        case dollar(tag: [UInt8])
        case lineComment
        case blockComment(depth: Int)
    }

    private var state = State.code

    /// Appends `bytes[range]` to `output` with its line breaks normalized; the lexical state carries over
    /// to the next call, so a statement can be copied in pieces.
    mutating func append(_ bytes: [UInt8], _ range: Range<Int>, to output: inout [UInt8]) {
        var index = range.lowerBound
        let end = min(range.upperBound, bytes.count)
        func next(_ offset: Int) -> UInt8? { index + offset < end ? bytes[index + offset] : nil }
        while index < end {
            let byte = bytes[index]
            switch state {
            case .code, .lineComment, .blockComment:
                let breakLength = LineBreaks.length(in: bytes, at: index)
                if breakLength > 0 {
                    output.append(UInt8(ascii: "\n"))
                    index += min(breakLength, end - index)
                    if state == .lineComment { state = .code }
                    continue
                }
            case .string, .identifier, .dollar:
                break
            }
            switch state {
            case .code:
                index = code(byte, bytes, index, end, &output)
                continue
            case .lineComment:
                break
            case .blockComment(let depth):
                if byte == UInt8(ascii: "*"), next(1) == UInt8(ascii: "/") {
                    output.append(contentsOf: [byte, UInt8(ascii: "/")])
                    index += 2
                    state = depth == 1 ? .code : .blockComment(depth: depth - 1)
                    continue
                }
                if byte == UInt8(ascii: "/"), next(1) == UInt8(ascii: "*") {
                    output.append(contentsOf: [byte, UInt8(ascii: "*")])
                    index += 2
                    state = .blockComment(depth: depth + 1)
                    continue
                }
            case .string(let backslashEscapes):
                if backslashEscapes, byte == UInt8(ascii: "\\"), let escaped = next(1) {
                    output.append(contentsOf: [byte, escaped])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "'") {
                    index += closeOrKeepDoubled(byte, next(1), &output)
                    continue
                }
            case .identifier:
                if byte == UInt8(ascii: "\"") {
                    index += closeOrKeepDoubled(byte, next(1), &output)
                    continue
                }
            case .dollar(let tag):
                if byte == UInt8(ascii: "$"), index + tag.count <= end,
                    bytes[index..<index + tag.count].elementsEqual(tag)
                {
                    output.append(contentsOf: tag)
                    index += tag.count
                    state = .code
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
    }

    /// At a quote inside quoted text: a doubled quote stays inside (both copied), a single one ends the
    /// quoted text. Returns how many bytes were copied.
    private mutating func closeOrKeepDoubled(_ quote: UInt8, _ following: UInt8?, _ output: inout [UInt8]) -> Int {
        if following == quote {
            output.append(contentsOf: [quote, quote])
            return 2
        }
        output.append(quote)
        state = .code
        return 1
    }

    /// One step outside quotes and comments; returns the next index.
    private mutating func code(_ byte: UInt8, _ bytes: [UInt8], _ index: Int, _ end: Int, _ output: inout [UInt8])
        -> Int
    {
        let following: UInt8? = index + 1 < end ? bytes[index + 1] : nil
        switch byte {
        case UInt8(ascii: "'"):
            // E'…' (any case), directly after the E, takes backslash escapes.
            let previous: UInt8? = index > 0 ? bytes[index - 1] : nil
            let beforePrevious: UInt8? = index > 1 ? bytes[index - 2] : nil
            let escapes =
                (previous == UInt8(ascii: "E") || previous == UInt8(ascii: "e"))
                && !(beforePrevious.map(Self.isIdentifierByte) ?? false)
            state = .string(backslashEscapes: escapes)
        case UInt8(ascii: "\""):
            state = .identifier
        case UInt8(ascii: "-") where following == UInt8(ascii: "-"):
            state = .lineComment
        case UInt8(ascii: "/") where following == UInt8(ascii: "*"):
            output.append(contentsOf: [byte, UInt8(ascii: "*")])
            state = .blockComment(depth: 1)
            return index + 2
        case UInt8(ascii: "$"):
            let previous: UInt8? = index > 0 ? bytes[index - 1] : nil
            if let previous, Self.isIdentifierByte(previous) { break }  // `a$b` is one identifier
            if let tag = Self.dollarTag(bytes, at: index, end: end) {
                output.append(contentsOf: tag)
                state = .dollar(tag: tag)
                return index + tag.count
            }
        default:
            if Self.isIdentifierByte(byte) {
                // Copy the whole identifier or number, so a `$` inside it is not read as a quote.
                var cursor = index
                while cursor < end, Self.isIdentifierByte(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "$") {
                    cursor += 1
                }
                // Leave a trailing E for the quote check above (`E'…'`).
                output.append(contentsOf: bytes[index..<cursor])
                return cursor
            }
        }
        output.append(byte)
        return index + 1
    }

    /// `$$` or `$tag$` starting at `index`, if one does.
    private static func dollarTag(_ bytes: [UInt8], at index: Int, end: Int) -> [UInt8]? {
        var cursor = index + 1
        guard cursor < end else { return nil }
        if bytes[cursor] == UInt8(ascii: "$") { return [UInt8(ascii: "$"), UInt8(ascii: "$")] }
        guard isIdentifierStart(bytes[cursor]) else { return nil }
        while cursor < end, isIdentifierStart(bytes[cursor]) || (bytes[cursor] >= 48 && bytes[cursor] <= 57) {
            cursor += 1
        }
        guard cursor < end, bytes[cursor] == UInt8(ascii: "$") else { return nil }
        return Array(bytes[index...cursor])
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= 48 && byte <= 57)
    }
}
