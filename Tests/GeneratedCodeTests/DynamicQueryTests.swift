import Foundation
import SQLGenRuntime
import Testing

/// The dynamic queries of the corpus (`dynamic.sql`) on the real server: every combination of
/// arguments, so every variant, returns what the same filter and order computed in Swift return.
@Suite struct DynamicQueryTests {
    /// An order as the test inserts it.
    struct Order {
        var id: Int
        var customer: Int
        var status: OrderStatus
        var placedAt: Date
        var total: Decimal?
        var note: String?
    }

    static let base = Date(timeIntervalSince1970: 1_800_000_000)
    static let statuses: [OrderStatus] = [.pending, .paid, .shipped, .cancelled]

    /// 24 orders of three customers; placing times repeat (12 distinct days), so ties are broken by id,
    /// and every fifth total is NULL.
    static let orders: [Order] = (1...24).map { index in
        Order(
            id: index, customer: index % 3 + 1, status: statuses[index % 4],
            placedAt: base.addingTimeInterval(Double((index * 5) % 12) * 86_400),
            total: index % 5 == 0 ? nil : Decimal(index * 10 % 70 + 5),
            note: index % 4 == 0 ? "gift" : (index % 7 == 0 ? "x' OR '1'='1" : nil))
    }

    static func database(_ name: String) async throws -> PostgresSession {
        let connection = try await GeneratedCodeTests.database(name)
        var sql = "INSERT INTO customers (id, email, name) VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'), (3, 'c@x', 'C');\n"
        for order in orders {
            let total = order.total.map { "\($0)" } ?? "NULL"
            let note = order.note.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
            sql +=
                "INSERT INTO orders (id, customer_id, status, placed_at, total, note) VALUES (\(order.id), \(order.customer), '\(order.status.rawValue)', to_timestamp(\(order.placedAt.timeIntervalSince1970)), \(total), \(note));\n"
        }
        try await connection.simpleQuery(sql)
        return connection
    }

    /// The ids in the order `sort` asks for, ties broken by id; NULL sorts as PostgreSQL sorts it:
    /// last ascending, first descending.
    static func sorted(_ orders: [Order], by sort: DynamicQueries.SearchOrdersSort) -> [Int] {
        func total(_ order: Order, descending: Bool) -> Decimal {
            order.total ?? (descending ? Decimal.greatestFiniteMagnitude : -Decimal.greatestFiniteMagnitude)
        }
        return orders.sorted { left, right in
            switch sort {
            case .placedAtAscending where left.placedAt != right.placedAt: return left.placedAt < right.placedAt
            case .placedAtDescending where left.placedAt != right.placedAt: return left.placedAt > right.placedAt
            case .totalAscending where left.total != right.total:
                return (left.total ?? Decimal.greatestFiniteMagnitude)
                    < (right.total ?? Decimal.greatestFiniteMagnitude)
            case .totalDescending where left.total != right.total:
                return total(left, descending: true) > total(right, descending: true)
            default: return left.id < right.id
            }
        }.map(\.id)
    }

