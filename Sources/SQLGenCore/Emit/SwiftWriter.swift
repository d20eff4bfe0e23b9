/// Builds Swift source text laid out as `swift format` leaves it with the repository's
/// configuration (4-space indentation, 120 columns, existing line breaks respected): a list that does
/// not fit on its line is written one item per line, which `swift format` keeps as it is.
struct SwiftWriter {
    private(set) var text = ""
    private var level = 0

    /// The longest line, indentation included.
    static let lineLength = 120

    mutating func line(_ content: String = "") {
        text += content.isEmpty ? "\n" : String(repeating: "    ", count: level) + content + "\n"
    }

    /// A `name: value` line (a declaration, an argument, a parameter), or with `separator: " = "` an
    /// assignment, that when too long breaks after its first separator and continues one level deeper,
    /// as `swift format` breaks it.
    mutating func labeled(_ content: String, separator: String = ": ") {
        guard !fits(content), let split = content.range(of: separator) else {
            line(content)
            return
        }
        let leading = String(content.prefix { $0 == " " })
        line(String(content[..<split.lowerBound]) + (separator.hasSuffix(" ") ? separator.dropLast() : separator[...]))
        level += 1
        line(leading + String(content[split.upperBound...]))
        level -= 1
    }

    /// `body`'s lines one level deeper.
    mutating func indented(_ body: (inout SwiftWriter) -> Void) {
        level += 1
        body(&self)
        level -= 1
    }

    /// `label: head(a, b)tail` as an argument: on one line when it fits, else the call on the next
    /// line one level deeper, else the call's arguments one per line too.
    mutating func labeledCall(_ label: String, _ head: String, _ arguments: [String], _ tail: String) {
        let call = head + "(" + arguments.joined(separator: ", ") + ")" + tail
        if fits(label + ": " + call) {
            line(label + ": " + call)
            return
        }
        line(label + ":")
        indented { writer in writer.list(head, arguments, tail) }
    }

    /// Whether `content` fits on one line `extraLevels` deeper than the current indentation.
    func fits(_ content: String, extraLevels: Int = 0) -> Bool {
        (level + extraLevels) * 4 + content.count <= Self.lineLength
    }

    /// `head(a, b) tail` on one line when it fits; otherwise `head(`, one item per line, `) tail`.
    /// A collection literal (`open: "["`) gets a comma after its last item too.
    mutating func list(_ head: String, _ items: [String], _ tail: String = "", open: String = "(", close: String = ")")
    {
        let single = head + open + items.joined(separator: ", ") + close + tail
        if items.isEmpty || fits(single) {
            line(single)
            return
        }
        line(head + open)
        level += 1
        for (index, item) in items.enumerated() {
            labeled(item + (index < items.count - 1 || open == "[" ? "," : ""))
        }
        level -= 1
        line(close + tail)
    }

    /// `head[` then `.init(arguments),` per row, each laid out as ``list(_:_:_:open:close:)`` lays a
    /// call out, then `]`: an array literal of values of the declared element type.
    mutating func variantTable(_ head: String, _ rows: [[String]]) {
        line(head + "[")
        level += 1
        for row in rows { list(".init", row, ",") }
        level -= 1
        line("]")
    }

    /// `head(call) tail` for a call whose only argument is itself a call `name(arguments)`: on one line
    /// when it fits, else the inner call on a line of its own, else its arguments one per line too.
    mutating func nestedCall(_ head: String, _ name: String, _ arguments: [String], _ tail: String = "") {
        let inner = name + "(" + arguments.joined(separator: ", ") + ")"
        if fits(head + "(" + inner + ")" + tail) {
            line(head + "(" + inner + ")" + tail)
            return
        }
        line(head + "(")
        level += 1
        list(name, arguments)
        level -= 1
        line(")" + tail)
    }

    /// `head(argument)` on one line when it fits, else the argument on the next line one level deeper
    /// with the closing parenthesis after it, as `swift format` breaks a call of one argument.
    mutating func wrappedCall(_ head: String, _ argument: String) {
        if fits(head + "(" + argument + ")") {
            line(head + "(" + argument + ")")
        } else {
            line(head + "(")
            indented { writer in writer.line(argument + ")") }
        }
    }

    /// A block whose header holds a parameter list: `head(a, b) tail {` when it fits, else the
    /// parameters one per line and `) tail {`.
    /// A `where` clause goes on a line of its own when the closing line would be too long.
    mutating func block(
        _ head: String, parameters: [String], _ tail: String, whereClause: String? = nil,
        _ body: (inout SwiftWriter) -> Void
    ) {
        let clause = whereClause.map { " " + $0 } ?? ""
        let single = head + "(" + parameters.joined(separator: ", ") + ")" + tail + clause
        if fits(single + " {") {
            line(single + " {")
        } else if parameters.isEmpty {
            // Nothing to break but the brace: `swift format` moves it to a line of its own.
            line(single)
            line("{")
        } else if let whereClause, !fits(")" + tail + clause + " {") {
            list(head, parameters, tail)
            line(whereClause + " {")
        } else if !fits(")" + tail + clause + " {"), let arrow = tail.range(of: " -> ") {
            // `) async throws(E)`, then `-> Result` one level deeper, then the brace on its own line.
            list(head, parameters, String(tail[..<arrow.lowerBound]))
            let result = "-> " + tail[arrow.upperBound...] + clause
            indented { writer in
                if !writer.fits(result), clause.isEmpty, result.hasSuffix(">"), let open = result.firstIndex(of: "<") {
                    // A generic result too long for its line: its arguments on a line of their own.
                    writer.line(String(result[...open]))
                    writer.indented { writer in
                        writer.line(String(result[result.index(after: open)..<result.index(before: result.endIndex)]))
                    }
                    writer.line(">")
                } else {
                    writer.line(result)
                }
            }
            line("{")
        } else {
            list(head, parameters, tail + clause + " {")
        }
        level += 1
        body(&self)
        level -= 1
        line("}")
    }

