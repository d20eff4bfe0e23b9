import Foundation
import SQLGenRuntime
import Testing

/// The `prefs` column as a query names its Swift type (`AS "prefs: CustomerPrefs"`).
struct CustomerPrefs: Codable, Sendable, SQLJSONCodable {
    var theme: String?
}

/// `products.attributes` as its override in sqlgen.yaml names it.
struct ProductAttributes: Codable, Hashable, Sendable, SQLJSONCodable {
    var color: String?
    var sizes: [String]?
}

/// The code sqlgen generates for the query corpus, compiled into this target
/// by the build plugin and run against the throwaway server: rows go in and
/// come back through the generated functions and the runtime.
@Suite(.serialized) struct GeneratedCodeTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SQLGenCoreTests/Fixtures/queries/shop/schema.sql").standardizedFileURL.path

    /// A fresh database with a corpus schema (the shop corpus's unless told).
    static func database(_ name: String, schema schemaPath: String = Self.schemaPath) async throws -> PostgresSession {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            throw SQLGenError(.connectionFailed, message: "SQLGEN_TEST_DATABASE_URL is not set: run `make test`")
        }
        let admin = try await PostgresSession.connect(PostgresConfiguration(url: url))
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        let connection = try await PostgresSession.connect(
            PostgresConfiguration(url: url.replacingOccurrences(of: "/postgres", with: "/\(name)")))
        try await connection.simpleQuery(String(contentsOfFile: schemaPath, encoding: .utf8))
        return connection
    }

    @Test func generatedTypesDescribeTheirQueries() {
        #expect(OrderStatus.allCases == [.pending, .paid, .shipped, .cancelled])
        #expect(SelectsQueries.getCustomerSQL == "SELECT * FROM customers WHERE id = $1")
        #expect(WritesQueries.CopyItems.copyColumns == ["order_id", "product_id", "quantity", "unit_price"])
    }

    /// An INSERT of one row returns its row; a trigger that suppresses the row makes that the `.noRow`
    /// error, not a crash or a made-up row.
    @Test func aRowATriggerSuppressedIsTheNoRowError() async throws {
        let connection = try await Self.database("generated_no_row")
        try await connection.simpleQuery(
            """
            CREATE FUNCTION drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER drop_customers BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION drop_row();
            """)
        do {
            let customer = try await WritesQueries(connection).createCustomer(
                email: "x@example.com", name: "X", nickname: nil)
            Issue.record("a suppressed row was returned: \(customer)")
        } catch {
            #expect(error.kind == .noRow)
            #expect(error.statementName == "CreateCustomer")
        }
        await connection.close()
    }

    @Test func rowsRoundTripThroughGeneratedFunctions() async throws {
        let connection = try await Self.database("generated_round_trip")
        let writes = WritesQueries(connection)
        let selects = SelectsQueries(connection)

        // Insert, with NULLs and a citext domain; RETURNING * reuses the table's model.
        // An INSERT of one row with RETURNING returns the row itself.
        let ada = try await writes.createCustomer(email: "Ada@Example.com", name: "Ada", nickname: nil)
        #expect(ada.nickname == nil)
        #expect(ada.tags == [])
        // Models are not Hashable by default (conformances: []), so compare what was read back.
        let fetched = try await selects.getCustomer(id: ada.id)
        #expect(fetched?.id == ada.id)
        #expect(fetched?.email == ada.email)
        #expect(fetched?.name == ada.name)
        #expect(fetched?.nickname == nil)
        // citext compares case-insensitively.
        #expect(try await selects.customerByEmail(email: "ada@example.com")?.id == ada.id)

        // jsonb and NULL updates.
        let prefs = try JSONValue(parsing: #"{"theme":"dark","digits":12345678901234567890}"#)
        try await writes.updateProfile(nickname: "ada", prefs: prefs, id: ada.id)
        let updated = try await selects.getCustomer(id: ada.id)
        #expect(updated?.prefs == prefs)
        #expect(updated?.nickname == "ada")
        #expect(try await selects.jsonOperators().first?.theme == "dark")
        // Nullability and a Swift type named in the SQL (`AS "first_name!"`, `AS "prefs: CustomerPrefs"`).
        let overridden = try await OverridesQueries(connection).customerOverrides()
        let firstName: String? = overridden.first.map(\.firstName)
        let nick: String?? = overridden.first.map(\.nick)
        let customerPrefs: CustomerPrefs?? = overridden.first.map(\.prefs)
        #expect(firstName == "Ada")
        #expect(nick == .some("ada"))
        #expect(customerPrefs??.theme == "dark")

        // Arrays.
        try await writes.appendTag(p1: "vip", id: ada.id)
        try await writes.appendTag(p1: "a \"quoted\", tag", id: ada.id)
        #expect(try await selects.getCustomer(id: ada.id)?.tags == ["vip", "a \"quoted\", tag"])

        // Numeric precision and enums.
        let price = Decimal(string: "1234567890.12")!
        // RETURNING one column: the function returns its value.
        let productID = try await writes.createProduct(sku: "SKU-1", title: "Lamp", price: price, categories: ["home"])
        let listed = try await selects.listProducts(limit: 10, offset: 0)
        #expect(listed.map(\.price) == [price])
        #expect(listed.first?.categories == ["home"])
        // A column's swift_type override reaches its model, its rows and the parameters bound to it.
        let attributes = ProductAttributes(color: "red", sizes: ["S", "M"])
        let overrides = OverridesQueries(connection)
        #expect(try await overrides.setProductAttributes(attributes: attributes, id: productID) == 1)
        let red: [ProductAttributes] = try await overrides.productsWithAttributes(
            attributes: ProductAttributes(color: "red")
        ).map(\.attributes)
        #expect(red == [attributes])
        #expect(try await overrides.productsWithAttributes(attributes: ProductAttributes(color: "blue")).isEmpty)
        #expect(try await selects.listProducts(limit: 10, offset: 0).first?.attributes == attributes)
        let created = try await writes.createOrder(customerID: ada.id, note: "first")
        #expect(created.rowsAffected == 1)
        #expect(created.tag == "INSERT 0 1")
        #expect(try await selects.orderStats().total == 1)
        let orders = try await selects.ordersByStatus(status: .pending, placedAt: Date(timeIntervalSinceNow: -3600))
        #expect(orders.count == 1)
        guard let order = orders.first else { return }
        let moved = try await writes.updateStatus(status: .shipped, id: order.id)
        #expect(moved?.status == .shipped)

        // Timestamps keep their instant to the microsecond.
        let shippedAt = Date(timeIntervalSince1970: 1_764_236_000.123456)
        #expect(try await writes.markShipped(shippedAt: shippedAt, id: order.id) == 1)
        let shipped = try await selects.shippedOrders(shippedAt: Date(timeIntervalSince1970: 0))
        #expect(abs((shipped.first?.shippedAt ?? .distantPast).timeIntervalSince(shippedAt)) < 0.000_001)

        // COPY and pipelined batches.
        let copied = try await writes.copyItems([
            WritesQueries.CopyItemsParams(orderID: order.id, productID: productID, quantity: 2, unitPrice: price)
        ])
        #expect(copied == 1)
        let counts = try await writes.batchEvents(
            (1...50).map { index in
                WritesQueries.BatchEventsParams(
                    kind: "click", payload: .object(["n": .number(String(index))]), occurredAt: Date(),
                    customerID: index % 2 == 0 ? ada.id : nil)
            })
        #expect(counts == Array(repeating: 1, count: 50))
        // A parameter struct's NULL-able field may be left out (NULL), and jsonb written as a Swift literal.
        let viewed = try await writes.batchEvents([
            WritesQueries.BatchEventsParams(kind: "view", payload: ["n": 1, "tags": ["a", nil]], occurredAt: Date())
        ])
        #expect(viewed == [1])
        let stored = try await connection.query(
            PlainStatement("SELECT customer_id, payload::text AS payload FROM events WHERE kind = 'view'"))
        #expect(stored.count == 1)
        #expect(stored.first?["customer_id"] == nil)
        #expect(stored.first?["payload"] == #"{"n": 1, "tags": ["a", null]}"#)

        // Embedded models and streaming.
        let embedded = try await AdvancedQueries(connection).embedCustomer()
        #expect(embedded.first?.customer.id == ada.id)
        // The nullable side of an outer join embeds as an optional model: nil where the join found no
        // row; a WHERE that rejects its NULLs makes it an inner join again, and the model non-optional.
        let grace = try await writes.createCustomer(email: "grace@example.com", name: "Grace", nickname: nil)
        let withOrders = try await AdvancedQueries(connection).customersWithOrders()
        #expect(withOrders.map(\.customer.id) == [ada.id, grace.id])
        #expect(withOrders.first?.order?.id == order.id)
        #expect(withOrders.first?.order?.status == .shipped)
        #expect(withOrders.first?.order?.note == "first")
        #expect(withOrders.first?.order?.total == nil)
        #expect(withOrders.last.map { $0.order == nil } == true)
        let paid: [AdvancedQueries.CustomersWithPaidOrdersRow] = try await AdvancedQueries(connection)
            .customersWithPaidOrders()
        let paidOrders: [Order] = paid.map(\.order)
        #expect(paidOrders.isEmpty)
        var streamed: [Int64] = []
        for try await row in selects.listProductsStream(limit: 10, offset: 0) { streamed.append(Int64(row.id)) }
        #expect(streamed == [Int64(productID)])

        // Delete.
        #expect(try await writes.deleteUsing(customerID: ada.id) == 1)
        try await writes.deleteOrder(id: order.id)
        #expect(try await selects.orderStats().total == 0)
        await connection.close()
    }
}
