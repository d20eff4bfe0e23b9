import Foundation

/// Nullability and Swift-type overrides written in a result column's name, as Rust's sqlx reads
/// them: `AS "title!"` (never NULL), `AS "title?"` (may be NULL), `AS "meta: PostMeta"` (decoded as
/// that Swift type, which conforms to `SQLDecodable`), and the two together (`AS "meta!: PostMeta"`).
/// The row's field is named by the part before the marks; the SQL goes to the server as written.
struct ColumnNameOverride: Equatable {
    /// The column's name without the marks.
    var name: String
    /// `true` for `?`, `false` for `!`, nil when the name does not say.
    var nullable: Bool?
    /// The Swift type after `:`.
    var swiftType: String?

    /// The override a result column's name asks for: nil for a plain name, a message for a malformed one.
    static func parse(_ written: String) -> Result<ColumnNameOverride, OverrideError>? {
        var head = Substring(written)
        var swiftType: String?
        if let colon = written.firstIndex(of: ":") {
            head = written[..<colon]
            let type = written[written.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !type.isEmpty else { return .failure(.init("\"\(written)\" names no Swift type after its \":\"")) }
            guard !type.hasSuffix("?") else {
                return .failure(
                    .init("write a column's nullability on its name, not its type: \"\(head)?: \(type.dropLast())\""))
            }
            guard isSwiftType(type) else {
                return .failure(.init("\"\(type)\" in \"\(written)\" is not a Swift type name"))
            }
            swiftType = type
        }
        var nullable: Bool?
        if head.hasSuffix("!") || head.hasSuffix("?") {
            nullable = head.hasSuffix("?")
            head = head.dropLast()
        }
        guard nullable != nil || swiftType != nil else { return nil }
        guard !head.isEmpty, !head.hasSuffix("!"), !head.hasSuffix("?") else {
            return .failure(
                .init("\"\(written)\" is not a column name with one \"!\" or \"?\" and an optional \": Type\""))
        }
        return .success(ColumnNameOverride(name: String(head), nullable: nullable, swiftType: swiftType))
    }

    /// A type as Swift writes one: dotted identifiers, with generic arguments, arrays and dictionaries.
    private static func isSwiftType(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first,
            first == "[" || first == "_" || CharacterSet.letters.contains(first)
        else { return false }
        var depth = 0
        for character in text {
            switch character {
            case "<", "[": depth += 1
            case ">", "]":
                depth -= 1
                if depth < 0 { return false }
            case ".", "_", ",", " ", ":", "?": continue
            default:
                guard character.isLetter || character.isNumber else { return false }
            }
        }
        return depth == 0
    }

    /// A malformed override's message.
    struct OverrideError: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

extension ColumnNameOverride {
    /// The result columns with the overrides their names ask for, each read from a name the
    /// statement's own select list (or RETURNING list) gives with `AS`, never from a table's column;
    /// nil after reporting a malformed or impossible one at its column.
    static func apply(
        to columns: [ResultColumn], of statement: DataStatement, file: SourceFile, diagnostics: inout [Diagnostic]
    ) -> [ResultColumn]? {
        let targets = outputTargets(statement)
        var result = columns
        var failed = false
        for index in result.indices {
            guard let target = targets.first(where: { $0.alias == result[index].name }),
                let parsed = parse(result[index].name)
            else { continue }
            switch parsed {
            case .failure(let error):
                diagnostics.append(.error(error.message, in: file, atOffset: target.location))
                failed = true
            case .success(let override):
                if override.nullable == false, isNull(target.expression) {
                    diagnostics.append(
                        .error(
                            "column \"\(override.name)\" is declared never NULL with \"!\", but it is always NULL",
                            in: file, atOffset: target.location))
                    failed = true
                    continue
                }
                result[index].nameWithoutMarks = override.name
                if let nullable = override.nullable { result[index].nullable = nullable }
                result[index].swiftType = override.swiftType
            }
        }
        return failed ? nil : result
    }

    /// The list that names the statement's result columns: the select list (of a set operation's
    /// first arm, which names its columns) or RETURNING.
    private static func outputTargets(_ statement: DataStatement) -> [SelectTarget] {
        switch statement {
        case .select(let select): return outputTargets(select)
        case .insert(let insert): return insert.returning
        case .update(let update): return update.returning
        case .delete(let delete): return delete.returning
        case .call: return []
        }
    }

    private static func outputTargets(_ select: SelectStatement) -> [SelectTarget] {
        switch select.body {
        case .simple(let simple): return simple.targets
        case .values: return []
        case .setOperation(_, _, let first, _): return outputTargets(first)
        }
    }

    /// Whether the expression is the NULL constant, cast or not.
    private static func isNull(_ expression: Expression) -> Bool {
        switch expression {
        case .constant(.null, _, _): return true
        case .cast(let inner, _, _): return isNull(inner)
        default: return false
        }
    }
}
