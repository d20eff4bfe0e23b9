/// The statements of a file that build the catalog: all of them but the annotated ones, which are
/// queries (`-- name: DropOld :exec` above a `DROP TABLE` is a query to run, not a change to the
/// schema). So one file, or one folder, can hold a project's schema and its queries together.
enum SchemaStatements {
    /// `file` parsed, without its annotated statements.
    static func of(_ file: SourceFile) -> ParsedFile {
        var parsed = SQLParser.parse(file)
        // Most schema files have no annotation at all.
        guard file.text.contains("name:") else { return parsed }
        var previousEnd = 0
        parsed.statements = parsed.statements.filter { statement in
            defer { previousEnd = statement.location + statement.length }
            var ignored: [Diagnostic] = []
            return QueryAnnotation.find(in: file, from: previousEnd, to: statement.location, diagnostics: &ignored)
                == nil
        }
        return parsed
    }
}
