import CLibPQ
import Foundation
import Testing

@testable import SQLGenCore

/// sqlgen's "never NULL" claims checked against what the server returns: every query of the shop
/// corpus (each variant of a dynamic one) runs on empty tables and on tables of adversarial data
/// (NULL wherever allowed, orphans for outer joins, empty strings and arrays, ±infinity, extremes),
/// inside a transaction that is rolled back, and a column sqlgen calls never NULL must hold no NULL.
@Suite(.serialized) struct NullabilityEvidenceTests {
    /// Rows that make NULLs appear wherever the schema lets them, and values strict functions may
    /// turn into NULL.
    static let adversarialData = """
        INSERT INTO customers (id, email, name, nickname, tags, prefs, created_at, birthday, home, referrer_id) VALUES
            (1, 'a@x', 'A', NULL, '{}', NULL, 'infinity', NULL, NULL, NULL),
            (2, 'b@x', '', '', '{"", NULL}', 'null', '-infinity', '0001-01-01', ROW(NULL, NULL, NULL), 1),
            (3, 'c@x', 'C', 'c', '{vip}', '{}', now(), 'infinity', ROW('s', 'c', '1'), NULL);
        INSERT INTO products (id, sku, title, price, weight_kg, attributes, categories, active) VALUES
            (1, 's1', 'P1', 1, NULL, '{}', NULL, true),
            (2, '', '', 99999999.99, 'NaN', '{"a": null}', '{}', false),
            (3, 's3', 'P3', 0.01, 'Infinity', '[]', '{NULL}', true);
        INSERT INTO orders (id, customer_id, status, placed_at, shipped_at, note, total) VALUES
            (1, 1, 'pending', 'infinity', NULL, NULL, NULL),
            (2, 1, 'shipped', '-infinity', 'infinity', '', 0),
            (3, 2, 'paid', now(), NULL, 'n', 12.5);
        INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 0, 0), (3, 3, 2, 1.5);
        INSERT INTO events (kind, payload, occurred_at, customer_id) VALUES
            ('', '{}', 'infinity', NULL), ('k', 'null', '-infinity', 99), ('k', '{"items": [null]}', now(), 1);
        """

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
        case "positive_amount": return "1"
        default: return nil
        }
    }

    @Test func columnsCalledNeverNullHoldNoNull() throws {
        let (_, queries, diagnostics) = try QueryCorpusTests.load()
        #expect(errors(diagnostics) == [])
        let server = try PostgresTestConnection.freshDatabase("nullability_evidence")
        try server.execute(String(contentsOfFile: QueryCorpusTests.root + "/schema.sql", encoding: .utf8))
        var violations: [String] = []
        var ran = 0
        var withRows = 0
        for filled in [false, true] {
            if filled { try server.execute(Self.adversarialData) }
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
        #expect(ran >= 200, "ran \(ran)")
        #expect(withRows >= 80, "with rows \(withRows)")
    }
}

extension PostgresTestConnection {
    /// Runs one statement with text parameters inside a transaction that is rolled back; its rows, or
    /// nil when the server rejects it (a constraint, a value this test made up).
    func runRolledBack(_ sql: String, _ values: [String?]) -> [[String?]]? {
        PQclear(PQexec(connection, "BEGIN"))
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
