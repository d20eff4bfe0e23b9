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
            PQclear(PQexec(connection, "DEALLOCATE ALL"))
            let prepared = PQprepare(connection, "sqlgen_check", query.sql, 0, nil)
            defer { PQclear(prepared) }
            guard PQresultStatus(prepared) == PGRES_COMMAND_OK else {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "query \"\(query.name)\" fails on the database (search_path \(used)): \(Self.message(PQresultErrorField(prepared, Int32(UInt8(ascii: "M")))))",
                        at: location))
                continue
            }
            let described = PQdescribePrepared(connection, "sqlgen_check")
            defer { PQclear(described) }
            let parameterTypes = (0..<PQnparams(described)).map { PQparamtype(described, $0) }
            let columnTypes = (0..<PQnfields(described)).map { PQftype(described, $0) }
            for oid in parameterTypes + columnTypes where typeNames[oid] == nil {
                typeNames[oid] = Self.formatType(oid, connection: connection)
            }
            for (parameter, oid) in zip(query.parameters, parameterTypes)
            where typeNames[oid] != parameter.type.formatted {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "query \"\(query.name)\": parameter $\(parameter.number) (\(parameter.name)) is \(parameter.type.formatted) to sqlgen but \(typeNames[oid] ?? "?") on the database",
                        at: location))
            }
            if columnTypes.count != query.columns.count {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "query \"\(query.name)\" returns \(query.columns.count) columns to sqlgen but \(columnTypes.count) on the database",
                        at: location))
            }
            for (column, oid) in zip(query.columns, columnTypes) where typeNames[oid] != column.type.formatted {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "query \"\(query.name)\": column \"\(column.name)\" is \(column.type.formatted) to sqlgen but \(typeNames[oid] ?? "?") on the database",
                        at: location))
            }
        }
        return diagnostics
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
