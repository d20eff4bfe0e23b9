import InMemoryTracing
import PostgresNIO
import SQLGenPostgresNIO
import SQLGenPostgresNIOTestSupport
import SQLGenRuntime
import Testing
import Tracing

/// The PostgresNIO executor emits the spans the libpq runtime does: one client span per
/// statement, named after it, with its SQL and never its values, and a failure's SQLSTATE.
@Suite("spans on PostgresNIO", .serialized)
struct PostgresNIOTracingTests {
    @Test("a statement's span names it, its SQL and database, is a child of the task's span, and holds no value")
    func statementSpans() async throws {
        let tracer = InMemoryTracer()
        try await PostgresNIOExecutorTests.server.withClient { client in
            let database = PostgresNIOExecutor(
                client, database: PostgresNIOExecutorTests.server.database, tracer: tracer)
            let secret = "s3cr3t-label-\(UInt64.random(in: 0...UInt64.max))"
            let queries = QueriesQueries(database)
            try await tracer.withSpan("request") { _ in
                _ = try await queries.listSamples(pattern: secret)
            }
            await #expect(throws: SQLGenError.self) {
                _ = try await database.query(PlainStatement("SELECT no_such_column"))
            }
            let request = try #require(tracer.finishedSpans.first { $0.operationName == "request" })
            let span = try #require(tracer.finishedSpans.first { $0.operationName == "ListSamples" })
            #expect(span.kind == .client)
            #expect(span.traceID == request.traceID && span.parentSpanID == request.spanID)
            #expect(span.attributes.get("db.system.name") == .string("postgresql"))
            #expect(span.attributes.get("db.operation.name") == .string("SELECT"))
            #expect(span.attributes.get("db.query.text") == .string(QueriesQueries.listSamplesSQL))
            #expect(span.attributes.get("db.namespace") == .string(PostgresNIOExecutorTests.server.database))
            var texts: [String] = []
            for recorded in tracer.finishedSpans {
                recorded.attributes.forEach { name, value in texts.append("\(name)=\(value)") }
            }
            #expect(!texts.contains { $0.contains(secret) })
            let acquire = try #require(
                tracer.finishedSpans.first { $0.operationName == SQLTracing.poolAcquireSpanName })
            #expect(acquire.traceID == request.traceID && acquire.parentSpanID == request.spanID)
            let failed = try #require(tracer.finishedSpans.first { $0.operationName == "sql" })
            #expect(failed.status?.code == .error)
            #expect(failed.attributes.get("db.response.status_code") == .string("42703"))
        }
    }
}
