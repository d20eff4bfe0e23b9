extension SessionEffects {
    /// What in `sql` could take a statement run under a tenant's role out of that role for part of
    /// the statement, or nil when nothing does.
    ///
    /// The runtime sets the tenant's role for the statement's transaction and checks, after it, that
    /// the role is still the tenant's. A statement that leaves the role, reads or writes another
    /// tenant's schema as the connecting user, and takes the tenant's role back passes that check.
    /// PostgreSQL checks a statement's own table privileges when it starts, so such a statement must
    /// reach the other schema late: through SQL given as text (`query_to_xml`, `ts_rewrite`, ...),
    /// a table named at run time (`table_to_xml`), or a `DO` block. Each of these is refused, and so
    /// is anything that changes the role at all:
    /// - `SET [LOCAL] ROLE`, `SET SESSION AUTHORIZATION`, `RESET ROLE`, `RESET SESSION AUTHORIZATION`
    ///   and `RESET ALL`;
    /// - `set_config` unless its first argument is a plain string literal naming a setting other
    ///   than `role` and `session_authorization`;
    /// - writing `pg_settings`, whose rule calls `set_config`;
    /// - a `U&` escape, which can spell any name;
    /// - `CREATE FUNCTION` or `PROCEDURE`, and naming the temp schema (`pg_temp`), where a tenant's role
    ///   may make a function whose body sets another role.
    ///
    /// Not seen, as everywhere in ``SessionEffects``: what a user-defined function does inside.
    static func roleEscape(_ sql: String) -> String? {
        guard mentions(sql).sessionCommand else { return nil }
        for tokens in SQLWords(sql).statements {
            if let reason = roleEscape(tokens) { return reason }
        }
        return nil
    }

    private static func roleEscape(_ tokens: [SQLWords.Token]) -> String? {
        if tokens.contains(.unicodeEscape) { return "use a U& escape, which can spell any name" }
        let words = runWords(tokens)
        switch words.first {
        case "do": return "run a DO block, whose body could set another role"
        case "set", "reset":
            let rest = words.dropFirst()
            if rest.contains("role") || rest.contains("authorization") || rest.contains("session_authorization")
                || (words.first == "reset" && rest.first == "all")
            {
                return "set or reset the role"
            }
        case "create":
            // A function's body, like a DO block's, is not read, and it may carry `SET role`.
            if words.prefix(4).contains(where: { ["function", "procedure"].contains($0) }) {
                return "create a function or procedure, whose body or SET clause could set another role"
            }
        default: break
        }
        // The temp schema holds what a tenant may make for itself, functions among them.
        if tokens.contains(where: { $0.word.map(namesTempSchema) ?? false }) {
            return "name the temp schema, where functions can be made"
        }
        if tokens.contains(where: { $0.word == "pg_settings" }) { return "write pg_settings, which can set the role" }
        for (index, token) in tokens.enumerated() {
            guard let name = token.word, index + 1 < tokens.count, tokens[index + 1] == .open else { continue }
            if runsSQLText(name) {
                return
                    "call \(name), which runs SQL given as text or reads a table named at run time, perhaps under another role"
            }
            if name == "set_config", !namesAnotherSetting(firstArgument(of: tokens, openingAt: index + 1)) {
                return "call set_config on the role, or on a setting not named by a plain string literal"
            }
        }
        return nil
    }

    /// The tokens of the first argument of the call whose parenthesis opens at `open`.
    static func firstArgument(of tokens: [SQLWords.Token], openingAt open: Int) -> [SQLWords.Token] {
        var depth = 0
        var argument: [SQLWords.Token] = []
        for token in tokens[open...] {
            if token == .open { depth += 1 }
            if token == .close { depth -= 1 }
            if depth == 0 || (depth == 1 && token == .comma) { break }
            if !(depth == 1 && token == .open) { argument.append(token) }
        }
        return argument
    }

    /// Whether `argument` is one plain string literal naming a setting other than the role.
    private static func namesAnotherSetting(_ argument: [SQLWords.Token]) -> Bool {
        guard argument.count == 1, case .string(let name) = argument[0] else { return false }
        return !["role", "session_authorization"].contains(name.lowercased())
    }
}
