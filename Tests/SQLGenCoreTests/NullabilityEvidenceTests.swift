import CLibPQ
import Foundation
import Testing

@testable import SQLGenCore

/// sqlgen's "never NULL" claims checked against what the server returns: every query of each
/// corpus (each variant of a dynamic one) runs on empty tables and on tables of adversarial data
/// from the corpus's `adversarial.sql` (NULL wherever allowed, orphans for outer joins, empty strings
/// and arrays, ±infinity, extremes),
/// inside a transaction that is rolled back, and a column sqlgen calls never NULL must hold no NULL.
@Suite(.serialized) struct NullabilityEvidenceTests {
    /// A value for a parameter of `type`, or nil for a type this test does not make values of.
    static func sample(_ type: SQLType) -> String? {
        if type.isArray {
            return sample(type.element).map { "{\"\($0)\"}" }
        }
        switch type.formatted {
        case "bigint", "integer", "smallint", "numeric", "double precision", "real": return "1"
        case "text", "character varying", "citext", "email_address", "character": return "a@x"
        case "boolean": return "true"
        case "timestamp with time zone", "timestamp without time zone": return "infinity"
        case "date": return "2000-01-01"
        case "interval": return "1 day"
        case "jsonb", "json": return "{}"
        case "uuid": return "00000000-0000-0000-0000-000000000001"
        case "order_status": return "shipped"
        case "priority": return "high"
        case "positive_amount": return "1"
        default: return nil
        }
    }

    @Test(arguments: QueryCorpusTests.Corpus.all)
    func columnsCalledNeverNullHoldNoNull(_ corpus: QueryCorpusTests.Corpus) throws {
        let (_, queries, diagnostics) = try QueryCorpusTests.load(corpus)
        #expect(errors(diagnostics) == [])
        let server = try PostgresTestConnection.freshDatabase("nullability_evidence_\(corpus.name)")
        try server.execute(String(contentsOfFile: corpus.root + "/schema.sql", encoding: .utf8))
        let adversarialData = try String(contentsOfFile: corpus.root + "/adversarial.sql", encoding: .utf8)
        var violations: [String] = []
        var ran = 0
        var withRows = 0
        for filled in [false, true] {
            if filled { try server.execute(adversarialData) }
            for query in queries where !query.columns.isEmpty && query.command != .copyfrom {
                let statements: [(sql: String, parameters: [QueryParameter])] =
                    query.dynamic?.variants.map { variant in
                        (variant.sql, variant.parameterPositions.map { query.parameters[$0] })
                    } ?? [(query.sql, query.parameters)]
                for statement in statements {
                    // NULL for what may be NULL, a value of its type for the rest.
                    var values: [String?] = []
                    var known = true
                    for parameter in statement.parameters {
                        if parameter.nullable {
                            values.append(nil)
                        } else if let value = Self.sample(parameter.type) {
                            values.append(value)
                        } else {
                            known = false
                        }
                    }
                    guard known else { continue }
                    guard let rows = server.runRolledBack(statement.sql, values) else { continue }
                    ran += 1
                    if !rows.isEmpty { withRows += 1 }
                    for (index, column) in query.columns.enumerated() where !column.nullable {
                        if rows.contains(where: { index < $0.count && $0[index] == nil }) {
                            violations.append(
                                "\(query.name) (\(filled ? "adversarial rows" : "empty tables")): \(column.name) is NULL, claimed never NULL"
                            )
                        }
                    }
                }
            }
        }
        #expect(violations == [])
        // Enough of the corpus ran, and found rows, for the check to mean something.
        #expect(ran >= corpus.minimumEvidenceRuns, "ran \(ran)")
        #expect(withRows >= corpus.minimumEvidenceRuns * 2 / 5, "with rows \(withRows)")
    }
}

extension PostgresTestConnection {
    /// Runs one statement with text parameters inside a transaction that is rolled back; its rows, or
    /// nil when the server rejects it (a constraint, a value this test made up, a statement that runs
    /// out of time).
    func runRolledBack(_ sql: String, _ values: [String?]) -> [[String?]]? {
        PQclear(PQexec(connection, "BEGIN"))
        // A sample value can make a statement endless (a series from infinity to infinity).
        PQclear(PQexec(connection, "SET LOCAL statement_timeout = '5s'"))
        defer { PQclear(PQexec(connection, "ROLLBACK")) }
        var copies = values.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let result: OpaquePointer? = copies.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return PQexecParams(connection, sql, 0, nil, nil, nil, nil, 0) }
            return base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                PQexecParams(connection, sql, Int32(buffer.count), nil, $0, nil, nil, 0)
            }
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else { return nil }
        return (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }
}
