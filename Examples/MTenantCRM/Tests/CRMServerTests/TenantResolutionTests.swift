import Testing

@testable import CRMServer

extension CRMEndToEndTests {
    @Test("the tenant is the Host's subdomain under the base domain, or the X-Tenant header")
    func tenantFromHostOrHeader() async throws {
        #expect(TenantName.subdomain(ofHost: "acme.localhost:8080", baseDomain: "localhost") == "acme")
        #expect(TenantName.subdomain(ofHost: "ACME.localhost.", baseDomain: "localhost") == "acme")
        #expect(TenantName.subdomain(ofHost: "localhost:8080", baseDomain: "localhost") == nil)
        #expect(TenantName.subdomain(ofHost: "a.b.localhost", baseDomain: "localhost") == nil)
        #expect(TenantName.subdomain(ofHost: "acme.example.com", baseDomain: "localhost") == nil)
        #expect(TenantName.subdomain(ofHost: "evilocalhost", baseDomain: "localhost") == nil)
        #expect(TenantName.isPlausible("acme-2"))
        for name in ["", "-acme", "acme-", "ac me", "acme;drop", "ÄCME", String(repeating: "a", count: 64)] {
            #expect(!TenantName.isPlausible(name), "\(name)")
        }

        try await CRMTestServer.run { server in
            let client = server.client
            let byHost = try await client.send("GET", "/contacts/count", host: "globex.localhost")
            let byHeader = try await client.send("GET", "/contacts/count", tenant: "globex")
            #expect(byHost.status == 200)
            #expect(byHost["total"]?.int == byHeader["total"]?.int)
            // The header wins over the Host.
            let both = try await client.send(
                "GET", "/users?email=owner@acme.example", tenant: "acme", host: "globex.localhost")
            #expect(both.items.first?["email"]?.string == "owner@acme.example")

            let none = try await client.send("GET", "/contacts/count")
            #expect(none.status == 400)
            #expect(none["error"]?["code"]?.string == "tenant_required")
            for unknown in ["nope", "bad..name", "acme;drop"] {
                let response = try await client.send("GET", "/contacts/count", tenant: unknown)
                #expect(response.status == 404, "\(unknown)")
                #expect(response["error"]?["code"]?.string == "unknown_tenant")
            }
        }
    }
}
