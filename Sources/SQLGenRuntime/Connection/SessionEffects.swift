/// What a statement's text says about state it may leave in the session after it ends: settings
/// (a session-level `SET`, `set_config(name, value, false)`, the role among them), temporary objects,
/// prepared statements, cursors, LISTEN, session advisory locks, the random seed, dblink
/// connections, and anything a `DO` block, a procedure or SQL given as text to a built-in may do. A
/// statement that starts with a word not known to end with itself is taken to leave state.
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
            statements.contains { tokens in
                // A `U&"..."` name may spell lastval; SQL given as text to a built-in may call it.
                (mentioned.lastval && (callsLastval(tokens) || callsSQLTextRunner(tokens)))
                    || namesUnicodeEscaped(tokens)
            },
            mentioned.transactionControl && statements.contains(where: startsTransactionControl)
        )
    }

    /// Whether the statement says nothing any reader here looks for: no session command, no
    /// `lastval`, no transaction control, not even in a string. Only such a read is sent along with
    /// other leases' reads, in one implicit transaction, where even a transaction-local setting
    /// would reach the reads after it.
    static func isPlainQuery(_ sql: String) -> Bool {
        let mentioned = mentions(sql)
        return !mentioned.sessionCommand && !mentioned.lastval && !mentioned.transactionControl
    }

    /// A `U&"..."` name: it may spell any function's.
    private static func namesUnicodeEscaped(_ tokens: [SQLWords.Token]) -> Bool {
        zip(tokens, tokens.dropFirst()).contains { $0 == .unicodeEscape && $1.word != nil }
    }

    private static func callsSQLTextRunner(_ tokens: [SQLWords.Token]) -> Bool {
        zip(tokens, tokens.dropFirst()).contains { $1 == .open && ($0.word.map(runsSQLText) ?? false) }
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

    /// A call of `lastval()` or `currval(...)`: the last value this session drew from a sequence,
    /// which on a pooled connection may have been drawn in another lease, for another tenant.
    private static func callsLastval(_ tokens: [SQLWords.Token]) -> Bool {
        zip(tokens, tokens.dropFirst()).contains { ($0.word == "lastval" || $0.word == "currval") && $1 == .open }
    }

    /// Whether `name` is a built-in function that runs SQL given as text, or reads a table named at
    /// run time (`query_to_xml`, `table_to_xml`, `schema_to_xml`, `database_to_xml`, `cursor_to_xml`
    /// and their `xmlschema` kin, `ts_stat`, `ts_rewrite`, tablefunc's `crosstab` and `connectby`,
    /// dblink): whatever that SQL does to the session, or as which role it reads, is not in the
    /// statement's own text.
    static func runsSQLText(_ name: String) -> Bool {
        name.hasPrefix("query_to_xml") || name.hasPrefix("cursor_to_xml") || name.hasPrefix("table_to_xml")
            || name.hasPrefix("schema_to_xml") || name.hasPrefix("database_to_xml") || name == "ts_stat"
            || name == "ts_rewrite" || name.hasPrefix("crosstab") || name == "connectby" || name.hasPrefix("dblink")
    }

    /// The first words of statements that by themselves leave nothing in the session once they end.
    /// A statement that starts with any other word is taken to leave something: the pool resets
    /// the session after it rather than guess.
    private static let endsWithTheStatement: Set<String> = [
        "select", "with", "table", "values", "insert", "update", "delete", "merge", "copy", "fetch", "move",
        "close", "lock", "truncate", "create", "alter", "drop", "grant", "revoke", "comment", "analyze",
        "analyse", "vacuum", "refresh", "cluster", "reindex", "notify", "unlisten", "checkpoint", "import",
        "security", "show", "reassign", "execute", "begin", "start", "commit", "end", "rollback", "abort",
        "savepoint", "release",
    ]

    /// The words of one statement from the one it runs: EXPLAIN's words and options are dropped,
    /// since `EXPLAIN (ANALYZE true) CREATE TEMP TABLE ...` runs what it explains.
    static func runWords(_ tokens: [SQLWords.Token]) -> ArraySlice<String> {
        guard tokens.first?.word == "explain" else { return tokens.compactMap(\.word)[...] }
        var rest = tokens.dropFirst()
        while let first = rest.first {
            if first == .open {
                // EXPLAIN's parenthesized options.
                var depth = 0
                while let token = rest.first {
                    rest = rest.dropFirst()
                    if token == .open { depth += 1 }
                    if token == .close { depth -= 1 }
                    if depth == 0 { break }
                }
                continue
            }
            guard let word = first.word, ["analyze", "analyse", "verbose"].contains(word) else { break }
            rest = rest.dropFirst()
        }
        return rest.compactMap(\.word)[...]
    }

    /// Whether `word` names the session's temp schema: `pg_temp`, or its own name, `pg_temp_N`
    /// (and its TOAST schema, `pg_toast_temp_N`).
    static func namesTempSchema(_ word: String) -> Bool {
        word.hasPrefix("pg_temp") || word.hasPrefix("pg_toast_temp")
    }

    /// Whether the words of the statement run make a temporary object: `CREATE [OR REPLACE] [LOCAL |
    /// GLOBAL] TEMP[ORARY] ...`, or `... INTO [LOCAL | GLOBAL] TEMP[ORARY] ...` anywhere.
    private static func createsTempObject(_ words: ArraySlice<String>) -> Bool {
        func isTemp(_ word: String) -> Bool { word == "temp" || word == "temporary" }
        if words.first == "create", words.prefix(5).contains(where: isTemp) { return true }
        var index = words.startIndex
        while let into = words[index...].firstIndex(of: "into") {
            var next = words.index(after: into)
            if next < words.endIndex, ["local", "global"].contains(words[next]) { next = words.index(after: next) }
            if next < words.endIndex, isTemp(words[next]) { return true }
            index = words.index(after: into)
        }
        return false
    }

    /// Whether one statement's tokens leave state behind.
    private static func outlives(_ tokens: [SQLWords.Token]) -> Bool {
        if tokens.contains(.unicodeEscape) { return true }
        if callsSessionFunction(tokens) { return true }
        let all = tokens.compactMap(\.word)
        // An object in the temp schema named as such (`pg_temp.t`, `pg_temp_3.t`).
        if all.contains(where: namesTempSchema) { return true }
        // Writing pg_settings sets the setting for the session (its rule calls set_config).
        if all.contains("pg_settings") { return true }
        let words = runWords(tokens)
        if createsTempObject(words) { return true }
        guard let first = words.first else { return false }
        let second = words.dropFirst().first ?? ""
        switch first {
        case "set":
            return !["local", "transaction", "constraints"].contains(second)
        case "reset", "listen", "prepare", "deallocate", "discard", "load", "declare", "do", "call":
            return true
        default:
            return !endsWithTheStatement.contains(first)
        }
    }

    /// A call of `set_config` whose last argument is not the literal `true`, of a session advisory
    /// lock, of `setseed` (the session's random sequence), or of `dblink_connect`.
    private static func callsSessionFunction(_ tokens: [SQLWords.Token]) -> Bool {
        for (index, token) in tokens.enumerated() {
            guard let name = token.word, index + 1 < tokens.count, tokens[index + 1] == .open else { continue }
            if name.hasPrefix("pg_advisory_lock") || name.hasPrefix("pg_try_advisory_lock")
                || name.hasPrefix("dblink_connect") || name == "setseed" || runsSQLText(name)
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

    /// Whether `sql` may say anything ``outlives(_:)`` or ``roleEscape(_:)`` looks for: more than one
    /// statement, a first word other than `SELECT`, `INSERT`, `UPDATE`, `DELETE`, `WITH`, `VALUES`,
    /// `TABLE` or `MERGE`, or, anywhere and in any case, `config`, `advisory`, `dblink`, `temp`,
    /// `settings`, `setseed`, `u&`, `to_xml`, `cursor_to`, `ts_stat`, `ts_rewrite`, `crosstab` or
    /// `connectby`; whether it says `lastval` or `currval`; and whether it may control the
    /// transaction (more than one statement, no word first, or a first word that starts transaction
    /// control). A plain query has none of them and is not tokenized; this pass allocates nothing (it
    /// runs for every statement).
    static func mentions(_ sql: String) -> (sessionCommand: Bool, lastval: Bool, transactionControl: Bool) {
        var sql = sql
        return sql.withUTF8 { bytes -> (sessionCommand: Bool, lastval: Bool, transactionControl: Bool) in
            var index = 0
            while index < bytes.count, bytes[index] == 32 || (9...13).contains(bytes[index]) { index += 1 }
            var end = index
            while end < bytes.count, bytes[end] | 0x20 >= UInt8(ascii: "a"), bytes[end] | 0x20 <= UInt8(ascii: "z") {
                end += 1
            }
            // Anything but a plain query's first word (a comment, a parenthesis, a utility command):
            // read it all.
            var command = true
            switch end - index {
            case 4: command = !word(bytes, index, "with")
            case 5: command = !(word(bytes, index, "table") || word(bytes, index, "merge"))
            case 6:
                command =
                    !(word(bytes, index, "select") || word(bytes, index, "insert") || word(bytes, index, "update")
                    || word(bytes, index, "delete") || word(bytes, index, "values"))
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
                    command =
                        command || word(bytes, position, "config") || word(bytes, position, "cursor_to")
                        || word(bytes, position, "crosstab") || word(bytes, position, "connectby")
                    lastval = lastval || word(bytes, position, "currval")
                case UInt8(ascii: "a"): command = command || word(bytes, position, "advisory")
                case UInt8(ascii: "d"): command = command || word(bytes, position, "dblink")
                case UInt8(ascii: "t"):
                    command =
                        command || word(bytes, position, "temp") || word(bytes, position, "to_xml")
                        || word(bytes, position, "ts_stat") || word(bytes, position, "ts_rewrite")
                case UInt8(ascii: "s"):
                    command = command || word(bytes, position, "settings") || word(bytes, position, "setseed")
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
        // Both sides folded alike, so `_` (which folds to DEL) matches itself.
        for offset in 0..<count where bytes[position + offset] | 0x20 != letters[offset] | 0x20 { return false }
        return true
    }
}
