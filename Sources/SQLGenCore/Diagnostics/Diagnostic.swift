/// How serious a ``Diagnostic`` is.
public enum DiagnosticSeverity: String, Sendable, Hashable, Codable {
    /// The input is wrong; no output is produced for it.
    case error
    /// The input is accepted, but something in it deserves attention.
    case warning
    /// Extra information attached to another diagnostic.
    case note
}

/// A problem found in SQL or configuration input, tied to where it was found.
///
/// Every stage of the pipeline reports problems as values of this type rather
/// than by crashing. ``rendered`` prints it the way compilers do, so that
/// editors and SwiftPM show it in place:
///
/// ```
/// schema/000001_init.up.sql:3:14: error: type "texx" does not exist
///     email texx NOT NULL
///           ^
/// ```
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    /// How serious the problem is.
    public var severity: DiagnosticSeverity
    /// What is wrong, in PostgreSQL's wording where PostgreSQL has one.
    public var message: String
    /// Where the problem is, when it has a place in a file.
    public var location: SourceLocation?
    /// The text of the line the location points into, shown under the message.
    public var sourceLine: String?

    /// Creates a diagnostic.
    public init(
        _ severity: DiagnosticSeverity,
        _ message: String,
        at location: SourceLocation? = nil,
        sourceLine: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
    }

    /// Creates an error diagnostic at a byte offset of a source file.
    public static func error(_ message: String, in file: SourceFile, atOffset offset: Int) -> Diagnostic {
        file.diagnostic(.error, message, atOffset: offset)
    }

    /// Creates a warning diagnostic at a byte offset of a source file.
    public static func warning(_ message: String, in file: SourceFile, atOffset offset: Int) -> Diagnostic {
        file.diagnostic(.warning, message, atOffset: offset)
    }

    /// The diagnostic as `path:line:col: severity: message`, followed by the
    /// source line and a caret under the column when they are known.
    public var rendered: String {
        var text = ""
        if let location {
            text += "\(location.path):\(location.line):\(location.column): "
        }
        text += "\(severity.rawValue): \(message)"
        if let sourceLine, let location {
            text += "\n" + sourceLine + "\n" + Self.caretLine(under: sourceLine, column: location.column)
        }
        return text
    }

    /// The first line of ``rendered``.
    public var description: String {
        var text = ""
        if let location {
            text += "\(location.path):\(location.line):\(location.column): "
        }
        return text + "\(severity.rawValue): \(message)"
    }

    /// Spaces up to `column` (tabs kept, so the caret lines up), then `^`.
    private static func caretLine(under line: String, column: Int) -> String {
        var prefix = ""
        for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 {
            prefix.append(scalar == "\t" ? "\t" : " ")
        }
        return prefix + "^"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic in the list is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }
}
