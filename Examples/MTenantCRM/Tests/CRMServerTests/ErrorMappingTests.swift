import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("suspended tenants get 403, deleted and unknown ones 404, and reactivation restores access")
    func tenantStates() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let globex = try #require(try await client.send("GET", "/admin/tenants/globex")["id"]?.string)
            let suspended = try await client.send("POST", "/admin/tenants/\(globex)/suspend")
            #expect(suspended["status"]?.string == "suspended")
            #expect(try await client.send("POST", "/admin/tenants/\(globex)/suspend").status == 409)
            let refused = try await client.send("GET", "/contacts/count", tenant: "globex")
            #expect(refused.status == 403)
            #expect(refused["error"]?["code"]?.string == "tenant_suspended")
            #expect(try await client.send("GET", "/contacts/count", tenant: "acme").status == 200)
            let listed = try await client.send("GET", "/admin/tenants?status=suspended")
            #expect(listed.items.compactMap { $0["subdomain"]?.string } == ["globex"])
            #expect(try await client.send("POST", "/admin/tenants/\(globex)/reactivate")["status"]?.string == "active")
            #expect(try await client.send("GET", "/contacts/count", tenant: "globex").status == 200)

            let name = "gone-\(UUID().uuidString.prefix(6).lowercased())"
            let gone = try await client.send("POST", "/admin/tenants", json: #"{"name":"Gone","subdomain":"\#(name)"}"#)
            let goneID = try #require(gone["id"]?.string)
            #expect(try await client.send("GET", "/contacts/count", tenant: name).status == 200)
            #expect(try await client.send("DELETE", "/admin/tenants/\(goneID)").status == 204)
            #expect(try await client.send("GET", "/admin/tenants/\(goneID)")["status"]?.string == "deleted")
            let schemas = try await CRMTestDatabase.values(
                "SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_\(name.replacingOccurrences(of: "-", with: "_"))'"
            )
            #expect(schemas == ["0"])
            let deleted = try await client.send("GET", "/contacts/count", tenant: name)
            #expect(deleted.status == 404)
            #expect(deleted["error"]?["code"]?.string == "unknown_tenant")
        }
    }

    @Test("bad input is a 400 naming the field; duplicates a 409")
    func inputErrors() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let cases: [(method: String, path: String, body: String?, field: String)] = [
                ("POST", "/users", #"{"email":"a@b.example","password":"long-enough-1","lastName":"X"}"#, "firstName"),
                (
                    "POST", "/users",
                    #"{"email":"not-an-email","password":"long-enough-1","firstName":"A","lastName":"X"}"#, "email"
                ),
                (
                    "POST", "/users", #"{"email":"a@b.example","password":"short","firstName":"A","lastName":"X"}"#,
                    "password"
                ),
                (
                    "POST", "/users",
                    #"{"email":"a@b.example","password":"long-enough-1","firstName":" ","lastName":"X"}"#, "firstName"
                ),
                (
                    "POST", "/users",
                    #"{"email":"a@b.example","password":"long-enough-1","firstName":"A","lastName":"X","role":"king"}"#,
                    "role"
                ),
                ("POST", "/deals", #"{"title":"T","amount":"lots"}"#, "amount"),
                ("POST", "/deals", #"{"title":"T","amount":1,"probability":101}"#, "probability"),
                ("POST", "/deals", #"{"title":"T","amount":1,"currency":"EURO"}"#, "currency"),
                ("POST", "/deals", #"{"title":"T","amount":1,"expectedCloseDate":"31/12/2030"}"#, "expectedCloseDate"),
                ("POST", "/contacts", #"{"firstName":"A","lastName":"B","tags":["ok", ""]}"#, "tags[1]"),
                ("POST", "/contacts", #"{"firstName":"A","lastName":"B","companyID":"\#(UUID())"}"#, "companyID"),
                ("POST", "/contacts", #"{"firstName":"A","lastName":"B","customFields":[1]}"#, "customFields"),
                ("POST", "/invitations", #"{"email":"boss@example.org","role":"owner"}"#, "role"),
                ("POST", "/contacts", #"{"firstName":"A","#, "body"),
                ("GET", "/contacts/not-a-uuid", nil, "id"),
                ("GET", "/companies?limit=0", nil, "limit"),
                ("GET", "/companies?offset=-1", nil, "offset"),
                ("GET", "/deals?stage=won", nil, "stage"),
            ]
            for (method, path, body, field) in cases {
                let response = try await client.send(method, path, tenant: "acme", json: body)
                #expect(response.status == 400, "\(method) \(path) \(body ?? ""): \(response)")
                #expect(response["error"]?["code"]?.string == "invalid_input", "\(path)")
                #expect(response["error"]?["field"]?.string == field, "\(method) \(path) \(body ?? "")")
            }

            let duplicate = try await client.send(
                "POST", "/users", tenant: "acme",
                json: #"{"email":"OWNER@acme.example","password":"long-enough-1","firstName":"A","lastName":"B"}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate["error"]?["code"]?.string == "conflict")
            #expect(duplicate["error"]?["field"]?.string == "email")
            let pending = #"{"email":"twice@example.org"}"#
            _ = try await client.send("POST", "/invitations", tenant: "acme", json: pending)
            let second = try await client.send("POST", "/invitations", tenant: "acme", json: pending)
            #expect(second.status == 409)
            #expect(second["error"]?["field"]?.string == "email")
            #expect(try await client.send("GET", "/no/such/route", tenant: "acme").status == 404)
        }
    }

    @Test("anything else is a 500 with the request id and none of the database's words")
    func internalErrors() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let name = "broken-\(UUID().uuidString.prefix(6).lowercased())"
            #expect(
                try await client.send("POST", "/admin/tenants", json: #"{"name":"Broken","subdomain":"\#(name)"}"#)
                    .status == 201)
            let schema = "tenant_" + name.replacingOccurrences(of: "-", with: "_")
            try await CRMTestDatabase.execute(
                "ALTER TABLE \(schema).activities RENAME COLUMN subject TO secret_subject_column")
            let response = try await client.send("GET", "/users/\(UUID())/tasks/upcoming", tenant: name)
            #expect(response.status == 500)
            #expect(response["error"]?["code"]?.string == "internal_error")
            let requestID = try #require(response["error"]?["requestID"]?.string)
            #expect(response.headers["x-request-id"] == requestID)
            let text = "\(response.body)"
            for leak in ["secret_subject_column", "subject", "column", schema, "SQLSTATE", "42703"] {
                #expect(!text.contains(leak), "\(leak) in \(text)")
            }
        }
    }

    @Test("the registry: create, look up, list, plans, plan and settings changes")
    func tenantAdministration() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let name = "hooli-\(UUID().uuidString.prefix(6).lowercased())"
            let created = try await client.send(
                "POST", "/admin/tenants",
                json:
                    #"{"name":"Hooli","subdomain":"\#(name.uppercased())","plan":"starter","settings":{"locale":"en"}}"#
            )
            #expect(created.status == 201, "\(created)")
            #expect(created["subdomain"]?.string == name)
            #expect(created["plan"]?.string == "starter")
            #expect(created["schemaName"]?.string == "tenant_" + name.replacingOccurrences(of: "-", with: "_"))
            let id = try #require(created["id"]?.string)
            let again = try await client.send(
                "POST", "/admin/tenants", json: #"{"name":"Hooli","subdomain":"\#(name)"}"#)
            #expect(again.status == 409)
            #expect(again["error"]?["field"]?.string == "subdomain")
            for (body, field) in [
                (#"{"name":"X","subdomain":"Bad_Name"}"#, "subdomain"),
                (#"{"name":"X","subdomain":"ok-\#(name)","plan":"gold"}"#, "plan"),
                (#"{"name":"","subdomain":"ok-\#(name)"}"#, "name"),
                (#"{"name":"X","subdomain":"ok-\#(name)","settings":3}"#, "settings"),
            ] {
                let response = try await client.send("POST", "/admin/tenants", json: body)
                #expect(response.status == 400, "\(body)")
                #expect(response["error"]?["field"]?.string == field, "\(body)")
            }

            // The new tenant works at once, with a schema of its own.
            let user = try await client.send(
                "POST", "/users", tenant: name,
                json: #"{"email":"first@hooli.example","password":"long-enough-1","firstName":"F","lastName":"U"}"#)
            #expect(user.status == 201)
            #expect(try await client.send("GET", "/contacts/count", tenant: name)["total"]?.int == 0)

            #expect(try await client.send("GET", "/admin/tenants/\(id)")["subdomain"]?.string == name)
            #expect(try await client.send("GET", "/admin/tenants/\(name)")["id"]?.string == id)
            #expect(try await client.send("GET", "/admin/tenants/nobody-here").status == 404)
            let plans = try await client.send("GET", "/admin/plans")
            #expect(plans.items.compactMap { $0["code"]?.string } == ["free", "starter", "professional", "enterprise"])
            let stats = try await client.send("GET", "/admin/tenants/stats")
            #expect(stats.items.first { $0["status"]?.string == "active" }?["tenants"]?.int ?? 0 >= 3)
            #expect(
                try await client.send("PUT", "/admin/tenants/\(id)/plan", json: #"{"plan":"enterprise"}"#)["plan"]?
                    .string == "enterprise")
            #expect(
                try await client.send("PUT", "/admin/tenants/\(id)/plan", json: #"{"plan":"gold"}"#)["error"]?["field"]?
                    .string == "plan")
            let settings = try await client.send(
                "PATCH", "/admin/tenants/\(id)/settings", json: #"{"settings":{"theme":"dark"}}"#)
            #expect(settings["settings"] == .object(["locale": .string("en"), "theme": .string("dark")]))
        }
    }
}