    /// A type declaration `head: A, B, C {` and its body. When the header does not fit, the
    /// conformances fill lines as `swift format` fills them (a comma ends each full line, the rest
    /// continue one level deeper) and the brace goes on a line of its own.
    mutating func declaration(_ head: String, conformances: [String], _ body: (inout SwiftWriter) -> Void) {
        let single = head + (conformances.isEmpty ? "" : ": " + conformances.joined(separator: ", "))
        if fits(single + " {") || conformances.isEmpty {
            block(single, body)
            return
        }
        var lines: [String] = []
        var current = head + ":"
        var lineHasItem = false
        for (index, conformance) in conformances.enumerated() {
            let piece = conformance + (index == conformances.count - 1 ? "" : ",")
            let candidate = lineHasItem || current.hasSuffix(":") ? current + " " + piece : piece
            if !lineHasItem || fits(candidate, extraLevels: lines.isEmpty ? 0 : 1) {
                current = candidate  // every line takes at least one conformance
            } else {
                lines.append(current)
                current = piece
            }
            lineHasItem = true
        }
        lines.append(current)
        line(lines[0])
        indented { writer in
            for continuation in lines.dropFirst() { writer.line(continuation) }
        }
        line("{")
        level += 1
        body(&self)
        level -= 1
        line("}")
    }

    /// `head { literal }`, a computed property returning a string literal: on one line when it fits,
    /// else the literal on lines of its own inside the braces. A computed property of a literal
    /// costs the compiler one small getter, where a stored `static let` costs a lazy global with its
    /// initializer, token and accessor.
    mutating func computed(_ head: String, literal value: String) {
        let literal = Self.literal(value, multiline: true)
        if !literal.contains("\n"), fits(head + " { " + literal + " }") {
            line(head + " { " + literal + " }")
            return
        }
        line(head + " {")
        level += 1
        for content in literal.split(separator: "\n", omittingEmptySubsequences: false) {
            if content.isEmpty {
                text += "\n"
            } else {
                text += String(repeating: "    ", count: level) + content + "\n"
            }
        }
        level -= 1
        line("}")
    }

    /// `/// ...` lines: each entry split into its lines wherever it has a line break (`\r\n`, `\n`
    /// or `\r`), so that no text copied from the input can end the comment and continue as code.
    mutating func documentation(_ entries: [String]) {
        for entry in entries {
            for line in LineBreaks.lines(of: entry) {
                self.line(line.isEmpty ? "///" : "/// " + line)
            }
        }
    }

    /// A `header {` ... `}` block.
    mutating func block(_ header: String, _ body: (inout SwiftWriter) -> Void) {
        line(header + " {")
        level += 1
        body(&self)
        level -= 1
        line("}")
    }

    /// A Swift string literal holding any text exactly: a plain one for plain text, else a raw one
    /// (`#"…"#`, multi-line for text with `\n`) with enough `#`s that nothing in the text ends it or
    /// starts an escape. Characters a literal cannot hold as they are (`\r`, which a multi-line
    /// literal would read as `\n`, NUL and the other control characters) and invisible line and
    /// paragraph separators are written as escapes.
    ///
    /// With `multiline: false` (for literals inside an expression), `\n` and tab are written as escapes too.
    static func literal(_ value: String, multiline allowsMultiline: Bool = false) -> String {
        // A multi-line literal only for text with line feeds: a single-line one cannot hold a tab either.
        let multiline = allowsMultiline && value.utf8.contains(UInt8(ascii: "\n"))
        var hasQuote = false
        var hasBackslash = false
        var hasLineFeed = false
        var needsEscape = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": hasQuote = true
            case "\\": hasBackslash = true
            case "\n": if multiline { hasLineFeed = true } else { needsEscape = true }
            default: if escape(scalar, multiline: multiline) != nil { needsEscape = true }
            }
        }
        if !hasQuote, !hasBackslash, !hasLineFeed, !needsEscape { return "\"" + value + "\"" }
        // Enough #s that no `"#...` or `\#...` in the text ends the literal or starts an escape.
        var longestRun = 0
        var run = -1
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                run = 0
            } else if byte == UInt8(ascii: "#"), run >= 0 {
                run += 1
                longestRun = max(longestRun, run)
            } else {
                run = -1
            }
        }
        let delimiter = String(repeating: "#", count: longestRun + 1)
        var body = ""
        body.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            if let escaped = escape(scalar, multiline: multiline) {
                body += "\\" + delimiter + escaped
            } else {
                body.unicodeScalars.append(scalar)
            }
        }
        if hasLineFeed {
            return delimiter + "\"\"\"\n" + body + "\n\"\"\"" + delimiter
        }
        return delimiter + "\"" + body + "\"" + delimiter
    }

    /// The escape (after `\#`) for a character a string literal cannot hold as it is, or nil.
    private static func escape(_ scalar: Unicode.Scalar, multiline: Bool) -> String? {
        switch scalar.value {
        case 0x0A: return multiline ? nil : "n"
        case 0x09: return multiline ? nil : "t"  // a single-line literal cannot hold a tab
        case 0x0D: return "r"
        case 0x00: return "0"
        case 0x00...0x1F, 0x7F, 0x85, 0x2028, 0x2029:
            return "u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: return nil
        }
    }
}
