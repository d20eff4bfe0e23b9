/// Builds Swift source text with consistent indentation.
struct SwiftWriter {
    private(set) var text = ""
    private var level = 0

    mutating func line(_ content: String = "") {
        text += content.isEmpty ? "\n" : String(repeating: "    ", count: level) + content + "\n"
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
