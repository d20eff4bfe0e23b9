/// The statements of a file that build the catalog: all of them but the annotated ones, which are
/// queries (`-- name: DropOld :exec` above a `DROP TABLE` is a query to run, not a change to the
/// schema). So one file, or one folder, can hold a project's schema and its queries together.
enum SchemaStatements {
    /// `file` with each annotated statement blanked out (line breaks kept, so every diagnostic keeps
    /// its line and column); the file itself when it holds no annotation.
    static func of(_ file: SourceFile) -> SourceFile {
        // Most schema files have no annotation at all: no second parse for them.
        guard file.text.contains("name:") else { return file }
        var bytes = file.bytes
        var previousEnd = 0
        var blanked = false
        for statement in SQLParser.parse(file).statements {
            defer { previousEnd = statement.location + statement.length }
            var ignored: [Diagnostic] = []
            guard
                QueryAnnotation.find(in: file, from: previousEnd, to: statement.location, diagnostics: &ignored)
                    != nil
            else { continue }
            let end = min(statement.location + statement.length, bytes.count)
            for index in statement.location..<end where !LineBreaks.isBreak(bytes[index]) {
                bytes[index] = UInt8(ascii: " ")
            }
            blanked = true
        }
        guard blanked else { return file }
        return SourceFile(path: file.path, text: String(decoding: bytes, as: UTF8.self))
    }
}
