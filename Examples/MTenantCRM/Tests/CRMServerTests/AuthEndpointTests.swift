import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("users, sign-in and password resets", arguments: CRMEndToEndTests.tenants)
    func authEndpoints(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let email = "Dana.Scully.\(UUID().uuidString.prefix(8))@\(tenant).example"
            let created = try await client.send(
                "POST", "/users", tenant: tenant,
                json:
                    #"{"email":\#(quoted(email)),"password":"first-password-1","firstName":"Dana","lastName":"Scully"}"#
            )
            #expect(created.status == 201, "\(created)")
            #expect(created["role"]?.string == "member")
            #expect(created["isActive"] == .bool(true))
            #expect(created["password"] == nil && created["passwordHash"] == nil)
            let id = try #require(created["id"]?.string)

            // Case-insensitive lookup by email (citext), by id, and in the list.
            let byEmail = try await client.send("GET", "/users?email=\(email.uppercased())", tenant: tenant)
            #expect(byEmail.items.first?["id"]?.string == id)
            #expect(try await client.send("GET", "/users/\(id)", tenant: tenant)["firstName"]?.string == "Dana")
            let listed = try await client.send("GET", "/users?limit=200", tenant: tenant)
            #expect(listed.items.contains { $0["id"]?.string == id })
            #expect(listed["limit"]?.int == 200)

            let updated = try await client.send(
                "PUT", "/users/\(id)", tenant: tenant,
                json: #"{"firstName":"Dana K.","lastName":"Scully","role":"manager"}"#)
            #expect(updated["firstName"]?.string == "Dana K.")
            #expect(updated["role"]?.string == "manager")

            // The password is stored hashed (bcrypt), never as given.
            let stored = try await CRMTestDatabase.values(
                "SELECT password_hash FROM tenant_\(tenant).users WHERE id = '\(id)'")
            let hash = try #require(stored.first ?? nil)
            #expect(hash.hasPrefix("$2a$10$") && !hash.contains("first-password-1"))

            let signIn = try await client.send(
                "POST", "/auth/sign-in", tenant: tenant,
                json: #"{"email":\#(quoted(email)),"password":"first-password-1"}"#)
            #expect(signIn.status == 200)
            #expect(try await client.send("GET", "/users/\(id)", tenant: tenant)["lastLoginAt"]?.string != nil)
            let wrong = try await client.send(
                "POST", "/auth/sign-in", tenant: tenant,
                json: #"{"email":\#(quoted(email)),"password":"nope-nope-nope"}"#)
            #expect(wrong.status == 401)
            #expect(wrong["error"]?["code"]?.string == "bad_credentials")

            // Password reset: the token is mailed, works once, and sets the new password.
            let requested = try await client.send(
                "POST", "/auth/password-resets", tenant: tenant, json: #"{"email":\#(quoted(email))}"#)
            #expect(requested.status == 202)
            let token = try #require(await server.mailer.lastToken(to: email, purpose: .passwordReset))
            let unknownRequest = try await client.send(
                "POST", "/auth/password-resets", tenant: tenant, json: #"{"email":"nobody@\#(tenant).example"}"#)
            #expect(unknownRequest.status == 202)
            let redeem = #"{"token":\#(quoted(token)),"password":"second-password-2"}"#
            #expect(
                try await client.send("POST", "/auth/password-resets/redeem", tenant: tenant, json: redeem).status
                    == 204)
            let again = try await client.send("POST", "/auth/password-resets/redeem", tenant: tenant, json: redeem)
            #expect(again.status == 400)
            #expect(again["error"]?["field"]?.string == "token")
            let newSignIn = try await client.send(
                "POST", "/auth/sign-in", tenant: tenant,
                json: #"{"email":\#(quoted(email)),"password":"second-password-2"}"#)
            #expect(newSignIn.status == 200)
            #expect(
                try await client.send("POST", "/auth/password-resets/purge", tenant: tenant)["purged"]?.int ?? 0 >= 1)

            // Deactivated users cannot sign in; deactivating twice is a 404.
            #expect(try await client.send("POST", "/users/\(id)/deactivate", tenant: tenant).status == 204)
            #expect(try await client.send("POST", "/users/\(id)/deactivate", tenant: tenant).status == 404)
            let inactive = try await client.send(
                "POST", "/auth/sign-in", tenant: tenant,
                json: #"{"email":\#(quoted(email)),"password":"second-password-2"}"#)
            #expect(inactive.status == 401)
        }
    }

    @Test("invitations: created, listed, accepted exactly once (the user is created in the tenant), revoked, expired")
    func invitations() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let email = "invitee.\(UUID().uuidString.prefix(8))@example.org"
            let invited = try await client.send(
                "POST", "/invitations", tenant: "acme", json: #"{"email":\#(quoted(email)),"role":"admin"}"#)
            #expect(invited.status == 201, "\(invited)")
            #expect(invited["status"]?.string == "pending")
            #expect(invited["token"] == nil && invited["tokenHash"] == nil)
            let token = try #require(await server.mailer.lastToken(to: email, purpose: .invitation))
            let pending = try await client.send("GET", "/invitations", tenant: "acme")
            #expect(pending.items.contains { $0["email"]?.string == email })
            // The token is acme's: globex knows nothing of it.
            let accept =
                #"{"token":\#(quoted(token)),"password":"invited-password","firstName":"Ina","lastName":"Vite"}"#
            #expect(try await client.send("POST", "/invitations/accept", tenant: "globex", json: accept).status == 404)

            // Eight acceptances at once: exactly one creates the user.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.send("POST", "/invitations/accept", tenant: "acme", json: accept).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [201] + Array(repeating: 404, count: 7))
            let users = try await client.send("GET", "/users?email=\(email)", tenant: "acme")
            #expect(users.items.count == 1)
            #expect(users.items.first?["role"]?.string == "admin")
            #expect(try await client.send("GET", "/users?email=\(email)", tenant: "globex").items.isEmpty)
            #expect(
                try await client.send("GET", "/invitations?status=pending", tenant: "acme").items.allSatisfy {
                    $0["email"]?.string != email
                })
            let signIn = try await client.send(
                "POST", "/auth/sign-in", tenant: "acme",
                json: #"{"email":\#(quoted(email)),"password":"invited-password"}"#)
            #expect(signIn.status == 200)

            // Revoked and expired invitations cannot be accepted.
            let second = try await client.send(
                "POST", "/invitations", tenant: "acme", json: #"{"email":"revoked@example.org"}"#)
            let secondID = try #require(second["id"]?.string)
            #expect(try await client.send("DELETE", "/invitations/\(secondID)", tenant: "acme").status == 204)
            #expect(try await client.send("DELETE", "/invitations/\(secondID)", tenant: "acme").status == 404)
            let secondToken = try #require(
                await server.mailer.lastToken(to: "revoked@example.org", purpose: .invitation))
            let revokedAccept =
                #"{"token":\#(quoted(secondToken)),"password":"invited-password","firstName":"R","lastName":"V"}"#
            #expect(
                try await client.send("POST", "/invitations/accept", tenant: "acme", json: revokedAccept).status == 404)

            _ = try await client.send("POST", "/invitations", tenant: "acme", json: #"{"email":"late@example.org"}"#)
            try await CRMTestDatabase.execute(
                "UPDATE tenant_acme.invitations SET expires_at = now() - interval '1 minute' WHERE email = 'late@example.org'"
            )
            #expect(try await client.send("POST", "/invitations/expire", tenant: "acme")["expired"]?.int == 1)
            let lateToken = try #require(await server.mailer.lastToken(to: "late@example.org", purpose: .invitation))
            let lateAccept =
                #"{"token":\#(quoted(lateToken)),"password":"invited-password","firstName":"L","lastName":"A"}"#
            #expect(
                try await client.send("POST", "/invitations/accept", tenant: "acme", json: lateAccept).status == 404)
        }
    }
}
