/// Whether an annotation's command fits its statement.
extension QueryCompiler {
    /// Checks that the command fits the statement (`:one` needs rows, `:copyfrom` a plain INSERT).
    static func checkCommand(
        _ annotation: QueryAnnotation, _ statement: DataStatement, columns: [ResultColumn], file: SourceFile,
        diagnostics: inout [Diagnostic]
    ) -> Bool {
        switch annotation.command {
        case .one, .many, .batchone, .batchmany:
            // `SELECT FROM t` returns rows of no columns; only writes without RETURNING return none.
            if case .select = statement { break }
            if columns.isEmpty {
                diagnostics.append(
                    .error(
                        "query \"\(annotation.name)\" is :\(annotation.command.rawValue) but returns no rows; add RETURNING or use :exec, :execrows or :execresult",
                        in: file, atOffset: annotation.commandOffset))
                return false
            }
        case .copyfrom:
            guard case .insert(let insert) = statement, insert.returning.isEmpty, insert.onConflict == nil,
                insert.with == nil, case .values(let rows, _)? = insert.source?.body, rows.count == 1,
                rows[0].allSatisfy(isParameter), !insert.columns.isEmpty
            else {
                diagnostics.append(
                    .error(
                        "query \"\(annotation.name)\" is :copyfrom, which needs a plain INSERT INTO table (columns) VALUES ($1, ...) with only parameters",
                        in: file, atOffset: annotation.commandOffset))
                return false
            }
        default:
            break
        }
        return true
    }

    private static func isParameter(_ expression: Expression) -> Bool {
        switch expression {
        case .parameter: return true
        case .operation(.plain, "@", nil, .column?, _): return true
        case .function(let call): return call.name.first == "sqlc"
        default: return false
        }
    }
}
