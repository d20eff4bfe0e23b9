/// How SQL names become Swift names: `user_id` → `userID`, `deal_stage` → `DealStage`.
public struct SwiftNaming: Sendable {
    /// Words written in capitals inside a name (`userID`, `apiURL`); a leading one stays lower case (`url`, `apiKey`).
    public var initialisms: Set<String> = [
        "id", "ids", "url", "uri", "uuid", "api", "http", "https", "ip", "json", "sql", "html", "xml", "db", "ttl",
    ]
    /// Explicit renames of SQL names, from the configuration.
    public var renames: [String: String] = [:]

    public init() {}

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is",
        "nil", "super", "self", "Self", "throw", "throws", "true", "try", "await", "async", "some", "any",
    ]

    private func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in name {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A property, parameter or function name: `user_id` → `userID`.
    public func memberName(_ sqlName: String) -> String {
        if let renamed = renames[sqlName] { return Self.escaped(renamed) }
        let parts = words(sqlName)
        guard let first = parts.first else { return "_" + String(sqlName.unicodeScalars.count) }
        var name = first.lowercased() == first || first.uppercased() == first ? first.lowercased() : lowerFirst(first)
        for word in parts.dropFirst() {
            name +=
                initialisms.contains(word.lowercased())
                ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }
        if let character = name.first, character.isNumber { name = "_" + name }
        return Self.escaped(name)
    }

    /// A type name: `deal_stage` → `DealStage`, `api_keys` → `APIKeys`.
    public func typeName(_ sqlName: String) -> String {
        if let renamed = renames[sqlName] { return renamed }
        var name = ""
        for word in words(sqlName) {
            name +=
                initialisms.contains(word.lowercased())
                ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }
        if name.isEmpty { name = "Value" }
        if let character = name.first, character.isNumber { name = "_" + name }
        return name == "Type" || name == "Protocol" || name == "Self" ? name + "_" : name
    }

    /// A query function name: `GetUserByID` → `getUserByID`.
    public func functionName(_ queryName: String) -> String {
        var prefix = ""
        var rest = Substring(queryName)
        // Lower the leading capitals, keeping the last one of a run that starts a word (`IDs` → `ids`, `GetX` → `getX`).
        while let character = rest.first, character.isUppercase {
            let next = rest.dropFirst().first
            if !prefix.isEmpty, let next, next.isLowercase { break }
            prefix += character.lowercased()
            rest = rest.dropFirst()
        }
        return Self.escaped(prefix + rest)
    }

    /// A table's model name: the singular of its name (`contacts` → `Contact`).
    public func modelName(_ tableName: String) -> String {
        typeName(Self.singular(tableName))
    }

    static func singular(_ name: String) -> String {
        let lower = name.lowercased()
        for (plural, single) in [("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")]
        where lower.hasSuffix(plural) {
            return String(name.dropLast(plural.count)) + single
        }
        if lower.hasSuffix("s"), !lower.hasSuffix("ss"), !lower.hasSuffix("us"), !lower.hasSuffix("is") {
            return String(name.dropLast())
        }
        return name
    }

    private func lowerFirst(_ word: String) -> String {
        word.prefix(1).lowercased() + word.dropFirst()
    }

    /// Backticks around Swift keywords.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }
}