    @Test func everyVariantOfASearchFiltersAndSortsAsWritten() async throws {
        let connection = try await Self.database("generated_dynamic_search")
        defer { Task { await connection.close() } }
        let queries = DynamicQueries(connection)
        let from = Self.base.addingTimeInterval(3 * 86_400)
        let until = Self.base.addingTimeInterval(9 * 86_400)
        var statements: Set<String> = []
        for customer in [nil, 2] as [Int?] {
            for status in [nil, .paid] as [OrderStatus?] {
                for placedFrom in [nil, from] as [Date?] {
                    for placedUntil in [nil, until] as [Date?] {
                        for sort in DynamicQueries.SearchOrdersSort.allCases {
                            let rows = try await queries.searchOrders(
                                maxRows: 100, customerID: customer, status: status, placedFrom: placedFrom,
                                placedUntil: placedUntil, sort: sort)
                            let expected = Self.orders.filter { order in
                                (customer.map { order.customer == $0 } ?? true)
                                    && (status.map { order.status == $0 } ?? true)
                                    && (placedFrom.map { order.placedAt >= $0 } ?? true)
                                    && (placedUntil.map { order.placedAt < $0 } ?? true)
                            }
                            let arguments =
                                "\(String(describing: customer)) \(String(describing: status)) \(String(describing: placedFrom)) \(String(describing: placedUntil)) \(sort)"
                            #expect(rows.map(\.id) == Self.sorted(expected, by: sort), "\(arguments)")
                            #expect(!expected.isEmpty || customer != nil, "\(arguments)")
                            statements.insert(arguments)
                        }
                    }
                }
            }
        }
        #expect(statements.count == 64)
        // Each variant is prepared once on this connection and reused.
        let prepared = try await connection.queryOne(
            ColumnQueryStatement(
                name: "PreparedSearches", scope: .unscoped, column: Int.self,
                sql: "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT o.id, o.customer_id%'"))
        #expect(prepared == 64)
        // The limit is bound in every variant.
        let two = try await queries.searchOrders(maxRows: 2, status: .paid, sort: .totalDescending)
        #expect(
            two.map(\.id)
                == Array(Self.sorted(Self.orders.filter { $0.status == .paid }, by: .totalDescending).prefix(2)))
    }

    @Test func aCountIsItsValueAndAConditionOfTwoArgumentsNeedsBoth() async throws {
        let connection = try await Self.database("generated_dynamic_count")
        defer { Task { await connection.close() } }
        let queries = DynamicQueries(connection)
        #expect(try await queries.countOrders() == Self.orders.count)
        #expect(try await queries.countOrders(customerIDs: [1, 3]) == Self.orders.filter { $0.customer != 2 }.count)
        let inRange = Self.orders.filter { ($0.total ?? -1) >= 20 && ($0.total ?? -1) <= 50 }
        #expect(try await queries.countOrders(minTotal: 20, maxTotal: 50) == inRange.count)
        // One of the two: the condition is left out.
        #expect(try await queries.countOrders(minTotal: 20) == Self.orders.count)
        // A value is bound, never spliced: the quote is text.
        let quoted = Self.orders.filter { $0.note == "x' OR '1'='1" }
        #expect(!quoted.isEmpty)
        #expect(try await queries.countOrders(note: "x' OR '1'='1") == quoted.count)
        #expect(
            try await queries.countOrders(customerIDs: [1], minTotal: 20, maxTotal: 50, note: "gift")
                == inRange.filter { $0.customer == 1 && $0.note == "gift" }.count)
    }

    @Test func aSortOnlyQueryOfOneColumnStreamsInEveryOrder() async throws {
        let connection = try await Self.database("generated_dynamic_sort")
        defer { Task { await connection.close() } }
        let queries = DynamicQueries(connection)
        #expect(try await queries.orderIDs() == Self.orders.map(\.id))
        #expect(try await queries.orderIDs(sort: .idDescending) == Self.orders.map(\.id).reversed())
        let byPlaced = Self.orders.sorted { ($0.placedAt, $0.id) < ($1.placedAt, $1.id) }.map(\.id)
        var streamed: [Int] = []
        for try await id in queries.orderIDsStream(sort: .placedAscending) { streamed.append(id) }
        #expect(streamed == byPlaced)
        let descending = Self.orders.sorted { $0.placedAt != $1.placedAt ? $0.placedAt > $1.placedAt : $0.id < $1.id }
        #expect(try await queries.orderIDs(sort: .placedDescending) == descending.map(\.id))
        // The raw values are the keys, `-` for descending.
        #expect(DynamicQueries.OrderIDsSort(rawValue: "-placed") == .placedDescending)
        #expect(
            DynamicQueries.SearchOrdersSort.allCases.map(\.rawValue) == ["placed_at", "-placed_at", "total", "-total"])
    }
}

extension DynamicQueryTests {
    /// A parameter named `index` switches its own condition, and an outer join's model is optional in
    /// every variant when one variant leaves the join outer.
    @Test func parametersNamedLikeLocalsAndOptionalEmbeddedModels() async throws {
        let connection = try await Self.database("generated_dynamic_names")
        defer { Task { await connection.close() } }
        try await connection.simpleQuery("UPDATE customers SET referrer_id = 1 WHERE id = 2")
        let queries = DynamicQueries(connection)
        #expect(try await queries.customersNamed() == [1, 2, 3])
        #expect(try await queries.customersNamed(index: "B") == [2])
        let all = try await queries.customersWithReferrer()
        let referrers: [Customer?] = all.map(\.customer2)
        #expect(all.map(\.customer.id) == [1, 2, 3])
        #expect(referrers.map { $0?.id } == [nil, 1, nil])
        let referred = try await queries.customersWithReferrer(referrerName: "A")
        #expect(referred.map(\.customer.id) == [2])
    }
}

/// Maintenance statements of the corpus (`maintenance.sql`) run through their generated functions.
@Suite struct MaintenanceQueryTests {
    @Test func maintenanceStatementsRun() async throws {
        let connection = try await GeneratedCodeTests.database("generated_maintenance")
        defer { Task { await connection.close() } }
        try await connection.simpleQuery(
            "INSERT INTO events (kind, payload, occurred_at) VALUES ('a', '{}', now()), ('b', '{}', now())")
        let queries = MaintenanceQueries(connection)
        try await queries.clearEvents()
        try await queries.analyzeCustomers()
        try await queries.notifyOrders()
        try await queries.touchNothing()
        try await connection.withTransaction { transaction in
            try await MaintenanceQueries(transaction).lockOrders()
        }
        let left = try await connection.queryOne(
            ColumnQueryStatement(
                name: "Events", scope: .unscoped, column: Int.self, sql: "SELECT count(*) FROM events"))
        #expect(left == 0)
        // RESTART IDENTITY: the next event is number 1 again.
        let id = try await connection.queryOne(
            ColumnQueryStatement(
                name: "NextEvent", scope: .unscoped, column: Int.self,
                sql: "INSERT INTO events (kind, payload, occurred_at) VALUES ('c', '{}', now()) RETURNING id"))
        #expect(id == 1)
    }
}
