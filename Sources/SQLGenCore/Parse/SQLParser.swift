import CPgQuery

/// The statements of one parsed file and the problems found in it.
public struct ParsedFile: Sendable {
    /// The file that was parsed.
    public var file: SourceFile
    /// Its statements, in order.
    public var statements: [Statement]
    /// Syntax errors (libpg_query stops at the first one).
    public var diagnostics: [Diagnostic]
}

/// The SQL front end: PostgreSQL 15's own grammar through libpg_query.
///
/// The tree is read from libpg_query's protobuf output, unpacked by
/// protobuf-c into C structs and walked directly: no JSON and no
/// intermediate dictionaries.
public enum SQLParser {
    /// Parses every statement of a file.
    public static func parse(_ file: SourceFile) -> ParsedFile {
        // psql meta-commands and COPY data are blanked; positions stay those of the file.
        let (script, skipped) = PsqlScript.blankingMetaCommands(file)
        var parsed = parseSQL(script)
        parsed.file = file
        parsed.diagnostics = parsed.diagnostics.map { diagnostic in
            var copy = diagnostic
            copy.sourceLine = diagnostic.location.flatMap { file.lineText($0.line) } ?? diagnostic.sourceLine
            return copy
        }
        parsed.diagnostics.insert(
            contentsOf: skipped.map { file.diagnostic(.note, $0.what, atOffset: $0.offset) }, at: 0)
        return parsed
    }

    private static func parseSQL(_ file: SourceFile) -> ParsedFile {
        if file.bytes.contains(0) {
            let offset = file.bytes.firstIndex(of: 0) ?? 0
            return ParsedFile(
                file: file, statements: [],
                diagnostics: [.error("file contains a NUL byte", in: file, atOffset: offset)])
        }
        let result = file.text.withCString { pg_query_parse_protobuf($0) }
        defer { pg_query_free_protobuf_parse_result(result) }
        if let error = result.error?.pointee {
            let message = error.message.map { String(cString: $0) } ?? "syntax error"
            let offset =
                error.cursorpos > 0
                ? file.offset(ofScalarPosition: Int(error.cursorpos))
                : statementStart(before: file.bytes.count, in: file)
            return ParsedFile(
                file: file, statements: [], diagnostics: [.error(message, in: file, atOffset: offset)])
        }
        guard
            let unpacked = result.parse_tree.data.withMemoryRebound(
                to: UInt8.self, capacity: result.parse_tree.len,
                {
                    pg_query__parse_result__unpack(nil, result.parse_tree.len, $0)
                })
        else {
            return ParsedFile(
                file: file, statements: [],
                diagnostics: [
                    Diagnostic(
                        .error, "libpg_query returned a parse tree that could not be read",
                        at: SourceLocation(path: file.path, line: 1, column: 1))
                ])
        }
        defer { pg_query__parse_result__free_unpacked(unpacked, nil) }

        let decoder = ParseTreeDecoder(file: file)
        var statements: [Statement] = []
        let rawStatements = unpacked.pointee.stmts
        statements.reserveCapacity(unpacked.pointee.n_stmts)
        for index in 0..<unpacked.pointee.n_stmts {
            guard let raw = rawStatements?[index]?.pointee, let node = raw.stmt else { continue }
            let start = firstToken(from: Int(raw.stmt_location), in: file)
            let end = max(
                start, raw.stmt_len == 0 ? file.bytes.count : Int(raw.stmt_location) + Int(raw.stmt_len))
            statements.append(
                Statement(
                    kind: decoder.statement(node, location: start, length: end - start),
                    location: start, length: end - start))
        }
        return ParsedFile(file: file, statements: statements, diagnostics: [])
    }

    /// libpg_query's statement location includes the whitespace and comments
    /// after the previous semicolon; move to the statement's first token.
    static func firstToken(from offset: Int, in file: SourceFile) -> Int {
        let bytes = file.bytes
        var index = offset
        while index < bytes.count {
            let byte = bytes[index]
            // PostgreSQL's whitespace: space, \t, \n, \r, \f, \v; a `--` comment ends at \n or \r.
            if byte == 32 || (9...13).contains(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "-") {
                while index < bytes.count, !LineBreaks.isBreak(bytes[index]) { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                var depth = 1
                index += 2
                while index < bytes.count, depth > 0 {
                    if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/")
                    {
                        depth -= 1
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count,
                        bytes[index + 1] == UInt8(ascii: "*")
                    {
                        depth += 1
                        index += 2
                    } else {
                        index += 1
                    }
                }
            } else {
                return index
            }
        }
        return min(offset, bytes.count)
    }

    /// Where an error without a cursor is reported: the end of the text.
    private static func statementStart(before offset: Int, in file: SourceFile) -> Int {
        max(0, offset - 1)
    }
}
