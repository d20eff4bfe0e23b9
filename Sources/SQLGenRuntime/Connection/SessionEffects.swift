/// What a statement's text says about state it may leave in the session after it ends: settings
/// (`set_config(name, value, false)`, `role` among them), session advisory locks, dblink connections.
///
/// The pool resets a session that such a statement ran on before lending its connection again (as it
/// does after plain SQL), so a generated query, or a statement type written by hand, cannot hand its
/// settings, role or locks to the next lease. Transaction-scoped forms (`set_config(..., true)`,
/// `pg_advisory_xact_lock`) end with the transaction and cost nothing.
enum SessionEffects {
    /// Whether running `sql` may change what outlives the statement. Conservative: a name that merely
    /// looks like one of these functions counts; a `set_config` whose last argument is not the literal
    /// `true` counts.
    static func mayOutliveStatement(_ sql: String) -> Bool {
        var sql = sql
        return sql.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                // Every pattern has an underscore; most SQL has few.
                if bytes[index] == UInt8(ascii: "_") {
                    if matches(bytes, before: index, "set"), matches(bytes, after: index, "config"),
                        let open = openingParenthesis(bytes, from: index + 7),
                        !endsTransactionLocal(bytes, callFrom: open)
                    {
                        return true
                    }
                    if matches(bytes, before: index, "advisory"), matches(bytes, after: index, "lock") { return true }
                    if matches(bytes, before: index, "dblink"), matches(bytes, after: index, "connect") { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// Whether the letters just before `index` are `word`, in any case.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index >= count else { return false }
        return (0..<count).allSatisfy { bytes[index - count + $0] | 0x20 == word.utf8Start[$0] }
    }

    /// Whether the letters just after `index` are `word`, in any case.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, after index: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count < bytes.count else { return false }
        return (0..<count).allSatisfy { bytes[index + 1 + $0] | 0x20 == word.utf8Start[$0] }
    }

    /// The offset of the `(` after a name that ends before `start`, past blanks; nil when the name is
    /// not a call's.
    private static func openingParenthesis(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n") {
            index += 1
        }
        return index < bytes.count && bytes[index] == UInt8(ascii: "(") ? index : nil
    }

    /// Whether the call whose argument list opens at `start` has the literal `true` as its last argument.
    private static func endsTransactionLocal(_ bytes: UnsafeBufferPointer<UInt8>, callFrom start: Int) -> Bool {
        var index = start
        var depth = 0
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { break }
            }
            index += 1
        }
        var end = index
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        guard end - 5 > start else { return false }
        let last = (0..<4).map { bytes[end - 4 + $0] | 0x20 }
        let before = bytes[end - 5]
        return last == Array("true".utf8) && (before == UInt8(ascii: ",") || before == UInt8(ascii: " "))
    }

    /// Whether plain SQL may change what outlives it: a session-level `SET` or `RESET`, `LISTEN`,
    /// `PREPARE`, `DISCARD`, `DEALLOCATE`, `LOAD`, a temp object, a cursor `WITH HOLD`, or a call
    /// ``mayOutliveStatement(_:)`` finds. Each statement of a multi-statement text is read;
    /// `SET LOCAL`, `SET TRANSACTION` and `SET CONSTRAINTS` end with the transaction.
    static func plainSQLMayOutliveStatement(_ sql: String) -> Bool {
        if mayOutliveStatement(sql) { return true }
        return PlainSQLStatements(sql).statements.contains { words in
            guard let first = words.first else { return false }
            switch first {
            case "set":
                return !["local", "transaction", "constraints"].contains(words.dropFirst().first ?? "")
            case "reset", "listen", "prepare", "discard", "deallocate", "load":
                return true
            case "create", "select":
                return words.contains("temp") || words.contains("temporary")
            case "declare":
                return words.contains("hold")
            default:
                return false
            }
        }
    }
}

/// The words of each statement of a text of plain SQL, lowercased, outside quotes, dollar quotes and
/// comments (enough of them to tell what the statement does to the session).
struct PlainSQLStatements {
    private(set) var statements: [[String]] = [[]]

    init(_ sql: String) {
        let bytes = Array(sql.utf8)
        var index = 0
        var word: [UInt8] = []
        func endWord() {
            if !word.isEmpty {
                statements[statements.count - 1].append(String(decoding: word, as: UTF8.self).lowercased())
                word = []
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                endWord()
                index += 1
                while index < bytes.count, bytes[index] != byte { index += 1 }
            } else if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                endWord()
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                endWord()
                index += 2
                while index + 1 < bytes.count,
                    !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/"))
                {
                    index += 1
                }
                index += 1
            } else if byte == UInt8(ascii: "$"), word.isEmpty, let close = Self.dollarQuoteEnd(bytes, from: index) {
                index = close
            } else if byte == UInt8(ascii: ";") {
                endWord()
                statements.append([])
            } else if byte == UInt8(ascii: "_") || byte >= 0x80
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (!word.isEmpty && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            {
                word.append(byte)
            } else {
                endWord()
            }
            index += 1
        }
        endWord()
        statements.removeAll { $0.isEmpty }
    }

    /// The offset of the last `$` of the dollar-quoted string that opens at `start` (`$$...$$`,
    /// `$tag$...$tag$`); nil when `start` opens none (a parameter `$1`).
    private static func dollarQuoteEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var tagEnd = start + 1
        while tagEnd < bytes.count, bytes[tagEnd] != UInt8(ascii: "$") {
            let byte = bytes[tagEnd]
            guard byte == UInt8(ascii: "_") || byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")
            else { return nil }
            tagEnd += 1
        }
        guard tagEnd < bytes.count else { return nil }
        let tag = Array(bytes[start...tagEnd])
        var index = tagEnd + 1
        while index + tag.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$"), Array(bytes[index..<index + tag.count]) == tag {
                return index + tag.count - 1
            }
            index += 1
        }
        return bytes.count
    }
}
