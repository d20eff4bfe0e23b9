/// What a statement's text says about state it may leave in the session after it ends: settings
/// (a session-level `SET`, `set_config(name, value, false)`, the role among them), temporary objects,
/// prepared statements, cursors, LISTEN, session advisory locks, dblink connections, and anything a
/// `DO` block or a procedure may do.
///
/// The pool resets a session that such a statement ran on before lending its connection again, so no
/// statement, generated, written by hand or plain SQL, can hand its settings, role, temp tables or
/// locks to the next lease; behind a transaction pooler such statements are refused. Transaction-scoped
/// forms (`SET LOCAL`, `set_config(..., true)`, `pg_advisory_xact_lock`) end with the transaction and
/// cost nothing. The text is read as PostgreSQL's lexer reads it: quoted names are names, string
/// literals, dollar quotes and comments are not words.
///
/// Not seen: what a user-defined function or a trigger does inside.
enum SessionEffects {
    /// Whether running `sql` may change what outlives the statement.
    static func mayOutliveStatement(_ sql: String) -> Bool {
        // Most statements are queries with none of these words: no tokenizing for them.
        guard mentions(sql).sessionCommand else { return false }
        return SQLWords(sql).statements.contains(where: outlives)
    }

    /// What a statement's text may leave (``mayOutliveStatement(_:)``), whether it reads what an
    /// earlier statement of the session left (`lastval()`, the last value any sequence gave this
    /// session, which on a pooled connection may be another lease's, another tenant's, row), and
    /// whether it controls the transaction (``controlsTransaction(_:)``). One pass over the text, with
    /// no allocation, for a statement that does none of these.
    static func effects(of sql: String) -> (outlives: Bool, readsAnotherLease: Bool, controlsTransaction: Bool) {
        let mentioned = mentions(sql)
        guard mentioned.sessionCommand || mentioned.lastval || mentioned.transactionControl else {
            return (false, false, false)
        }
        let statements = SQLWords(sql).statements
        return (
            mentioned.sessionCommand && statements.contains(where: outlives),
            mentioned.lastval && statements.contains(where: callsLastval),
            mentioned.transactionControl && statements.contains(where: startsTransactionControl)
        )
    }

    /// The words that start transaction control: an executor that opens and ends transactions
    /// itself refuses them, since one would end its transaction early or leave one open.
    static let transactionControl: Set<String> = [
        "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release",
    ]

    /// Whether any statement of `sql` starts, ends or marks a transaction (`BEGIN`, `COMMIT`,
    /// `ROLLBACK`, `SAVEPOINT`, `PREPARE TRANSACTION`, ...).
    static func controlsTransaction(_ sql: String) -> Bool {
        guard mentions(sql).transactionControl else { return false }
        return SQLWords(sql).statements.contains(where: startsTransactionControl)
    }

    private static func startsTransactionControl(_ tokens: [SQLWords.Token]) -> Bool {
        let words = tokens.lazy.compactMap(\.word)
        guard let first = words.first else { return false }
        if transactionControl.contains(first) { return true }
        return first == "prepare" && words.dropFirst().first == "transaction"
    }

    private static func callsLastval(_ tokens: [SQLWords.Token]) -> Bool {
        zip(tokens, tokens.dropFirst()).contains { $0 == .word("lastval") && $1 == .open }
    }

    /// Whether `name` is a built-in function that runs SQL given as text (`query_to_xml`,
    /// `cursor_to_xml`, `ts_stat`, and their kin): whatever that SQL does to the session, or to
    /// the role, is not in the statement's own text.
    static func runsSQLText(_ name: String) -> Bool {
        name.hasPrefix("query_to_xml") || name.hasPrefix("cursor_to_xml") || name == "ts_stat"
            || name.hasPrefix("dblink")
    }

    /// Whether any statement of `sql` calls a function that runs SQL given as text (``runsSQLText(_:)``).
    static func callsSQLTextRunner(_ sql: String) -> Bool {
        guard mentions(sql).sessionCommand else { return false }
        return SQLWords(sql).statements.contains { tokens in
            zip(tokens, tokens.dropFirst()).contains { token, next in
                next == .open && (token.word.map(runsSQLText) ?? false)
            }
        }
    }

    /// Whether one statement's tokens leave state behind.
    private static func outlives(_ tokens: [SQLWords.Token]) -> Bool {
        var words = tokens.compactMap(\.word)[...]
        // EXPLAIN [ANALYZE] [VERBOSE] runs the statement it explains.
        while let first = words.first, ["explain", "analyze", "analyse", "verbose"].contains(first) {
            words = words.dropFirst()
        }
        if tokens.contains(.unicodeEscape) { return true }
        if callsSessionFunction(tokens) { return true }
        if words.contains("pg_temp") { return true }
        // Writing pg_settings sets the setting for the session (its rule calls set_config).
        if words.contains("pg_settings") { return true }
        guard let first = words.first else { return false }
        let second = words.dropFirst().first ?? ""
        switch first {
        case "set":
            return !["local", "transaction", "constraints"].contains(second)
        case "reset", "listen", "prepare", "deallocate", "discard", "load", "declare", "do", "call":
            return true
        case "create":
            return words.prefix(4).contains { $0 == "temp" || $0 == "temporary" }
        case "select", "with", "table", "values":
            // SELECT ... INTO TEMP creates a temporary table.
            return zip(words, words.dropFirst()).contains { $0 == "into" && ($1 == "temp" || $1 == "temporary") }
        default:
            return false
        }
    }

