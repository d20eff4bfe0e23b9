import Foundation
import Testing

extension CRMEndToEndTests {
    @Test(
        "deals: CRUD, stage moves with history, pipeline, closing range, by owner, win/loss",
        arguments: CRMEndToEndTests.tenants)
    func dealEndpoints(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let owner = try #require(
                try await client.send("GET", "/users?email=owner@\(tenant).example", tenant: tenant).items.first?["id"]?
                    .string)
            let created = try await client.send(
                "POST", "/deals", tenant: tenant,
                json: #"""
                    {"title":"Test deal","amount":12345.67,"currency":"eur","probability":40,
                     "expectedCloseDate":"2031-05-17","ownerID":"\#(owner)"}
                    """#)
            #expect(created.status == 201, "\(created)")
            #expect(created["stage"]?.string == "lead")
            #expect(created["currency"]?.string == "EUR")
            #expect(created["amount"] == .number("12345.67"))
            #expect(created["expectedCloseDate"]?.string == "2031-05-17")
            let id = try #require(created["id"]?.string)

            let updated = try await client.send(
                "PUT", "/deals/\(id)", tenant: tenant,
                json:
                    #"{"title":"Test deal (extended)","amount":20000,"expectedCloseDate":"2031-06-01","ownerID":"\#(owner)"}"#
            )
            #expect(updated["title"]?.string == "Test deal (extended)")
            #expect(updated["amount"] == .number("20000"))
            #expect(
                try await client.send("GET", "/deals/\(id)", tenant: tenant)["title"]?.string == "Test deal (extended)")

            let moved = try await client.send(
                "POST", "/deals/\(id)/stage", tenant: tenant, json: #"{"stage":"proposal","changedBy":"\#(owner)"}"#)
            #expect(moved["previousStage"]?.string == "lead")
            #expect(moved["stage"]?.string == "proposal")
            let lost = try await client.send(
                "POST", "/deals/\(id)/stage", tenant: tenant,
                json: #"{"stage":"closed_lost","lostReason":"Budget cut"}"#)
            #expect(lost["closedAt"]?.string != nil)
            let history = try await client.send("GET", "/deals/\(id)/history", tenant: tenant)
            #expect(history.items.map { $0["toStage"]?.string } == ["proposal", "closed_lost"])
            #expect(history.items.first?["changedByEmail"]?.string == "owner@\(tenant).example")
            #expect(try await client.send("GET", "/deals/\(id)", tenant: tenant)["lostReason"]?.string == "Budget cut")

            #expect(
                try await client.send("GET", "/deals?stage=closed_lost&limit=200", tenant: tenant).items.contains {
                    $0["id"]?.string == id
                })
            #expect(
                try await client.send("GET", "/users/\(owner)/deals", tenant: tenant).items.contains {
                    $0["id"]?.string == id
                })
            let winLoss = try await client.send("GET", "/deals/win-loss", tenant: tenant)
            #expect(winLoss.items.reduce(0) { $0 + ($1["lost"]?.int ?? 0) } >= 1)

            // Open deals closing in a range; this one is closed, a new one in the range is listed.
            let open = try await client.send(
                "POST", "/deals", tenant: tenant,
                json: #"{"title":"Range deal","amount":5,"expectedCloseDate":"2031-06-15"}"#)
            let openID = try #require(open["id"]?.string)
            let closing = try await client.send("GET", "/deals/closing?from=2031-06-01&to=2031-06-30", tenant: tenant)
            #expect(closing.items.map { $0["id"]?.string } == [openID])
            #expect(
                try await client.send("GET", "/deals/closing?from=2031-06-30&to=2031-06-01", tenant: tenant).status
                    == 400)
            #expect(
                try await client.send("GET", "/deals/closing?from=June&to=2031-06-01", tenant: tenant)["error"]?[
                    "field"]?.string == "from")

            #expect(try await client.send("DELETE", "/deals/\(openID)", tenant: tenant).status == 204)
            #expect(try await client.send("DELETE", "/deals/\(id)", tenant: tenant).status == 204)
            #expect(try await client.send("GET", "/deals/\(id)", tenant: tenant).status == 404)
            #expect(try await client.send("GET", "/deals/\(id)/history", tenant: tenant).items.isEmpty)
        }
    }

    @Test("the pipeline summary matches a direct count in each tenant's schema", arguments: CRMEndToEndTests.tenants)
    func pipelineMatchesSQL(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let summary = try await server.client.send("GET", "/deals/pipeline", tenant: tenant)
            let fromAPI = summary.items.map { item in
                "\(item["stage"]?.string ?? "?") \(item["deals"]?.int ?? -1) \(item["totalAmount"]?.decimal ?? -1)"
            }
            let direct = try await CRMTestDatabase.values(
                "SELECT stage || ' ' || count(*) || ' ' || trim_scale(sum(amount)) FROM tenant_\(tenant).deals "
                    + "GROUP BY stage ORDER BY stage")
            #expect(!fromAPI.isEmpty)
            #expect(fromAPI == direct.map { $0 ?? "" })
        }
    }
}
