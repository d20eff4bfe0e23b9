/// `-- name: GetContact :one` (or `/* name: GetContact :one */`) above a query,
/// with the comment lines above it.
struct QueryAnnotation {
    var name: String
    var command: QueryCommand
    /// Byte offsets of the name and of the command, for diagnostics.
    var nameOffset: Int
    var commandOffset: Int
    /// Byte offset of the annotation's comment.
    var offset: Int
    var documentation: [String]

    /// Finds the last annotation in the bytes `start..<end` of a file, and
    /// reports malformed ones.
    static func find(in file: SourceFile, from start: Int, to end: Int, diagnostics: inout [Diagnostic])
        -> QueryAnnotation?
    {
        let bytes = file.bytes
        var found: QueryAnnotation?
        var documentation: [String] = []
        var lineStart = max(0, start)
        let limit = min(end, bytes.count)
        while lineStart < limit {
            var lineEnd = lineStart
            while lineEnd < limit, !LineBreaks.isBreak(bytes[lineEnd]) { lineEnd += 1 }
            defer { lineStart = lineEnd + max(1, LineBreaks.length(in: bytes, at: lineEnd)) }
            var cursor = skipBlanks(bytes, lineStart, lineEnd)
            let isLineComment =
                cursor + 1 < lineEnd && bytes[cursor] == UInt8(ascii: "-") && bytes[cursor + 1] == UInt8(ascii: "-")
            let isBlockComment =
                cursor + 1 < lineEnd && bytes[cursor] == UInt8(ascii: "/") && bytes[cursor + 1] == UInt8(ascii: "*")
            guard isLineComment || isBlockComment else {
                documentation = []
                continue
            }
            let commentOffset = cursor
            var contentEnd = lineEnd
            if isBlockComment,
                let close = firstIndex(
                    of: [UInt8(ascii: "*"), UInt8(ascii: "/")], in: bytes, from: cursor + 2, to: lineEnd)
            {
                contentEnd = close
            }
            cursor = skipBlanks(bytes, cursor + 2, contentEnd)
            let prefix: [UInt8] = Array("name:".utf8)
            guard cursor + prefix.count <= contentEnd, Array(bytes[cursor..<cursor + prefix.count]) == prefix else {
                let text = String(decoding: bytes[cursor..<max(cursor, contentEnd)], as: UTF8.self)
                documentation.append(text.trimmingCharacters(in: .whitespaces))
                continue
            }
            cursor = skipBlanks(bytes, cursor + prefix.count, contentEnd)
            let (name, nameOffset) = token(bytes, &cursor, contentEnd)
            cursor = skipBlanks(bytes, cursor, contentEnd)
            let (commandWord, commandOffset) = token(bytes, &cursor, contentEnd)
            guard !name.isEmpty else {
                diagnostics.append(
                    .error(
                        "query annotation needs a name and a command, as in \"-- name: GetUser :one\"", in: file,
                        atOffset: nameOffset))
                continue
            }
            guard
                name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }),
                let first = name.unicodeScalars.first, !("0"..."9").contains(first)
            else {
                diagnostics.append(
                    .error("query name \"\(name)\" is not a valid identifier", in: file, atOffset: nameOffset))
                continue
            }
            guard !commandWord.isEmpty else {
                diagnostics.append(
                    .error("query \"\(name)\" has no command (:one, :many, :exec, ...)", in: file, atOffset: nameOffset)
                )
                continue
            }
            if commandWord == ":execlastid" {
                diagnostics.append(
                    .error(
                        "\":execlastid\" means nothing on PostgreSQL, which has no last insert id: add RETURNING id and use :one",
                        in: file, atOffset: commandOffset))
                continue
            }
            guard commandWord.hasPrefix(":"), let command = QueryCommand(rawValue: String(commandWord.dropFirst()))
            else {
                let known = QueryCommand.allCases.map { ":" + $0.rawValue }.joined(separator: ", ")
                diagnostics.append(
                    .error(
                        "unknown query command \"\(commandWord)\" (expected one of \(known))", in: file,
                        atOffset: commandOffset))
                continue
            }
            found = QueryAnnotation(
                name: name, command: command, nameOffset: nameOffset, commandOffset: commandOffset,
                offset: commentOffset,
                documentation: documentation)
            documentation = []
        }
        return found
    }

    private static func skipBlanks(_ bytes: [UInt8], _ from: Int, _ end: Int) -> Int {
        var index = from
        while index < end, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 13 { index += 1 }
        return index
    }

    private static func token(_ bytes: [UInt8], _ cursor: inout Int, _ end: Int) -> (String, Int) {
        let start = cursor
        while cursor < end, bytes[cursor] != 32, bytes[cursor] != 9, bytes[cursor] != 13 { cursor += 1 }
        return (String(decoding: bytes[start..<cursor], as: UTF8.self), start)
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from: Int, to end: Int) -> Int? {
        var index = from
        while index + needle.count <= end {
            if bytes[index] == needle[0], bytes[index + 1] == needle[1] { return index }
            index += 1
        }
        return nil
    }
}
