/// The text of one input file, with the index needed to turn the byte
/// offsets libpg_query reports into lines and columns.
public struct SourceFile: Sendable {
    /// The path shown in diagnostics.
    public let path: String
    /// The text that was parsed (for migrations, with down sections blanked out).
    public let text: String
    /// The UTF-8 bytes of ``text``.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    private let lineStarts: [Int]

    /// Creates a source file from its display path and text.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
        let bytes = Array(text.utf8)
        self.bytes = bytes
        // A line ends at `\r\n`, `\n` or `\r` (``LineBreaks``).
        var starts = [0]
        var offset = 0
        while offset < bytes.count {
            let length = LineBreaks.length(in: bytes, at: offset)
            offset += max(length, 1)
            if length > 0 { starts.append(offset) }
        }
        self.lineStarts = starts
    }

    /// The 1-based line holding a byte offset.
    public func line(ofOffset offset: Int) -> Int {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// The location of a byte offset.
    public func location(ofOffset offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = line(ofOffset: clamped)
        let start = lineStarts[line - 1]
        var column = 1
        var index = start
        while index < clamped {
            // Count scalars: skip UTF-8 continuation bytes.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(path: path, line: line, column: column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, LineBreaks.isBreak(bytes[end - 1]), line < lineStarts.count { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The byte offset of a 1-based Unicode-scalar position counted from the
    /// start of the text (the way PostgreSQL reports error cursors).
    public func offset(ofScalarPosition position: Int) -> Int {
        var remaining = position - 1
        var index = 0
        while remaining > 0, index < bytes.count {
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            remaining -= 1
        }
        return index
    }

    /// The text between two byte offsets.
    public func slice(from start: Int, length: Int) -> String {
        let lower = max(0, min(start, bytes.count))
        let upper = max(lower, min(start + length, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// A diagnostic at a byte offset, with its source line.
    public func diagnostic(_ severity: DiagnosticSeverity, _ message: String, atOffset offset: Int) -> Diagnostic {
        let location = location(ofOffset: offset)
        return Diagnostic(severity, message, at: location, sourceLine: lineText(location.line))
    }
}
