import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("the same ids and emails in two tenants do not collide")
    func sameIdsAndEmails() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let email = "shared.\(UUID().uuidString.prefix(8))@example.org"
            var ids: [String: String] = [:]
            for tenant in Self.tenants {
                let user = try await client.send(
                    "POST", "/users", tenant: tenant,
                    json:
                        #"{"email":\#(quoted(email)),"password":"shared-password-\#(tenant)","firstName":"\#(tenant)","lastName":"User"}"#
                )
                #expect(user.status == 201, "\(user)")
                ids[tenant] = user["id"]?.string
            }
            for tenant in Self.tenants {
                let found = try await client.send("GET", "/users?email=\(email)", tenant: tenant)
                #expect(found.items.map { $0["id"]?.string } == [ids[tenant]])
                #expect(found.items.first?["firstName"]?.string == tenant)
                // Each tenant's password opens only its own account.
                let other = tenant == "acme" ? "globex" : "acme"
                let signIn = try await client.send(
                    "POST", "/auth/sign-in", tenant: tenant,
                    json: #"{"email":\#(quoted(email)),"password":"shared-password-\#(other)"}"#)
                #expect(signIn.status == 401)
            }

            // One id, a row in each tenant's schema: each tenant reads, changes and deletes only its own.
            let id = UUID().uuidString.lowercased()
            for tenant in Self.tenants {
                try await CRMTestDatabase.execute(
                    "INSERT INTO tenant_\(tenant).contacts (id, first_name, last_name) VALUES ('\(id)', 'Same', '\(tenant)')"
                )
            }
            for tenant in Self.tenants {
                #expect(try await client.send("GET", "/contacts/\(id)", tenant: tenant)["lastName"]?.string == tenant)
            }
            _ = try await client.send(
                "PUT", "/contacts/\(id)", tenant: "acme", json: #"{"firstName":"Changed","lastName":"acme"}"#)
            #expect(try await client.send("GET", "/contacts/\(id)", tenant: "globex")["firstName"]?.string == "Same")
            #expect(try await client.send("DELETE", "/contacts/\(id)", tenant: "globex").status == 204)
            #expect(try await client.send("GET", "/contacts/\(id)", tenant: "acme")["firstName"]?.string == "Changed")
        }
    }

    @Test("a request for one tenant never reads or changes another tenant's rows")
    func noCrossTenantAccess() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let marker = "Isolated\(UUID().uuidString.prefix(8))"
            let contact = try await client.send(
                "POST", "/contacts", tenant: "acme",
                json: #"{"firstName":"Ivy","lastName":"\#(marker)","tags":["secret"]}"#)
            let contactID = try #require(contact["id"]?.string)
            let company = try await client.send(
                "POST", "/companies", tenant: "acme", json: #"{"name":"\#(marker) Inc"}"#)
            let companyID = try #require(company["id"]?.string)
            let deal = try await client.send(
                "POST", "/deals", tenant: "acme", json: #"{"title":"\#(marker)","amount":1}"#)
            let dealID = try #require(deal["id"]?.string)
            let activity = try await client.send(
                "POST", "/activities", tenant: "acme",
                json: #"{"type":"note","subject":"\#(marker)","contactID":"\#(contactID)"}"#)
            let activityID = try #require(activity["id"]?.string)

            let reads = [
                "/contacts/\(contactID)", "/companies/\(companyID)", "/deals/\(dealID)", "/activities/\(activityID)",
            ]
            for path in reads {
                let response = try await client.send("GET", path, tenant: "globex")
                #expect(response.status == 404, "\(path)")
                #expect(!"\(response.body)".contains(marker))
            }
            let writes: [(String, String, String?)] = [
                ("PUT", "/contacts/\(contactID)", #"{"firstName":"Taken","lastName":"Over"}"#),
                ("DELETE", "/contacts/\(contactID)", nil),
                ("POST", "/contacts/\(contactID)/tags", #"{"tag":"stolen"}"#),
                ("PUT", "/contacts/\(contactID)/custom-fields/owner", #"{"value":"globex"}"#),
                ("PUT", "/companies/\(companyID)", #"{"name":"Taken"}"#),
                ("DELETE", "/companies/\(companyID)", nil),
                ("POST", "/deals/\(dealID)/stage", #"{"stage":"closed_won"}"#),
                ("DELETE", "/deals/\(dealID)", nil),
                ("POST", "/activities/\(activityID)/complete", nil),
            ]
            for (method, path, body) in writes {
                #expect(
                    try await client.send(method, path, tenant: "globex", json: body).status == 404, "\(method) \(path)"
                )
            }
            // Lists and searches of the other tenant hold none of it.
            let globexViews = [
                "/contacts/search?q=\(marker)", "/contacts/search?q=\(marker)&mode=fulltext", "/contacts/tagged/secret",
                "/companies/search?q=\(marker)", "/contacts/\(contactID)/timeline", "/deals?stage=lead&limit=200",
            ]
            for path in globexViews {
                let response = try await client.send("GET", path, tenant: "globex")
                #expect(response.status == 200, "\(path)")
                #expect(!"\(response.body)".contains(marker), "\(path)")
            }
            // And acme's rows are as acme left them.
            let after = try await client.send("GET", "/contacts/\(contactID)", tenant: "acme")
            #expect(after["firstName"]?.string == "Ivy")
            #expect(after["tags"] == .array([.string("secret")]))
            #expect(try await client.send("GET", "/deals/\(dealID)", tenant: "acme")["stage"]?.string == "lead")
            #expect(try await client.send("GET", "/activities/\(activityID)", tenant: "acme")["completedAt"] == nil)
            #expect(try await client.send("GET", "/contacts/search?q=\(marker)", tenant: "acme").items.count == 1)
        }
    }

    @Test("many requests for both tenants at once: every answer holds only its own tenant's rows")
    func concurrentTenants() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let counts = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for index in 0..<80 {
                    let tenant = Self.tenants[index % 2]
                    group.addTask {
                        let users = try await client.send("GET", "/users?limit=200", tenant: tenant)
                        let emails = users.items.compactMap { $0["email"]?.string }
                        let own = emails.contains("owner@\(tenant).example")
                        let foreign = emails.contains {
                            $0.hasSuffix(tenant == "acme" ? "@globex.example" : "@acme.example")
                        }
                        return (tenant, users.status == 200 && own && !foreign)
                    }
                }
                return try await group.reduce(into: [String: Int]()) { counts, result in
                    if result.1 { counts[result.0, default: 0] += 1 }
                }
            }
            #expect(counts == ["acme": 40, "globex": 40])
        }
    }
}
