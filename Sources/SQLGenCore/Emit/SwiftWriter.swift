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
        if !value.contains("\""), !value.contains("\\"), !value.contains("\n"), !value.contains("\r") {
            return "\"" + value + "\""
        }
        var count = 1
        while value.contains("\"" + String(repeating: "#", count: count))
            || value.contains("\\" + String(repeating: "#", count: count))
        {
            count += 1
        }
        let delimiter = String(repeating: "#", count: count)
        if value.contains("\n") || value.contains("\r") {
            return delimiter + "\"\"\"\n" + value + "\n\"\"\"" + delimiter
        }
        return delimiter + "\"" + value + "\"" + delimiter
    }
}
