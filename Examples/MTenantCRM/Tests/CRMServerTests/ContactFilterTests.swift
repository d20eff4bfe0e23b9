import Foundation
import Testing

extension CRMEndToEndTests {
    /// `GET /contacts/filter`: the generated dynamic query, each filter optional, sorted as asked.
    @Test("contact filters: any of company, owner, tag and created range, sorted as asked", arguments: ["acme"])
    func contactFilters(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let unique = UUID().uuidString.prefix(8).lowercased()
            let company = try await client.send(
                "POST", "/companies", tenant: tenant, json: #"{"name":"Filter \#(unique)"}"#)
            let companyID = try #require(company["id"]?.string)
            // Created one after the other, so creation order is b, d, a, c; names sort a, b, c, d.
            var created: [(name: String, createdAt: String)] = []
            for (name, tag) in [("b", "lead"), ("d", "vip"), ("a", "vip"), ("c", "lead")] {
                let contact = try await client.send(
                    "POST", "/contacts", tenant: tenant,
                    json:
                        #"{"companyID":"\#(companyID)","firstName":"F","lastName":"\#(name)\#(unique)","tags":["\#(tag)"]}"#
                )
                #expect(contact.status == 201, "\(contact)")
                created.append((name, try #require(contact["createdAt"]?.string)))
                // Timestamps go out to the second: a second apart, each bound falls between two contacts.
                try await Task.sleep(for: .milliseconds(1_100))
            }
            func names(_ query: String) async throws -> [String] {
                let response = try await client.send(
                    "GET", "/contacts/filter?company=\(companyID)\(query)", tenant: tenant)
                #expect(response.status == 200, "\(query): \(response)")
                return response.items.compactMap { $0["lastName"]?.string?.replacingOccurrences(of: unique, with: "") }
            }
            #expect(try await names("") == ["a", "b", "c", "d"])
            #expect(try await names("&sort=-name") == ["d", "c", "b", "a"])
            #expect(try await names("&sort=created_at") == ["b", "d", "a", "c"])
            #expect(try await names("&sort=-created_at") == ["c", "a", "d", "b"])
            #expect(try await names("&tag=vip&sort=-name") == ["d", "a"])
            // A range, and each bound alone.
            let third = created[2].createdAt.replacingOccurrences(of: "+", with: "%2B")
            let fourth = created[3].createdAt.replacingOccurrences(of: "+", with: "%2B")
            #expect(try await names("&created_from=\(third)") == ["a", "c"])
            #expect(try await names("&created_until=\(third)&sort=created_at") == ["b", "d"])
            #expect(try await names("&created_from=\(third)&created_until=\(fourth)") == ["a"])
            #expect(try await names("&tag=lead&created_from=\(third)") == ["c"])
            #expect(try await names("&owner=\(UUID().uuidString)") == [])
            #expect(try await names("&limit=2&offset=1") == ["b", "c"])
            // Bad arguments are a 400 naming the field.
            let badSort = try await client.send("GET", "/contacts/filter?sort=newest", tenant: tenant)
            #expect(badSort.status == 400)
            #expect("\(badSort.body)".contains("sort"))
            let badDate = try await client.send(
                "GET", "/contacts/filter?created_from=2027-02-30T00:00:00Z", tenant: tenant)
            #expect(badDate.status == 400)
            // Another tenant filtering by this company sees nothing of it.
            let other = try await client.send("GET", "/contacts/filter?company=\(companyID)", tenant: "globex")
            #expect(other.status == 200)
            #expect(other.items.isEmpty)
        }
    }
}
