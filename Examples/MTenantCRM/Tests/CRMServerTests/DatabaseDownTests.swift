import CRMServer
import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("with the database unreachable a request fails fast with a 503 that says so")
    func databaseDown() async throws {
        // Nothing listens on port 1, so every connect is refused at once.
        let configuration = try CRMConfiguration(
            environment: ["DATABASE_URL": "postgres://sqlgen@127.0.0.1:1/postgres", "CRM_PORT": "0"])
        try await CRMTestServer.run(configuration: configuration) { server in
            for (path, tenant) in [("/contacts/count", "acme"), ("/health", nil), ("/admin/tenants", nil)] {
                let started = ContinuousClock.now
                let response = try await server.client.send("GET", path, tenant: tenant)
                let elapsed = ContinuousClock.now - started
                #expect(response.status == 503, "\(path): \(response)")
                #expect(response["error"]?["code"]?.string == "database_unavailable", "\(path): \(response)")
                #expect(response["error"]?["requestID"]?.string == response.headers["x-request-id"])
                #expect(elapsed < .seconds(2), "\(path) took \(elapsed)")
            }
        }
    }
}
