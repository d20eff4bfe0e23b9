import Foundation
import SQLGenCore
import SQLGenWire

/// `--database-url`: prepares every analysed query on a live server and
/// reports each parameter or column whose type the server sees differently.
struct LiveDatabaseCheck {
    let url: String
    /// The schemas unqualified names resolve through on the server (the tenant template first).
    let searchPath: [String]

    /// Diagnostics for every difference; an error diagnostic when the server cannot be reached.
    func check(_ queries: [AnalyzedQuery]) async -> [Diagnostic] {
        let connection: WireConnection
        do {
            connection = try await WireConnection.open(url: url)
        } catch {
            return [Diagnostic(.error, "cannot connect to the database: \(error.message)")]
        }
        do {
            return try await check(queries, on: connection)
        } catch {
            return [Diagnostic(.error, "the database failed a statement of the check: \(error.message)")]
        }
    }

    /// The diagnostics for `queries` on `connection`; throws when a statement of the check itself fails.
    private func check(_ queries: [AnalyzedQuery], on connection: WireConnection) async throws(WireFailure)
        -> [Diagnostic]
    {
        var diagnostics: [Diagnostic] = []
        // The URL's own `options=-csearch_path=...` wins; else the configuration's schemas (or --search-path).
        if !urlSetsSearchPath {
            let path = searchPath.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                separator: ", ")
            _ = try await connection.rows("SET search_path TO \(path)")
        }
        let used = try await Self.scalar("SHOW search_path", on: connection) ?? "?"
        var missing: [String] = []
        for schema in searchPath where !urlSetsSearchPath {
            let literal = "'" + schema.replacingOccurrences(of: "'", with: "''") + "'"
            if try await Self.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = \(literal)", on: connection)
                == "0"
            {
                missing.append(schema)
            }
        }
        if !missing.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "the database has no schema \(missing.map { "\"\($0)\"" }.joined(separator: ", ")): queries are prepared with search_path \(used); choose one with --search-path (a tenant's schema, say) or in the URL (options=-csearch_path=...)"
                ))
        }
        var typeNames: [UInt32: String] = [:]
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
                try await check(
                    statement.sql, named: statement.name, parameters: statement.parameters, columns: query.columns,
                    searchPath: used, at: location, connection: connection, typeNames: &typeNames,
                    diagnostics: &diagnostics)
            }
        }
        return diagnostics
    }

    /// Prepares one statement and compares what the server says of its parameters and columns with
    /// sqlgen's analysis. `name` says which statement: `query "Name"`, and which variant of a dynamic one.
    private func check(
        _ sql: String, named name: String, parameters: [QueryParameter], columns: [ResultColumn],
        searchPath: String, at location: SourceLocation, connection: WireConnection,
        typeNames: inout [UInt32: String], diagnostics: inout [Diagnostic]
    ) async throws(WireFailure) {
        let shape: StatementShape
        do {
            shape = try await connection.describe(sql)
        } catch {
            diagnostics.append(
                Diagnostic(
                    .error, "\(name) fails on the database (search_path \(searchPath)): \(error.message)",
                    at: location))
            return
        }
        let parameterTypes = shape.parameterTypeOIDs
        let columnTypes = shape.columns.map(\.typeOID)
        for oid in parameterTypes + columnTypes where typeNames[oid] == nil {
            typeNames[oid] = try await Self.scalar("SELECT format_type(\(oid), NULL)", on: connection) ?? "oid \(oid)"
        }
        for (number, (parameter, oid)) in zip(parameters, parameterTypes).enumerated()
        where typeNames[oid] != parameter.type.formatted {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name): parameter $\(number + 1) (\(parameter.name)) is \(parameter.type.formatted) to sqlgen but \(typeNames[oid] ?? "?") on the database",
                    at: location))
        }
        if columnTypes.count != columns.count {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name) returns \(columns.count) columns to sqlgen but \(columnTypes.count) on the database",
                    at: location))
        }
        for (number, (column, described)) in zip(columns, shape.columns).enumerated()
        where described.name != column.name {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "\(name): column \(number + 1) is named \"\(column.name)\" by sqlgen but \"\(described.name)\" by the database",
                    at: location))
        }
        for (column, oid) in zip(columns, columnTypes) where typeNames[oid] != column.type.formatted {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name): column \"\(column.name)\" is \(column.type.formatted) to sqlgen but \(typeNames[oid] ?? "?") on the database",
                    at: location))
        }
    }

    /// Whether the URL sets the search path itself (`options=-csearch_path=...` or `-c search_path=...`).
    var urlSetsSearchPath: Bool {
        let decoded = url.removingPercentEncoding ?? url
        return decoded.range(of: #"-c\s*search_path\s*="#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    /// The one value a query returns; nil when it returns NULL or another number of rows.
    private static func scalar(_ sql: String, on connection: WireConnection) async throws(WireFailure) -> String? {
        let rows = try await connection.rows(sql)
        return rows.count == 1 ? rows[0] : nil
    }
}
