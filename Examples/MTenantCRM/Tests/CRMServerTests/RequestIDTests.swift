import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("a sane X-Request-ID from the client is kept in the response and in error bodies; others are replaced")
    func clientRequestID() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let incoming = "trace-\(UUID().uuidString).span:7/a=b"
            let ok = try await client.send(
                "GET", "/contacts/count", tenant: "acme", headers: ["X-Request-ID": incoming])
            #expect(ok.status == 200)
            #expect(ok.headers["x-request-id"] == incoming)
            let failed = try await client.send(
                "GET", "/contacts/not-a-uuid", tenant: "acme", headers: ["X-Request-ID": incoming])
            #expect(failed.status == 400)
            #expect(failed.headers["x-request-id"] == incoming)
            #expect(failed["error"]?["requestID"]?.string == incoming)
            let noTenant = try await client.send("GET", "/contacts/count", headers: ["X-Request-ID": incoming])
            #expect(noTenant.status == 400)
            #expect(noTenant["error"]?["requestID"]?.string == incoming)

            for unacceptable in ["has spaces in it", String(repeating: "x", count: 129), "caf\u{e9}"] {
                let response = try await client.send(
                    "GET", "/contacts/not-a-uuid", tenant: "acme", headers: ["X-Request-ID": unacceptable])
                let generated = try #require(response.headers["x-request-id"], "\(unacceptable)")
                #expect(generated != unacceptable && !generated.isEmpty)
                #expect(response["error"]?["requestID"]?.string == generated)
            }
            let longest = String(repeating: "y", count: 128)
            #expect(
                try await client.send("GET", "/health", headers: ["X-Request-ID": longest]).headers["x-request-id"]
                    == longest)
        }
    }
}
