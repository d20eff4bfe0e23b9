import Foundation
import InMemoryTracing
import Testing
import Tracing

@testable import SQLGenRuntime

/// The spans a tracer recorded, looked up by name.
extension InMemoryTracer {
    func spans(named name: String) -> [FinishedInMemorySpan] {
        finishedSpans.filter { $0.operationName == name }
    }

    func onlySpan(named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> FinishedInMemorySpan
    {
        let found = spans(named: name)
        #expect(found.count == 1, "spans: \(finishedSpans.map(\.operationName))", sourceLocation: sourceLocation)
        return try #require(found.first, sourceLocation: sourceLocation)
    }
}

extension FinishedInMemorySpan {
    func attribute(_ name: String) -> SpanAttribute? { attributes.get(name) }

    /// Every attribute's value as text.
    var attributeTexts: [String] {
        var texts: [String] = []
        attributes.forEach { name, value in texts.append("\(name)=\(value)") }
        return texts
    }
}

/// A statement that reads its own parameter back, to bind a value that must never reach a span.
struct EchoSecret: SQLStatement {
    typealias Row = String
    static var name: String { "EchoSecret" }
    static var sql: String { "SELECT $1::text AS echoed" }
    static var scope: StatementScope { .unscoped }
    var secret: String
    func bind(to bindings: inout SQLBindings) { bindings.append(secret) }
    static func decode(_ row: SQLRow) throws(SQLGenError) -> String { try row.decode(0, name: "echoed") }
}

@Suite("Tracing: a span per statement, after OpenTelemetry's database conventions", .serialized)
struct TracingTests {
    static func poolOptions(_ tracer: InMemoryTracer, maxConnections: Int = 2) -> PoolOptions {
        var options = PoolOptions()
        options.maxConnections = maxConnections
        options.acquireTimeout = .seconds(20)
        options.tracer = tracer
        return options
    }

    @Test(
        "a statement's span is a client span named after it, a child of the task's span, with its SQL and never its values"
    )
    func statementSpanNamesTheStatementButNoValue() async throws {
        let tracer = InMemoryTracer()
        let configuration = try TestDatabase.configuration()
        let connection = try await PostgresSession.connect(configuration, tracer: tracer)
        let secret = "s3cr3t-\(UUID().uuidString)"
        let echoed = try await tracer.withSpan("request") { _ in
            try await connection.queryFirst(EchoSecret(secret: secret))
        }
        #expect(echoed == secret)
        let database = try #require(try await connection.queryFirst(SingleValue<String>("SELECT current_database()")))
        await connection.close()

        let request = try tracer.onlySpan(named: "request")
        let span = try tracer.onlySpan(named: "EchoSecret")
        #expect(span.kind == .client)
        #expect(span.traceID == request.traceID)
        #expect(span.parentSpanID == request.spanID)
        #expect(span.attribute("db.system.name") == .string("postgresql"))
        #expect(span.attribute("db.operation.name") == .string("SELECT"))
        #expect(span.attribute("db.query.text") == .string(EchoSecret.sql))
        #expect(span.attribute("db.namespace") == .string(database))
        #expect(span.attribute("server.port") != nil)
        #expect(span.attribute("sqlgen.tenant.schema") == nil)
        #expect(span.status == nil)
        for recorded in tracer.finishedSpans {
            for text in recorded.attributeTexts {
                #expect(!text.contains(secret), "\(recorded.operationName): \(text)")
            }
        }
    }

    @Test("a failed statement's span records the error, with its SQLSTATE or, without one, its kind")
    func errorSpansCarryTheSQLState() async throws {
        let tracer = InMemoryTracer()
        let connection = try await PostgresSession.connect(try TestDatabase.configuration(), tracer: tracer)
        await #expect(throws: SQLGenError.self) {
            _ = try await connection.query(SingleValue<Int32>("SELECT no_such_column"))
        }
        let failed = try tracer.onlySpan(named: "SingleValue")
        #expect(failed.status?.code == .error)
        #expect(failed.errors.count == 1)
        #expect(failed.attribute("db.response.status_code") == .string("42703"))
        #expect(failed.attribute("error.type") == .string("42703"))
        tracer.clearAll()