    /// A call of `set_config` whose last argument is not the literal `true`, of a session advisory
    /// lock, or of `dblink_connect`.
    private static func callsSessionFunction(_ tokens: [SQLWords.Token]) -> Bool {
        for (index, token) in tokens.enumerated() {
            guard case .word(let name) = token, index + 1 < tokens.count, tokens[index + 1] == .open else { continue }
            if name.hasPrefix("pg_advisory_lock") || name.hasPrefix("pg_try_advisory_lock")
                || name.hasPrefix("dblink_connect") || runsSQLText(name)
            {
                return true
            }
            guard name == "set_config" else { continue }
            // The tokens of the call's last argument, at depth 1.
            var depth = 0
            var last: [SQLWords.Token] = []
            for inner in tokens[(index + 1)...] {
                if inner == .open { depth += 1 }
                if inner == .close {
                    depth -= 1
                    if depth == 0 { break }
                }
                if depth == 1, inner == .comma {
                    last = []
                } else if depth >= 1, !(depth == 1 && inner == .open) {
                    last.append(inner)
                }
            }
            // `true`, or the named `is_local => true`.
            let local = last == [.word("true")] || last == [.word("is_local"), .other, .other, .word("true")]
            if !local { return true }
        }
        return false
    }

    /// Whether `sql` may say anything ``outlives(_:)`` looks for: more than one statement, a first word
    /// that starts a session command (or EXPLAIN), or, anywhere and in any case, `config`, `advisory`,
    /// `dblink`, `temp`, `u&`, `query_to`, `cursor_to` or `ts_stat`; whether it says `lastval`; and whether it may control the transaction
    /// (more than one statement, no word first, or a first word that starts transaction control). A
    /// plain query has none of them and is not tokenized; this pass allocates nothing (it runs for
    /// every statement).
    private static func mentions(_ sql: String) -> (sessionCommand: Bool, lastval: Bool, transactionControl: Bool) {
        var sql = sql
        return sql.withUTF8 { bytes -> (sessionCommand: Bool, lastval: Bool, transactionControl: Bool) in
            var index = 0
            while index < bytes.count, bytes[index] == 32 || (9...13).contains(bytes[index]) { index += 1 }
            var end = index
            while end < bytes.count, bytes[end] | 0x20 >= UInt8(ascii: "a"), bytes[end] | 0x20 <= UInt8(ascii: "z") {
                end += 1
            }
            // Not a word first (a comment, a parenthesis): read it all.
            var command = end == index
            switch end - index {
            case 2: command = command || word(bytes, index, "do")
            case 3: command = command || word(bytes, index, "set")
            case 4: command = command || word(bytes, index, "load") || word(bytes, index, "call")
            case 5: command = command || word(bytes, index, "reset")
            case 6: command = command || word(bytes, index, "listen")
            case 7:
                command =
                    command || word(bytes, index, "prepare") || word(bytes, index, "discard")
                    || word(bytes, index, "declare") || word(bytes, index, "explain")
            case 10: command = command || word(bytes, index, "deallocate")
            default: break
            }
            var control = end == index
            switch end - index {
            case 3: control = word(bytes, index, "end")
            case 5: control = word(bytes, index, "begin") || word(bytes, index, "start") || word(bytes, index, "abort")
            case 6: control = word(bytes, index, "commit")
            case 7: control = word(bytes, index, "release") || word(bytes, index, "prepare")
            case 8: control = word(bytes, index, "rollback")
            case 9: control = word(bytes, index, "savepoint")
            default: break
            }
            var lastval = false
            for position in 0..<bytes.count {
                switch bytes[position] | 0x20 {
                case UInt8(ascii: ";"):
                    command = true
                    control = true
                case UInt8(ascii: "c"):
                    command = command || word(bytes, position, "config") || word(bytes, position, "cursor_to")
                case UInt8(ascii: "q"): command = command || word(bytes, position, "query_to")
                case UInt8(ascii: "a"): command = command || word(bytes, position, "advisory")
                case UInt8(ascii: "d"): command = command || word(bytes, position, "dblink")
                case UInt8(ascii: "t"):
                    command = command || word(bytes, position, "temp") || word(bytes, position, "ts_stat")
                case UInt8(ascii: "s"): command = command || word(bytes, position, "settings")
                case UInt8(ascii: "u"):
                    command = command || (position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "&"))
                case UInt8(ascii: "l"): lastval = lastval || word(bytes, position, "lastval")
                default: break
                }
            }
            return (command, lastval, control)
        }
    }

    /// Whether the bytes at `position` are `needle` (lowercase ASCII), in any case.
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let letters = needle.utf8Start
        for offset in 0..<count where bytes[position + offset] | 0x20 != letters[offset] { return false }
        return true
    }
}

/// The tokens of each statement of a text of SQL that matter for what it does to the session: words
/// (lowercased; a quoted name is a word too), parentheses and commas. String literals, dollar quotes and
/// comments (nested ones too) are skipped; `U&` escapes are marked, since they can spell any name.
struct SQLWords {
    enum Token: Hashable {
        case word(String)
        case open, close, comma
        /// A literal or an operator: something, but not a word.
        case other
        /// `U&"..."` or `U&'...'`.
        case unicodeEscape

        var word: String? {
            if case .word(let word) = self { return word }
            return nil
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
                index = SQLLexing.quoteEnd(bytes, from: index, backslashEscapes: escapes)
                add(.other)
                continue
            }
            if byte == UInt8(ascii: "\"") {
                endWord()
                let end = SQLLexing.quoteEnd(bytes, from: index)
                let content = bytes[(index + 1)..<max(index + 1, end - 1)]
                add(
                    .word(
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
