import CLibPQ
import Foundation
import SQLGenCore

/// `--database-url`: prepares every analysed query on a live server and
/// reports each parameter or column whose type the server sees differently.
struct LiveDatabaseCheck {
    let url: String
    /// The schemas unqualified names resolve through on the server (the tenant template first).
    let searchPath: [String]

    /// Diagnostics for every difference; an error diagnostic when the server cannot be reached.
    func check(_ queries: [AnalyzedQuery]) -> [Diagnostic] {
        guard let connection = PQconnectdb(url) else {
            return [Diagnostic(.error, "cannot connect to the database: out of memory")]
        }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            return [Diagnostic(.error, "cannot connect to the database: \(Self.message(PQerrorMessage(connection)))")]
        }
        var diagnostics: [Diagnostic] = []
        // The URL's own `options=-csearch_path=...` wins; else the configuration's schemas (or --search-path).
        if !urlSetsSearchPath {
            let path = searchPath.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                separator: ", ")
            PQclear(PQexec(connection, "SET search_path TO \(path)"))
        }
        let used = Self.scalar("SHOW search_path", connection: connection) ?? "?"
        let missing = searchPath.filter { schema in
            let literal = "'" + schema.replacingOccurrences(of: "'", with: "''") + "'"
            return !urlSetsSearchPath
                && Self.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = \(literal)", connection: connection)
                    == "0"
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
                check(
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
        searchPath: String, at location: SourceLocation, connection: OpaquePointer,
        typeNames: inout [UInt32: String], diagnostics: inout [Diagnostic]
    ) {
        PQclear(PQexec(connection, "DEALLOCATE ALL"))
        let prepared = PQprepare(connection, "sqlgen_check", sql, 0, nil)
        defer { PQclear(prepared) }
        guard PQresultStatus(prepared) == PGRES_COMMAND_OK else {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(name) fails on the database (search_path \(searchPath)): \(Self.message(PQresultErrorField(prepared, Int32(UInt8(ascii: "M")))))",
                    at: location))
            return
        }
        let described = PQdescribePrepared(connection, "sqlgen_check")
        defer { PQclear(described) }
        let parameterTypes = (0..<PQnparams(described)).map { PQparamtype(described, $0) }
        let columnTypes = (0..<PQnfields(described)).map { PQftype(described, $0) }
        for oid in parameterTypes + columnTypes where typeNames[oid] == nil {
            typeNames[oid] = Self.formatType(oid, connection: connection)
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

    /// The one value a query returns, or nil when it fails.
    private static func scalar(_ sql: String, connection: OpaquePointer) -> String? {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK, PQntuples(result) == 1 else { return nil }
        return String(cString: PQgetvalue(result, 0, 0))
    }

    private static func formatType(_ oid: UInt32, connection: OpaquePointer) -> String {
        scalar("SELECT format_type(\(oid), NULL)", connection: connection) ?? "oid \(oid)"
    }

    private static func message(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
