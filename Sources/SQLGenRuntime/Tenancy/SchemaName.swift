import Foundation

/// Rules for the schema names the runtime will put in a `search_path`.
enum SchemaName {
    /// Whether `name` is a plain lower-case identifier PostgreSQL keeps as written: ASCII letters,
    /// digits and underscores, not starting with a digit, at most 63 bytes, and not a system schema.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        guard first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        let allowed = name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return allowed && !name.hasPrefix("pg_") && name != "information_schema"
    }

    /// Whether `name` is a plain identifier and matches the whole of `pattern` (a regular expression).
    static func matches(_ name: String, pattern: String) -> Bool {
        guard isPlainIdentifier(name),
            let expression = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        else { return false }
        let range = NSRange(name.startIndex..., in: name)
        return expression.firstMatch(in: name, range: range) != nil
    }

    /// `name` quoted as an identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
