extension SessionEffects {
    /// Whether `sql` may change how the server reads the text of the statements after it:
    /// `client_encoding` (in GBK, SJIS or BIG5 the byte after a lead byte may be a backslash or a
    /// quote, so a string ends where the runtime's reader, which reads UTF-8, sees none) or
    /// `standard_conforming_strings`, set with `SET`, `SET NAMES`, `set_config` or `pg_settings`, or a
    /// `set_config` whose setting is not named by a plain string literal.
    ///
    /// Such a statement is refused: what the runtime reads of every later statement (what it leaves
    /// in the session, whether it leaves the tenant's role) would no longer be what the server runs,
    /// and statements sent together in a pipeline are read before any of them runs.
    static func changesTextReading(_ sql: String) -> Bool {
        guard mentions(sql).sessionCommand else { return false }
        return SQLWords(sql).statements.contains(where: changesTextReading)
    }

    private static let readingSettings: Set<String> = ["client_encoding", "standard_conforming_strings"]

    private static func changesTextReading(_ tokens: [SQLWords.Token]) -> Bool {
        let words = runWords(tokens)
        if let first = words.first, first == "set" || first == "reset" {
            let rest = words.dropFirst().drop { $0 == "local" || $0 == "session" }
            if let name = rest.first, readingSettings.contains(name) || (first == "set" && name == "names") {
                return true
            }
        }
        if words.first == "update", tokens.contains(where: { $0.word == "pg_settings" }) { return true }
        for (index, token) in tokens.enumerated() {
            guard token.word == "set_config", index + 1 < tokens.count, tokens[index + 1] == .open else { continue }
            let argument = firstArgument(of: tokens, openingAt: index + 1)
            guard argument.count == 1, case .string(let name) = argument[0] else { return true }
            if readingSettings.contains(name.lowercased()) { return true }
        }
        return false
    }
}
