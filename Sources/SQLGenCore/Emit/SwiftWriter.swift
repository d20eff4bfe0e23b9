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

    /// A block whose header holds a parameter list: `head(a, b) tail {` when it fits, else the
    /// parameters one per line and `) tail {`.
    /// A `where` clause goes on a line of its own when the closing line would be too long.
    mutating func block(
        _ head: String, parameters: [String], _ tail: String, whereClause: String? = nil,
        _ body: (inout SwiftWriter) -> Void
    ) {
        let clause = whereClause.map { " " + $0 } ?? ""
        if let whereClause, !fits(head + "(" + parameters.joined(separator: ", ") + ")" + tail + clause + " {"),
            !fits(")" + tail + clause + " {")
        {
            list(head, parameters, tail)
            line(whereClause + " {")
        } else {
            list(head, parameters, tail + clause + " {")
        }
        level += 1
        body(&self)
        level -= 1
        line("}")
    }

    /// `head = literal`, with the literal on the next line when the line would be too long, and a
    /// multi-line literal's lines indented under the declaration (Swift strips that indentation).
    mutating func assignment(_ head: String, literal value: String) {
        let literal = Self.literal(value)
        guard literal.contains("\n") else {
            if fits(head + " = " + literal) {
                line(head + " = " + literal)
            } else {
                line(head + " =")
                level += 1
                line(literal)
                level -= 1
            }
            return
        }
        let lines = literal.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        line(head + " = " + (lines.first ?? ""))
        level += 1
        for content in lines.dropFirst() {
            if content.isEmpty {
                text += "\n"
            } else {
                text += String(repeating: "    ", count: level) + content + "\n"
            }
        }
        level -= 1
    }

    /// `/// ...` lines, one per line of documentation.
    mutating func documentation(_ lines: [String]) {
        for line in lines {
            self.line(line.isEmpty ? "///" : "/// " + line)
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

    /// A Swift raw string literal holding any text exactly (multi-line for text with line breaks).
    static func literal(_ value: String) -> String {
        var hasQuote = false
        var hasBackslash = false
        var hasLineBreak = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): hasQuote = true
            case UInt8(ascii: "\\"): hasBackslash = true
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): hasLineBreak = true
            default: break
            }
        }
        if !hasQuote, !hasBackslash, !hasLineBreak { return "\"" + value + "\"" }
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
        if hasLineBreak {
            return delimiter + "\"\"\"\n" + value + "\n\"\"\"" + delimiter
        }
        return delimiter + "\"" + value + "\"" + delimiter
    }
}
