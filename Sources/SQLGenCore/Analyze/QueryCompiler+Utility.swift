/// Annotated statements that are neither SELECT, INSERT, UPDATE nor DELETE: TRUNCATE, REFRESH
/// MATERIALIZED VIEW, VACUUM, ANALYZE, LOCK, NOTIFY, CALL, DO, and DDL. They return no rows and take no
/// parameters (PostgreSQL accepts none in them), so they run with `:exec`, `:execrows` or `:execresult`.
///
/// What would outlive the statement in a pooled session is refused: a session-level SET or RESET,
/// LISTEN, PREPARE, cursors, temporary objects, transaction control (the runtime's transactions do that).
extension QueryCompiler {
    static func analyzeUtility(
        _ statement: Statement, annotation: QueryAnnotation, file: SourceFile, context: AnalysisContext,
        diagnostics: inout [Diagnostic]
    ) -> AnalyzedQuery? {
        let words = leadingWords(of: statement, in: file)
        let keywords = statementKeywords(words)
        func fail(_ message: String, at offset: Int) -> AnalyzedQuery? {
            diagnostics.append(.error(message, in: file, atOffset: offset))
            return nil
        }
        guard [.exec, .execrows, .execresult].contains(annotation.command) else {
            return fail(
                "query \"\(annotation.name)\" is a \(keywords) statement, which returns no rows: use :exec, :execrows or :execresult",
                at: annotation.commandOffset)
        }
        if let reason = outlivesTheStatement(words) {
            return fail(
                "query \"\(annotation.name)\" would \(reason), which on a pooled connection outlives the statement and reaches the next lease; \(remedy(words))",
                at: statement.location)
        }
        let text = StatementText(bytes: file.bytes)
        if let parameter = text.firstParameter(statement.location..<(statement.location + statement.length)) {
            return fail("PostgreSQL takes no parameters in \(keywords)", at: parameter)
        }
        var scope = QueryScope.unscoped
        var relations: [String] = []
        if case .utility(let utility) = statement.kind {
            for relation in utility.relations {
                guard let resolved = resolve(relation, context: context) else {
                    return fail(
                        "relation \"\(relation)\" does not exist",
                        at: relation.location >= 0 ? relation.location : statement.location)
                }
                relations.append(resolved)
            }
        }
        if let tenancy = context.tenancy {
            // A statement whose relations sqlgen cannot see runs with only the shared schemas on its path.
            scope = .global
            for (relation, written) in zip(relations, relationsOf(statement)) {
                let schema = relation.split(separator: ".").first.map(String.init) ?? ""
                if schema == tenancy.templateSchema {
                    scope = .tenant
                } else if !tenancy.sharedSchemas.contains(schema) {
                    return fail(
                        "query \"\(annotation.name)\" reaches into schema \"\(schema)\", which is neither the tenant template nor a shared schema, so it could not be routed to one tenant",
                        at: written.location >= 0 ? written.location : statement.location)
                }
            }
            if scope == .tenant, words.first == "vacuum" {
                return fail(
                    "VACUUM cannot run inside a transaction block, and a tenant's statement runs in one (its search path is set and checked around it): vacuum tenant tables from a maintenance job",
                    at: statement.location)
            }
        }
        let rewritten = QueryParameters().rewrite(file, statementStart: statement.location, length: statement.length)
        let truncates = words.first == "truncate" || words.first == "refresh"
        return AnalyzedQuery(
            name: annotation.name, command: annotation.command, file: file.path,
            line: file.line(ofOffset: annotation.offset), sql: rewritten.sql, documentation: annotation.documentation,
            scope: scope, tablesRead: truncates ? [] : relations, tablesWritten: truncates ? relations : [],
            parameters: [], columns: [])
    }

    /// The relations a maintenance statement names, as written.
    private static func relationsOf(_ statement: Statement) -> [QualifiedName] {
        if case .utility(let utility) = statement.kind { return utility.relations }
        return []
    }

    /// `schema.name` of the relation a name finds on the query's search path.
    private static func resolve(_ name: QualifiedName, context: AnalysisContext) -> String? {
        let schemas = name.schema.map { [$0] } ?? context.searchPath
        for schema in schemas where context.catalog.schemas[schema]?.tables[name.name] != nil {
            return "\(schema).\(name.name)"
        }
        return nil
    }

    /// What the statement would leave in the session, or nil when it leaves nothing.
    private static func outlivesTheStatement(_ words: [String]) -> String? {
        guard let first = words.first else { return nil }
        let second = words.dropFirst().first ?? ""
        switch first {
        case "set" where !["local", "transaction", "constraints"].contains(second), "reset":
            return "change a setting for the rest of the session"
        case "listen", "unlisten":
            return "change what the session listens to"
        case "prepare", "deallocate", "execute", "discard", "load":
            return "change the session's prepared statements or state"
        case "declare", "fetch", "move", "close":
            return "use a cursor"
        case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release":
            return "control the transaction"
        case "create" where words.contains("temp") || words.contains("temporary"):
            return "create a temporary object"
        case "copy":
            return "use COPY, which needs the copy protocol"
        default:
            return nil
        }
    }

    /// The words that say what the statement is: `TRUNCATE`, `CREATE INDEX`, `REFRESH MATERIALIZED VIEW`.
    private static func statementKeywords(_ words: [String]) -> String {
        let objectKinds: Set<String> = [
            "table", "index", "view", "function", "procedure", "type", "domain", "schema", "extension", "sequence",
            "trigger", "policy", "role", "aggregate", "operator", "collation", "statistics", "rule", "cast",
        ]
        guard let first = words.first, ["create", "alter", "drop", "refresh"].contains(first),
            let kind = words.firstIndex(where: { objectKinds.contains($0) })
        else { return (words.first ?? "").uppercased() }
        return words[...kind].joined(separator: " ").uppercased()
    }

    /// What to write instead.
    private static func remedy(_ words: [String]) -> String {
        switch words.first {
        case "set", "reset": return "use SET LOCAL inside withTransaction, or set_config(name, value, true)"
        case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release":
            return "run the queries inside withTransaction"
        case "copy": return "write an INSERT ... VALUES with :copyfrom"
        case "declare", "fetch", "move", "close": return "stream a :many query instead"
        default: return "run it from a migration or on a connection of its own"
        }
    }

    /// The statement's first words, lowercased, outside comments and quotes.
    private static func leadingWords(of statement: Statement, in file: SourceFile) -> [String] {
        let end = min(statement.location + statement.length, file.bytes.count)
        var words: [String] = []
        var index = statement.location
        while index < end, words.count < 6 {
            var wordEnd = index
            while wordEnd < end, file.bytes[wordEnd] | 0x20 >= UInt8(ascii: "a"),
                file.bytes[wordEnd] | 0x20 <= UInt8(ascii: "z")
            {
                wordEnd += 1
            }
            if wordEnd > index {
                words.append(String(decoding: file.bytes[index..<wordEnd], as: UTF8.self).lowercased())
                index = wordEnd
            } else if file.bytes[index] == 32 || (9...13).contains(file.bytes[index]) {
                index += 1
            } else {
                break
            }
        }
        return words
    }
}
