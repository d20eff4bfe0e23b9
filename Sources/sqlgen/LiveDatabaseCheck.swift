import Foundation
import SQLGenCore
import SQLGenRuntime

/// `--database-url`: prepares every analysed query on a live server and
/// reports each parameter or column whose type the server sees differently.
struct LiveDatabaseCheck {
    let url: String
    /// The schemas unqualified names resolve through on the server (the tenant template first).
    let searchPath: [String]

    /// Diagnostics for every difference; an error diagnostic when the server cannot be reached.
    func check(_ queries: [AnalyzedQuery]) async -> [Diagnostic] {
        let configuration: PostgresConfiguration
        do {
            configuration = try PostgresConfiguration(url: url)
        } catch {
            return [Diagnostic(.error, "cannot connect to the database: \(error.description)")]
        }
        let session: PostgresSession
        do {
            session = try await PostgresSession.connect(configuration)
        } catch {
            return [Diagnostic(.error, "cannot connect to the database: \(error.message)")]
        }
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try await check(queries, on: session)
        } catch {
            diagnostics = [Diagnostic(.error, "the database check stopped: \(error.message)")]
        }
        await session.close()
        return diagnostics
    }

    private func check(_ queries: [AnalyzedQuery], on session: PostgresSession) async throws(SQLGenError)
        -> [Diagnostic]
    {
        var diagnostics: [Diagnostic] = []
        // The URL's own `options=-csearch_path=...` wins; else the configuration's schemas (or --search-path).
        if !urlSetsSearchPath {
            let path = searchPath.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                separator: ", ")
            try await session.simpleQuery("SET search_path TO \(path)")
        }
        let used = try await scalar("SELECT current_setting('search_path')", on: session) ?? "?"
        if !urlSetsSearchPath {
            let existing = try await session.query(
                ColumnQueryStatement(
                    name: "existingSchemas", scope: .global, column: String.self, values: searchPath,
                    sql: "SELECT nspname::text FROM pg_namespace WHERE nspname = ANY($1)"))
            let missing = searchPath.filter { !existing.contains($0) }
            if !missing.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        "the database has no schema \(missing.map { "\"\($0)\"" }.joined(separator: ", ")): queries are prepared with search_path \(used); choose one with --search-path (a tenant's schema, say) or in the URL (options=-csearch_path=...)"
                    ))
            }
        }
        var typeNames = TypeNames()
        for query in queries {
            let location = SourceLocation(path: query.file, line: query.line, column: 1)
            // A dynamic query is each of its variants, with the parameters each binds.
            let statements: [(name: String, sql: String, parameters: [QueryParameter])] =
                query.dynamic.map { dynamic in
                    dynamic.variants.enumerated().map { index, variant in
                        (
                            "query \"\(query.name)\" (\(dynamic.describe(variant: index)))", variant.sql,
                            variant.parameterPositions.map { query.parameters[$0] }
                        )
                    }
                } ?? [("query \"\(query.name)\"", query.sql, query.parameters)]
            for statement in statements {
                let description: StatementDescription
                do {
                    description = try await session.describe(statement.sql)
                } catch  where error.kind == .server {
                    diagnostics.append(
                        Diagnostic(
                            .error, "\(statement.name) fails on the database (search_path \(used)): \(error.message)",
                            at: location))
                    continue
                }
                try await typeNames.learn(description, on: session)
                diagnostics += differences(
                    description, named: statement.name, parameters: statement.parameters, columns: query.columns,
                    typeNames: typeNames, at: location)
            }
        }
        return diagnostics
    }

    /// How the server's description of one statement differs from sqlgen's analysis. `name` says which
    /// statement: `query "Name"`, and which variant of a dynamic one.
    private func differences(
        _ description: StatementDescription, named name: String, parameters: [QueryParameter],
        columns: [ResultColumn], typeNames: TypeNames, at location: SourceLocation
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (number, (parameter, oid)) in zip(parameters, description.parameterTypeOIDs).enumerated()
        where typeNames[oid] != parameter.type.formatted {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name): parameter $\(number + 1) (\(parameter.name)) is \(parameter.type.formatted) to sqlgen but \(typeNames[oid]) on the database",
                    at: location))
        }
        if description.columns.count != columns.count {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name) returns \(columns.count) columns to sqlgen but \(description.columns.count) on the database",
                    at: location))
        }
        for (column, described) in zip(columns, description.columns)
        where typeNames[described.typeOID] != column.type.formatted {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name): column \"\(column.name)\" is \(column.type.formatted) to sqlgen but \(typeNames[described.typeOID]) on the database",
                    at: location))
        }
        return diagnostics
    }

    /// Whether the URL sets the search path itself (`options=-csearch_path=...` or `-c search_path=...`).
    var urlSetsSearchPath: Bool {
        let decoded = url.removingPercentEncoding ?? url
        return decoded.range(of: #"-c\s*search_path\s*="#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    /// The one value a query returns, nil when it returns none.
    private func scalar(_ sql: String, on session: PostgresSession) async throws(SQLGenError) -> String? {
        try await session.queryFirst(
            ColumnQueryStatement(name: "setting", scope: .global, column: String.self, sql: sql))
    }
}

/// The server's spelling of each type OID the check has met (`format_type(oid, NULL)`), asked once per type.
private struct TypeNames {
    private var names: [UInt32: String] = [:]

    /// The type's name as the server spells it.
    subscript(oid: UInt32) -> String { names[oid] ?? "oid \(oid)" }

    /// Asks the server for every type of `description` not yet known.
    mutating func learn(_ description: StatementDescription, on session: PostgresSession) async throws(SQLGenError) {
        let unknown = Set(description.parameterTypeOIDs + description.columns.map(\.typeOID)).filter {
            names[$0] == nil
        }
        guard !unknown.isEmpty else { return }
        let rows = try await session.query(
            QueryStatement(
                name: "formatType", scope: .global, row: TypeName.self, values: unknown.map { Int64($0) },
                sql: "SELECT oid::int8, format_type(oid, NULL) FROM unnest($1::int8[]) AS t(oid)"))
        for row in rows { names[UInt32(truncatingIfNeeded: row.oid)] = row.name }
    }
}

/// One row of the type-name lookup: a type's OID and its name.
private struct TypeName: SQLRowDecodable {
    let oid: Int64
    let name: String

    init(decoding row: SQLRow) throws(SQLGenError) {
        (oid, name) = try row.decodeColumns(Int64.self, String.self)
    }
}
