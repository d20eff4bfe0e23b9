import Foundation

/// How SQL names become Swift names: `user_id` → `userID`, `deal_stage` → `DealStage`.
public struct SwiftNaming: Sendable {
    /// Words written in capitals inside a name (`userID`, `apiURL`); a leading one stays lower case (`url`, `apiKey`).
    public var initialisms: Set<String> = [
        "id", "url", "uri", "uuid", "api", "http", "https", "ip", "json", "sql", "html", "xml", "db", "ttl",
    ]
    /// Explicit renames of SQL names, from the configuration.
    public var renames: [String: String] = [:]

    /// The default initialisms and no renames.
    public init() {}

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is",
        "nil", "super", "self", "Self", "throw", "throws", "true", "try", "await", "async", "some", "any",
    ]

    /// The words of a SQL name: runs of letters and digits that Swift accepts in an identifier; every
    /// other character (punctuation, spaces, emoji, line breaks) separates words.
    private func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in name.precomposedStringWithCanonicalMapping.unicodeScalars {
            if Self.isWordScalar(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// ASCII letters and digits, and the letters outside ASCII that Swift's identifiers may hold.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9")
        }
        return scalar.properties.isAlphabetic && isIdentifierHead(scalar)
    }

    /// Whether Swift accepts a scalar outside ASCII at the start of an identifier (the C11 ranges its
    /// lexer uses, without the combining marks that may only continue one).
    static func isIdentifierHead(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        for range in identifierHeadRanges where range.contains(value) { return true }
        return false
    }

    private static let identifierHeadRanges: [ClosedRange<UInt32>] = [
        0xA8...0xA8, 0xAA...0xAA, 0xAD...0xAD, 0xAF...0xAF, 0xB2...0xB5, 0xB7...0xBA, 0xBC...0xBE, 0xC0...0xD6,
        0xD8...0xF6, 0xF8...0xFF, 0x100...0x2FF, 0x370...0x167F, 0x1681...0x180D, 0x180F...0x1DBF, 0x1E00...0x1FFF,
        0x2070...0x20CF, 0x2100...0x218F, 0x2C00...0x2DFF, 0x2E80...0x2FFF, 0x3004...0x3007, 0x3021...0x302F,
        0x3031...0x303F, 0x3040...0xD7FF, 0xF900...0xFD3D, 0xFD40...0xFDCF, 0xFDF0...0xFE1F, 0xFE30...0xFE44,
        0xFE47...0xFFFD, 0x10000...0x1FFFD, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// `name` with any scalar Swift would not accept in an identifier dropped (case conversion can
    /// produce combining marks), and a `_` in front when it would not start one.
    static func validIdentifier(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let isDigit = scalar >= "0" && scalar <= "9"
            let isCombining =
                (0x300...0x36F).contains(scalar.value) || (0x1DC0...0x1DFF).contains(scalar.value)
                || (0x20D0...0x20FF).contains(scalar.value) || (0xFE20...0xFE2F).contains(scalar.value)
            if scalar == "_" || isWordScalar(scalar) || isDigit || (isCombining && !result.isEmpty) {
                result.unicodeScalars.append(scalar)
            }
        }
        if let first = result.unicodeScalars.first, first >= "0" && first <= "9" { result = "_" + result }
        return result
    }

    /// A property, parameter or function name: `user_id` → `userID`.
    public func memberName(_ sqlName: String) -> String {
        if let renamed = renames[sqlName] { return Self.escaped(renamed) }
        let parts = words(sqlName)
        guard let first = parts.first else { return "_" + String(sqlName.unicodeScalars.count) }
        var name = first.lowercased() == first || first.uppercased() == first ? first.lowercased() : lowerFirst(first)
        for word in parts.dropFirst() { name += capitalized(word) }
        name = Self.validIdentifier(name)
        if name.isEmpty { name = "_" + String(sqlName.unicodeScalars.count) }
        return Self.escaped(name)
    }

    /// A word inside a name: an initialism in capitals (`id` → `ID`, and its plural `ids` → `IDs`),
    /// any other word with a capital first letter.
    private func capitalized(_ word: String) -> String {
        let lower = word.lowercased()
        if initialisms.contains(lower) { return word.uppercased() }
        if lower.count > 2, lower.hasSuffix("s"), initialisms.contains(String(lower.dropLast())) {
            return word.dropLast().uppercased() + "s"
        }
        return word.prefix(1).uppercased() + word.dropFirst()
    }

    /// A type name: `deal_stage` → `DealStage`, `api_keys` → `APIKeys`.
    public func typeName(_ sqlName: String) -> String {
        if let renamed = renames[sqlName] { return Self.typeSafe(renamed) }
        var name = ""
        for word in words(sqlName) { name += capitalized(word) }
        name = Self.validIdentifier(name)
        if name.isEmpty { name = "Value" }
        return Self.typeSafe(name)
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
        let name = Self.validIdentifier(prefix + rest)
        return Self.escaped(name.isEmpty ? "query" : name)
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

    /// The name without backticks.
    static func bare(_ name: String) -> String {
        name.hasPrefix("`") && name.hasSuffix("`") && name.count >= 2 ? String(name.dropFirst().dropLast()) : name
    }

    /// Names that cannot name a generated type even in backticks, or would hide what generated code
    /// means by them: `Type`, `Self`, `Any`, the modules it qualifies names with.
    static let reservedTypeNames = Set(["Type", "Protocol", "Self", "Any", "AnyObject"])
        .union(ModuleQualified.modules)

    /// `name` made usable as a generated type's name: keywords in backticks, reserved names with `_`.
    static func typeSafe(_ name: String) -> String {
        reservedTypeNames.contains(name) ? name + "_" : escaped(name)
    }
}
