/// One notion of a line for every text sqlgen reads or writes: a line ends at `\r\n`, `\n` or `\r`,
/// where PostgreSQL's lexer and Swift's agree that lines end.
public enum LineBreaks {
    /// The length in bytes of the line break starting at `index` (2 for `\r\n`), or 0 when none starts there.
    @inlinable
    public static func length(in bytes: [UInt8], at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        switch bytes[index] {
        case UInt8(ascii: "\n"): return 1
        case UInt8(ascii: "\r"): return index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1
        default: return 0
        }
    }

    /// Whether a byte is `\r` or `\n`.
    @inlinable
    public static func isBreak(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// The lines of `text` without their line breaks; text ending in a line break gives a last empty line.
    public static func lines(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let length = length(in: bytes, at: index)
            if length == 0 {
                index += 1
                continue
            }
            lines.append(String(decoding: bytes[start..<index], as: UTF8.self))
            index += length
            start = index
        }
        lines.append(String(decoding: bytes[start...], as: UTF8.self))
        return lines
    }
}
