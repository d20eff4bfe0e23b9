/// What a psql script has that is not SQL: meta-commands (`\connect`, `\restrict`, `\set`) on lines of
/// their own, and the data lines of `COPY ... FROM stdin` up to `\.`. A `pg_dump` file has both. They
/// are blanked (every byte a space, line breaks kept) so that positions in the file stay the same,
/// and each skipped piece gets a note.
enum PsqlScript {
    /// The file with its meta-commands and COPY data blanked, and what was skipped: where and what.
    static func blankingMetaCommands(_ file: SourceFile) -> (SourceFile, [(offset: Int, what: String)]) {
        let bytes = file.bytes
        guard hasLineStartingWithBackslash(bytes) else { return (file, []) }
        var blanked = bytes
        var skipped: [(offset: Int, what: String)] = []
        var scanner = QuoteScanner()
        var statementStart = 0
        var index = 0
        var lineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if lineStart, scanner.isOutsideQuotes, byte == UInt8(ascii: "\\") {
                let end = lineEnd(from: index, in: bytes)
                let command = String(decoding: bytes[index..<end], as: UTF8.self).split(separator: " ").first ?? ""
                skipped.append((index, "psql meta-command \(command) skipped"))
                blank(index..<end, in: &blanked)
                index = end
                statementStart = end
                continue
            }
            lineStart = LineBreaks.isBreak(byte)
            scanner.advance(bytes, &index)
            if scanner.isOutsideQuotes, byte == UInt8(ascii: ";") {
                let first = SQLParser.firstToken(from: statementStart, in: file)
                if first < index, isCopyFromStdin(bytes[first..<index]) {
                    // The data lines run up to a line of `\.`.
                    let dataStart = lineEnd(from: index, in: bytes)
                    var line = dataStart
                    var dataEnd = bytes.count
                    while line < bytes.count {
                        let next = lineEnd(from: line + 1, in: bytes)
                        let text = bytes[(line + 1 < bytes.count ? line + 1 : line)..<next]
                        if Array(text) == Array("\\.".utf8) {
                            dataEnd = next
                            break
                        }
                        line = next
                    }
                    skipped.append((first, "COPY ... FROM stdin and its data skipped: a schema has no rows"))
                    blank(first..<dataEnd, in: &blanked)
                    index = dataEnd
                }
                statementStart = index
            }
        }
        return (SourceFile(path: file.path, text: String(decoding: blanked, as: UTF8.self)), skipped)
    }

    private static func hasLineStartingWithBackslash(_ bytes: [UInt8]) -> Bool {
        var previous: UInt8 = 10
        for byte in bytes {
            if byte == UInt8(ascii: "\\"), LineBreaks.isBreak(previous) { return true }
            previous = byte
        }
        return false
    }

    private static func lineEnd(from index: Int, in bytes: [UInt8]) -> Int {
        var end = index
        while end < bytes.count, !LineBreaks.isBreak(bytes[end]) { end += 1 }
        return end
    }

    private static func blank(_ range: Range<Int>, in bytes: inout [UInt8]) {
        for index in range where !LineBreaks.isBreak(bytes[index]) { bytes[index] = 32 }
    }

    /// Whether a statement's text is `COPY ... FROM stdin`.
    private static func isCopyFromStdin(_ text: ArraySlice<UInt8>) -> Bool {
        let words = String(decoding: text, as: UTF8.self).lowercased().split(whereSeparator: { $0.isWhitespace })
        guard words.first == "copy", let from = words.lastIndex(of: "from"), from + 1 < words.count else {
            return false
        }
        return words[from + 1].hasPrefix("stdin")
    }
}

/// Follows SQL's quoting (strings, quoted names, dollar quotes and comments) one token at a time.
private struct QuoteScanner {
    private enum State: Equatable {
        case plain, singleQuoted, doubleQuoted, lineComment, blockComment(Int), dollarQuoted([UInt8])
    }
    private var state = State.plain

    var isOutsideQuotes: Bool { state == .plain }

    /// Moves past the byte (or the opening or closing mark) at `index`.
    mutating func advance(_ bytes: [UInt8], _ index: inout Int) {
        let byte = bytes[index]
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        switch state {
        case .plain:
            if byte == UInt8(ascii: "'") {
                state = .singleQuoted
            } else if byte == UInt8(ascii: "\"") {
                state = .doubleQuoted
            } else if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                state = .lineComment
            } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                state = .blockComment(1)
                index += 1
            } else if byte == UInt8(ascii: "$"), let tag = dollarTag(bytes, at: index) {
                state = .dollarQuoted(tag)
                index += tag.count - 1
            }
        case .singleQuoted:
            if byte == UInt8(ascii: "'") { state = .plain }
        case .doubleQuoted:
            if byte == UInt8(ascii: "\"") { state = .plain }
        case .lineComment:
            if LineBreaks.isBreak(byte) { state = .plain }
        case .blockComment(let depth):
            if byte == UInt8(ascii: "*"), next == UInt8(ascii: "/") {
                state = depth == 1 ? .plain : .blockComment(depth - 1)
                index += 1
            } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                state = .blockComment(depth + 1)
                index += 1
            }
        case .dollarQuoted(let tag):
            if byte == UInt8(ascii: "$"), index + tag.count <= bytes.count,
                Array(bytes[index..<(index + tag.count)]) == tag
            {
                state = .plain
                index += tag.count - 1
            }
        }
        index += 1
    }

    /// The `$tag$` starting at `index`, or nil when the `$` starts none (a parameter `$1`).
    private func dollarTag(_ bytes: [UInt8], at index: Int) -> [UInt8]? {
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "$") {
            let byte = bytes[end]
            let isTagByte =
                byte == UInt8(ascii: "_") || byte >= 0x80
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (end > index + 1 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            guard isTagByte else { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        return Array(bytes[index...end])
    }
}
