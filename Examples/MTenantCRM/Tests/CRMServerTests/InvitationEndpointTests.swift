import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("inviting someone who is already a member is a 409 naming the email, and mails nothing")
    func inviteMember() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            for email in ["owner@acme.example", "OWNER@Acme.Example"] {
                let response = try await client.send(
                    "POST", "/invitations", tenant: "acme", json: #"{"email":\#(quoted(email))}"#)
                #expect(response.status == 409, "\(response)")
                #expect(response["error"]?["code"]?.string == "conflict")
                #expect(response["error"]?["field"]?.string == "email")
                #expect(response["error"]?["message"]?.string?.contains("already a member") == true, "\(response)")
            }
            #expect(await server.mailer.lastToken(to: "owner@acme.example", purpose: .invitation) == nil)
            // A member of acme is no member of globex.
            let elsewhere = try await client.send(
                "POST", "/invitations", tenant: "globex", json: #"{"email":"owner@acme.example"}"#)
            #expect(elsewhere.status == 201, "\(elsewhere)")
            let id = try #require(elsewhere["id"]?.string)
            #expect(try await client.send("DELETE", "/invitations/\(id)", tenant: "globex").status == 204)
        }
    }

    @Test("the invitation list gives each one's status: pending, accepted, revoked, expired (before and after marking)")
    func invitationStatuses() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let unique = UUID().uuidString.prefix(8).lowercased()
            func invite(_ name: String) async throws -> (id: String, email: String) {
                let email = "\(name).\(unique)@example.org"
                let response = try await client.send(
                    "POST", "/invitations", tenant: "globex", json: #"{"email":\#(quoted(email))}"#)
                return (try #require(response["id"]?.string, "\(response)"), email)
            }
            let pending = try await invite("pending")
            let accepted = try await invite("accepted")
            let revoked = try await invite("revoked")
            let expired = try await invite("expired")
            let token = try #require(await server.mailer.lastToken(to: accepted.email, purpose: .invitation))
            let accept = #"{"token":\#(quoted(token)),"password":"invited-password","firstName":"A","lastName":"C"}"#
            #expect(try await client.send("POST", "/invitations/accept", tenant: "globex", json: accept).status == 201)
            #expect(try await client.send("DELETE", "/invitations/\(revoked.id)", tenant: "globex").status == 204)
            try await CRMTestDatabase.execute(
                "UPDATE tenant_globex.invitations SET expires_at = now() - interval '1 minute' WHERE id = '\(expired.id)'"
            )

            func statuses(_ query: String = "") async throws -> [String: String] {
                let listed = try await client.send("GET", "/invitations?limit=200\(query)", tenant: "globex")
                #expect(listed.status == 200, "\(listed)")
                var statuses: [String: String] = [:]
                for item in listed.items {
                    if let id = item["id"]?.string, let status = item["status"]?.string { statuses[id] = status }
                }
                return statuses
            }
            let expected = [
                pending.id: "pending", accepted.id: "accepted", revoked.id: "revoked", expired.id: "expired",
            ]
            #expect(try await statuses().filter { expected[$0.key] != nil } == expected)
            #expect(try await statuses("&status=pending")[expired.id] == nil)
            #expect(try await statuses("&status=expired")[expired.id] == "expired")
            #expect(try await statuses("&status=accepted").keys.contains(accepted.id))
            #expect(try await client.send("POST", "/invitations/expire", tenant: "globex")["expired"]?.int == 1)
            #expect(try await statuses()[expired.id] == "expired")
            let bad = try await client.send("GET", "/invitations?status=lost", tenant: "globex")
            #expect(bad.status == 400)
            #expect(bad["error"]?["field"]?.string == "status")
        }
    }
}
