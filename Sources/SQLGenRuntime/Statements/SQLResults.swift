/// The row type of statements that return no rows.
public struct SQLNoRow: Sendable, Hashable, SQLRowDecodable {
    /// No row.
    public init() {}

    /// No row: a statement without a result decodes nothing, so it needs no `decode` of its own.
    public init(decoding row: SQLRow) {}
}

/// What a statement did: its command tag and the rows it affected.
public struct SQLCommandResult: Sendable, Hashable {
    /// The command tag, such as `INSERT 0 1` or `UPDATE 3`.
    public var tag: String
    /// The rows inserted, updated, deleted, copied or returned.
    public var rowsAffected: Int

    /// A result of `tag` that affected `rowsAffected` rows.
    public init(tag: String, rowsAffected: Int) {
        self.tag = tag
        self.rowsAffected = rowsAffected
    }
}

/// A plain `INSERT INTO table (columns) VALUES ($1, ...)` that can also run as COPY FROM STDIN.
public protocol SQLCopyStatement: SQLStatement {
    /// The table, as the query names it (unqualified names follow the search path, so tenants get their own).
    static var copyTable: String { get }
    /// The columns, in parameter order.
    static var copyColumns: [String] { get }
}

extension SQLDecodable {
    /// The text of a non-NULL value, or the unexpected-NULL failure; for generated decoders.
    public static func requireText(_ text: String?) throws(SQLDecodingFailure) -> String {
        guard let text else { throw .unexpectedNull }
        return text
    }
}

/// Row values (`(1,"two",)`) as PostgreSQL writes composite types.
public enum SQLRecordText {
    /// A record literal from field texts (nil for NULL).
    public static func make(_ fields: [String?]) -> String {
        var text = "("
        for (index, field) in fields.enumerated() {
            if index > 0 { text += "," }
            guard let field else { continue }
            text += "\""
            for character in field {
                if character == "\"" || character == "\\" { text.append(character) }
                text.append(character)
            }
            text += "\""
        }
        return text + ")"
    }

    /// The field texts of a record literal (nil for NULL), which must have `count` fields.
    public static func fields(of text: String, count: Int) throws(SQLDecodingFailure) -> [String?] {
        let characters = Array(text)
        guard characters.first == "(", characters.last == ")" else { throw .malformed(text, as: "record") }
        var fields: [String?] = []
        var index = 1
        var current = ""
        var quoted = false
        var sawQuote = false
        while index < characters.count - 1 {
            let character = characters[index]
            if quoted {
                if character == "\\"
                    || (character == "\"" && index + 1 < characters.count && characters[index + 1] == "\"")
                {
                    index += 1
                    current.append(characters[index])
                } else if character == "\"" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                sawQuote = true
            } else if character == "," {
                fields.append(current.isEmpty && !sawQuote ? nil : current)
                current = ""
                sawQuote = false
            } else {
                current.append(character)
            }
            index += 1
        }
        fields.append(current.isEmpty && !sawQuote ? nil : current)
        guard fields.count == count else {
            throw SQLDecodingFailure("a record with \(fields.count) fields where \(count) were expected")
        }
        return fields
    }
}
