import InMemoryTracing
import Testing
import Tracing

extension CRMEndToEndTests {
    @Test("with a tracer configured, a request's span has its statements' and pool acquires' spans as children")
    func requestsProduceSpans() async throws {
        let tracer = InMemoryTracer()
        var configuration = try await CRMTestDatabase.shared.configuration()
        configuration.tracer = tracer
        try await CRMTestServer.run(configuration: configuration) { server in
            let response = try await server.client.send("GET", "/contacts/count", tenant: "acme")
            #expect(response.status == 200)
        }
        let spans = tracer.finishedSpans
        let request = try #require(spans.first { $0.kind == .server }, "spans: \(spans.map(\.operationName))")
        let count = try #require(spans.first { $0.operationName == "CountContacts" }, "\(spans.map(\.operationName))")
        #expect(count.kind == .client)
        #expect(count.parentSpanID == request.spanID)
        #expect(count.attributes.get("db.system.name") == .string("postgresql"))
        #expect(count.attributes.get("db.operation.name") == .string("SELECT"))
        #expect(count.attributes.get("sqlgen.tenant.schema") == .string("tenant_acme"))
        #expect(spans.contains { $0.operationName == "sqlgen.pool.acquire" && $0.parentSpanID == request.spanID })
    }
}
