import Foundation
import Testing

extension CRMEndToEndTests {
    @Test(
        "companies and contacts: CRUD, search, keyset pages, tags, custom fields", arguments: CRMEndToEndTests.tenants)
    func contactEndpoints(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let unique = UUID().uuidString.prefix(8).lowercased()
            let company = try await client.send(
                "POST", "/companies", tenant: tenant,
                json:
                    #"{"name":"Zephyr \#(unique) Ltd","domain":"Zephyr-\#(unique).com","employeeCount":12,"address":{"city":"Oslo"}}"#
            )
            #expect(company.status == 201, "\(company)")
            #expect(company["domain"]?.string == "zephyr-\(unique).com")
            #expect(company["customFields"] == .object([:]))
            let companyID = try #require(company["id"]?.string)
            #expect(
                try await client.send("GET", "/companies/\(companyID)", tenant: tenant)["name"]?.string
                    == "Zephyr \(unique) Ltd")
            let replaced = try await client.send(
                "PUT", "/companies/\(companyID)", tenant: tenant,
                json: #"{"name":"Zephyr \#(unique) AS","industry":"Shipping"}"#)
            #expect(replaced["industry"]?.string == "Shipping")
            #expect(replaced["domain"] == nil || replaced["domain"] == .null)
            let found = try await client.send("GET", "/companies/search?q=zephyr%20\(unique)", tenant: tenant)
            #expect(found.items.map { $0["id"]?.string } == [companyID])
            #expect(
                try await client.send("GET", "/companies?limit=200", tenant: tenant).items.contains {
                    $0["id"]?.string == companyID
                })

            let contact = try await client.send(
                "POST", "/contacts", tenant: tenant,
                json: #"""
                    {"companyID":"\#(companyID)","firstName":"Quentin","lastName":"Quill\#(unique)",
                     "email":"quentin.\#(unique)@zephyr.example","tags":["VIP"," partner "],"customFields":{"tier":2}}
                    """#)
            #expect(contact.status == 201, "\(contact)")
            #expect(contact["tags"] == .array([.string("vip"), .string("partner")]))
            let contactID = try #require(contact["id"]?.string)
            let fetched = try await client.send("GET", "/contacts/\(contactID)", tenant: tenant)
            #expect(fetched["companyName"]?.string == "Zephyr \(unique) AS")
            #expect(fetched["customFields"]?["tier"]?.int == 2)
            #expect(
                try await client.send("GET", "/companies/\(companyID)/contacts", tenant: tenant).items.map {
                    $0["id"]?.string
                }
                    == [contactID])
            let overview = try await client.send("GET", "/companies/overview?limit=200", tenant: tenant)
            #expect(overview.items.first { $0["id"]?.string == companyID }?["contacts"]?.int == 1)

            // Search: substring over name and email, and full text.
            let bySubstring = try await client.send("GET", "/contacts/search?q=quill\(unique)", tenant: tenant)
            #expect(bySubstring.items.map { $0["id"]?.string } == [contactID])
            let byText = try await client.send(
                "GET", "/contacts/search?q=quentin%20quill\(unique)&mode=fulltext", tenant: tenant)
            #expect(byText.items.map { $0["id"]?.string } == [contactID])
            #expect(byText.items.first?["rank"]?.decimal ?? 0 > 0)
            #expect(try await client.send("GET", "/contacts/search?q=x&mode=fuzzy", tenant: tenant).status == 400)

            // Tags and custom fields.
            #expect(
                try await client.send(
                    "POST", "/contacts/\(contactID)/tags", tenant: tenant, json: #"{"tag":"Renewal"}"#
                ).body
                    == .array([.string("vip"), .string("partner"), .string("renewal")]))
            #expect(
                try await client.send(
                    "POST", "/contacts/\(contactID)/tags", tenant: tenant, json: #"{"tag":"renewal"}"#
                ).body
                    == .array([.string("vip"), .string("partner"), .string("renewal")]))
            #expect(
                try await client.send("DELETE", "/contacts/\(contactID)/tags/vip", tenant: tenant).body
                    == .array([.string("partner"), .string("renewal")]))
            #expect(
                try await client.send("GET", "/contacts/tagged/renewal", tenant: tenant).items.contains {
                    $0["id"]?.string == contactID
                })
            let fields = try await client.send(
                "PUT", "/contacts/\(contactID)/custom-fields/source", tenant: tenant, json: #"{"value":"webinar"}"#)
            #expect(fields.body == .object(["tier": .number("2"), "source": .string("webinar")]))

            let renamed = try await client.send(
                "PUT", "/contacts/\(contactID)", tenant: tenant,
                json: #"{"firstName":"Quinn","lastName":"Quill\#(unique)","email":"quinn.\#(unique)@zephyr.example"}"#)
            #expect(renamed["firstName"]?.string == "Quinn")
            #expect(renamed["companyID"] == nil || renamed["companyID"] == .null)
            #expect(renamed["tags"] == .array([.string("partner"), .string("renewal")]))

            // Keyset pages: every contact exactly once, newest first.
            let total = try #require(try await client.send("GET", "/contacts/count", tenant: tenant)["total"]?.int)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/contacts?limit=7" + (cursor.map { "&after=\($0)" } ?? "")
                let page = try await client.send("GET", path, tenant: tenant)
                #expect(page.status == 200, "\(page)")
                seen += page.items.compactMap { $0["id"]?.string }
                cursor = page["nextCursor"]?.string
            } while cursor != nil && seen.count <= total
            #expect(seen.count == total)
            #expect(Set(seen).count == total)
            #expect(seen.first == contactID)
            #expect(
                try await client.send("GET", "/contacts?after=not-a-cursor", tenant: tenant)["error"]?["field"]?.string
                    == "after")

            // Deleted records are gone, and deleting again is a 404.
            #expect(try await client.send("DELETE", "/contacts/\(contactID)", tenant: tenant).status == 204)
            #expect(try await client.send("GET", "/contacts/\(contactID)", tenant: tenant).status == 404)
            #expect(try await client.send("DELETE", "/contacts/\(contactID)", tenant: tenant).status == 404)
            #expect(try await client.send("DELETE", "/companies/\(companyID)", tenant: tenant).status == 204)
            #expect(try await client.send("GET", "/companies/\(companyID)", tenant: tenant).status == 404)
        }
    }
}
