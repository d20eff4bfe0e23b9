/// The parameters a query's text uses: positional `$n`, or named macros
/// (`@name`, `sqlc.arg(name)`, `sqlc.narg(name)`, `sqlc.slice(name)`), and
/// the `sqlc.embed(t)` calls of its select list.
struct QueryParameters {
    /// A macro as written, with the span of text it replaces.
    struct Macro {
        enum Kind: String {
            case arg, narg, slice, embed, at
            /// `x IN (sqlc.slice(ids))`, from `IN` to the list's `)`: sent as `x = ANY($n)`, the form
            /// PostgreSQL runs with an array (`NOT IN` as `<> ALL($n)`).
            case sliceInList = "slice in list"
        }
        var kind: Kind
        var name: String
        /// For ``Kind/sliceInList``: `NOT IN`.
        var negated = false
        /// Byte offsets of the macro's text in the file.
        var start: Int
        var end: Int
    }

    var positional: [(number: Int, location: Int)] = []
    var macros: [Macro] = []
    /// Parameter numbers of named parameters, by name, in order of first use.
    var numbers: [String: Int] = [:]
    var names: [Int: String] = [:]
    var nullable: Set<Int> = []
    var slices: Set<Int> = []
    /// Parameter number of each macro, by the byte offset the analyzer sees it at.
    var byLocation: [Int: Int] = [:]

    /// Collects parameters and macros from a statement; reports misuse.
    static func collect(
        _ statement: DataStatement, file: SourceFile, diagnostics: inout [Diagnostic]
    ) -> QueryParameters {
        var result = QueryParameters()
        var found: [Macro] = []
        var problems: [Diagnostic] = []
        var positional: [(number: Int, location: Int)] = []
        let bytes = file.bytes
        ExpressionVisitor { expression in
            switch expression {
            case .parameter(let number, let location):
                positional.append((number, location))
            case .function(let call) where call.name.count == 2 && call.name[0] == "sqlc":
                guard let kind = Macro.Kind(rawValue: call.name[1]), kind != .at, kind != .sliceInList else {
                    problems.append(.error("unknown macro sqlc.\(call.name[1])", in: file, atOffset: call.location))
                    return
                }
                let name: String?
                switch call.arguments.first {
                case .column(let parts, _)? where parts.count == 1: name = parts[0]
                case .constant(.string, let text, _)?: name = text
                default: name = nil
                }
                guard let name, call.arguments.count == 1 else {
                    problems.append(
                        .error(
                            "sqlc.\(kind.rawValue) takes one name, as in sqlc.\(kind.rawValue)(email)", in: file,
                            atOffset: call.location))
                    return
                }
                found.append(
                    Macro(
                        kind: kind, name: name, start: call.location,
                        end: StatementText(bytes: bytes).closingParenthesis(from: call.location)))
            case .operation(.inList, let name, _, .list(let items, _)?, let location)
            where items.count == 1:
                guard case .function(let call) = items[0], call.name == ["sqlc", "slice"], call.arguments.count == 1
                else { return }
                // The name as sqlc.slice's other uses read it: `sqlc.slice(ids)` or `sqlc.slice('ids')`.
                let sliceName: String
                switch call.arguments[0] {
                case .column(let parts, _) where parts.count == 1: sliceName = parts[0]
                case .constant(.string, let text, _): sliceName = text
                default: return
                }
                let text = StatementText(bytes: bytes)
                let sliceEnd = text.closingParenthesis(from: call.location)
                // The list's own closing parenthesis, after the macro's.
                let listEnd = text.closingParenthesis(from: text.openingParenthesis(from: location))
                guard listEnd > sliceEnd else { return }
                found.append(
                    Macro(kind: .sliceInList, name: sliceName, negated: name == "<>", start: location, end: listEnd))
            case .operation(.plain, "@", nil, let operand?, let location):
                // `@name`, also as `@name::type` (the cast binds first: `@(name::type)`).
                guard let (name, columnLocation) = atOperand(operand) else { return }
                found.append(
                    Macro(kind: .at, name: name, start: location, end: identifierEnd(bytes, from: columnLocation)))
            default:
                break
            }
        }.walk(statement)
        diagnostics.append(contentsOf: problems)
        result.positional = positional
        found.sort { $0.start < $1.start }
        result.macros = found
        let named = found.filter { $0.kind != .embed }
        // Named parameters take the numbers after the highest positional one, as sqlc numbers them.
        let highestPositional = result.positional.map(\.number).max() ?? 0
        for macro in named {
            let number = result.numbers[macro.name] ?? (highestPositional + result.numbers.count + 1)
            result.numbers[macro.name] = number
            result.names[number] = macro.name
            result.byLocation[macro.start] = number
            if macro.kind == .narg { result.nullable.insert(number) }
            if macro.kind == .slice { result.slices.insert(number) }
        }
        return result
    }

    /// The name and offset of the column reference `@` applies to, through casts.
    static func atOperand(_ operand: Expression) -> (String, Int)? {
        switch operand {
        case .column(let parts, let location) where parts.count == 1: return (parts[0], location)
        case .cast(let inner, _, _): return atOperand(inner)
        default: return nil
        }
    }

    /// The statement's text with every macro rewritten (`$n`, or `t.*` for embed), and where the file
    /// offsets `marks` (outside any macro) land in that text.
    func rewrite(
        _ file: SourceFile, statementStart: Int, length: Int, marks: [Int] = []
    ) -> (sql: String, marks: [Int]) {
        var output: [UInt8] = []
        var cursor = statementStart
        let end = statementStart + length
        var pending = marks.sorted()[...]
        var landed: [Int] = []
        // Line breaks outside quotes are sent as `\n` whatever the file used (``SQLLineBreakNormalizer``).
        var normalizer = SQLLineBreakNormalizer()
        func copy(upTo limit: Int) {
            let limit = min(max(limit, cursor), file.bytes.count)
            while let mark = pending.first, mark < limit {
                if mark >= cursor {
                    normalizer.append(file.bytes, cursor..<mark, to: &output)
                    cursor = mark
                    landed.append(output.count)
                }
                pending = pending.dropFirst()
            }
            normalizer.append(file.bytes, cursor..<limit, to: &output)
            cursor = limit
        }
        for macro in macros where macro.start >= statementStart && macro.end <= end && macro.start >= cursor {
            copy(upTo: macro.start)
            if macro.kind == .embed {
                output.append(contentsOf: Array("\(macro.name).*".utf8))
            } else if macro.kind == .sliceInList {
                let number = numbers[macro.name] ?? 0
                output.append(contentsOf: Array((macro.negated ? "<> ALL($\(number))" : "= ANY($\(number))").utf8))
            } else {
                output.append(contentsOf: Array("$\(numbers[macro.name] ?? 0)".utf8))
            }
            cursor = macro.end
        }
        copy(upTo: min(end, file.bytes.count))
        return (String(decoding: output, as: UTF8.self), landed)
    }

    /// The offset just past the identifier (plain or quoted) that starts at `from`.
    private static func identifierEnd(_ bytes: [UInt8], from: Int) -> Int {
        var index = from
        guard index < bytes.count else { return index }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
            return min(index + 1, bytes.count)
        }
        while index < bytes.count {
            let byte = bytes[index]
            let isIdentifier =
                byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            guard isIdentifier else { break }
            index += 1
        }
        return index
    }
}