        // Text read as an integer: a decoding error, which has no SQLSTATE.
        await #expect(throws: SQLGenError.self) {
            _ = try await connection.query(SingleValue<Int32>("SELECT 'x'::text"))
        }
        await connection.close()
        let undecodable = try tracer.onlySpan(named: "SingleValue")
        #expect(undecodable.status?.code == .error)
        #expect(undecodable.attribute("db.response.status_code") == nil)
        #expect(undecodable.attribute("error.type") == .string("decoding"))
    }

    @Test("each pool acquire is a span of its own, which says whether the task waited for a connection")
    func poolAcquireSpans() async throws {
        let tracer = InMemoryTracer()
        let pool = PostgresPool(
            configuration: try TestDatabase.configuration(), options: Self.poolOptions(tracer, maxConnections: 1))
        _ = try await tracer.withSpan("first") { _ in try await pool.queryFirst(SingleValue<Int32>("SELECT 1")) }
        let first = try tracer.onlySpan(named: "first")
        let acquire = try tracer.onlySpan(named: SQLTracing.poolAcquireSpanName)
        #expect(acquire.parentSpanID == first.spanID)
        #expect(acquire.attribute("sqlgen.pool.waited") == .bool(false))
        #expect(try tracer.onlySpan(named: "SingleValue").parentSpanID == first.spanID)
        tracer.clearAll()

        // The only connection is held while another statement asks for one.
        let holder = Task { try await pool.withConnection { _ in try await Task.sleep(for: .milliseconds(300)) } }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await pool.queryFirst(SingleValue<Int32>("SELECT 2"))
        try await holder.value
        let acquires = tracer.spans(named: SQLTracing.poolAcquireSpanName)
        #expect(acquires.count == 2)
        #expect(acquires.contains { $0.attribute("sqlgen.pool.waited") == .bool(true) })
        await pool.close()
    }

    @Test("a tenant pool's statements, batches and COPY name the tenant's schema")
    func tenantStatementsNameTheirSchema() async throws {
        let configuration = try await TenancyDatabase.create("tracing_tenants")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let tracer = InMemoryTracer()
        let database = try TenantPool(configuration: configuration, poolOptions: Self.poolOptions(tracer))
        try await withTenant(acme) {
            _ = try await database.execute(InsertItem(tenant: "acme", value: 1))
            _ = try await database.executeBatch([
                InsertItem(tenant: "acme", value: 2), InsertItem(tenant: "acme", value: 3),
            ])
            _ = try await database.copy([CopyItem(tenant: "acme", value: 4)])
            #expect(try await database.query(QualifiedItemStamps()).count == 4)
            #expect(try await database.query(ItemStamps()).count == 4)
        }
        _ = try await database.query(GlobalSchemas())
        await database.close()

        let schema = SpanAttribute.string(acme.schemaName)
        let inserts = tracer.spans(named: "InsertItem")
        #expect(inserts.count == 2)
        #expect(inserts.allSatisfy { $0.attribute("sqlgen.tenant.schema") == schema })
        #expect(inserts.allSatisfy { $0.attribute("db.operation.name") == .string("INSERT") })
        let batch = try #require(inserts.first { $0.attribute("db.operation.batch.size") != nil })
        #expect(batch.attribute("db.operation.batch.size") == .int64(2))
        let copy = try tracer.onlySpan(named: "CopyItem")
        #expect(copy.attribute("db.operation.name") == .string("COPY"))
        #expect(copy.attribute("sqlgen.tenant.schema") == schema)
        #expect(try tracer.onlySpan(named: "QualifiedItemStamps").attribute("sqlgen.tenant.schema") == schema)
        #expect(try tracer.onlySpan(named: "ItemStamps").attribute("sqlgen.tenant.schema") == schema)
        #expect(try tracer.onlySpan(named: "GlobalSchemas").attribute("sqlgen.tenant.schema") == nil)
    }

    @Test("tenant reads sent along in one round trip each get a span, a child of its own task's span")
    func batchedReadsEachGetTheirSpan() async throws {
        let configuration = try await TenancyDatabase.create("tracing_batched")
        let tracer = InMemoryTracer()
        var options = Self.poolOptions(tracer, maxConnections: 1)
        options.readsPerRoundTrip = 8
        let database = try TenantPool(configuration: configuration, poolOptions: options)
        let tenants = try await TenancyStressTests.provision(database, count: 3)
        for tenant in tenants { _ = try await withTenant(tenant) { try await database.query(QualifiedItemStamps()) } }
        tracer.clearAll()
        let before = await database.readsSentAlong
        // The only connection is held by a slow read while the other reads queue up behind it.
        let holder = Task {
            try await withTenant(tenants[0]) { try await database.query(QualifiedSlowStamps(seconds: 0.3)) }
        }
        try await Task.sleep(for: .milliseconds(100))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, tenant) in tenants.enumerated() {
                group.addTask {
                    try await tracer.withSpan("request-\(index)") { _ in
                        _ = try await withTenant(tenant) { try await database.query(QualifiedItemStamps()) }
                    }
                }
            }
            try await group.waitForAll()
        }
        _ = try await holder.value
        #expect(await database.readsSentAlong > before)
        await database.close()

        let reads = tracer.spans(named: "QualifiedItemStamps")
        #expect(reads.count == tenants.count)
        for (index, tenant) in tenants.enumerated() {
            let request = try tracer.onlySpan(named: "request-\(index)")
            let read = try #require(
                reads.first { $0.parentSpanID == request.spanID }, "no read span under request-\(index)")
            #expect(read.attribute("sqlgen.tenant.schema") == .string(tenant.schemaName))
        }
    }

    @Test("a statement's command is its first keyword, past blank space, comments and parentheses")
    func operationNames() {
        #expect(SQLTracing.operationName(of: "SELECT 1") == "SELECT")
        #expect(SQLTracing.operationName(of: "  -- note\n/* a /* nested */ one */ (select 1)") == "SELECT")
        #expect(SQLTracing.operationName(of: "with t as (select 1) delete from x") == "WITH")
        #expect(SQLTracing.operationName(of: "COPY items FROM STDIN") == "COPY")
        #expect(SQLTracing.operationName(of: "  ") == nil)
    }
}
