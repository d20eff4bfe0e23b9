import Foundation
import Testing

extension CRMEndToEndTests {
    @Test(
        "moving a deal to the stage it is in changes nothing and records no history",
        arguments: CRMEndToEndTests.tenants)
    func sameStageMove(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let created = try await client.send(
                "POST", "/deals", tenant: tenant, json: #"{"title":"Standing still","amount":10}"#)
            let id = try #require(created["id"]?.string)
            let proposal = try await client.send(
                "POST", "/deals/\(id)/stage", tenant: tenant, json: #"{"stage":"proposal"}"#)
            #expect(proposal["stage"]?.string == "proposal")

            let again = try await client.send(
                "POST", "/deals/\(id)/stage", tenant: tenant, json: #"{"stage":"proposal"}"#)
            #expect(again.status == 200, "\(again)")
            #expect(again["id"]?.string == id)
            #expect(again["stage"]?.string == "proposal")
            #expect(again["previousStage"]?.string == "proposal")
            let history = try await client.send("GET", "/deals/\(id)/history", tenant: tenant)
            #expect(history.items.map { $0["toStage"]?.string } == ["proposal"])

            // Closed stays closed as it was: the same closing time, the first reason.
            let lost = try await client.send(
                "POST", "/deals/\(id)/stage", tenant: tenant, json: #"{"stage":"closed_lost","lostReason":"Budget"}"#)
            let closedAt = try #require(lost["closedAt"]?.string)
            let lostAgain = try await client.send(
                "POST", "/deals/\(id)/stage", tenant: tenant, json: #"{"stage":"closed_lost","lostReason":"Other"}"#)
            #expect(lostAgain.status == 200, "\(lostAgain)")
            #expect(lostAgain["closedAt"]?.string == closedAt)
            let deal = try await client.send("GET", "/deals/\(id)", tenant: tenant)
            #expect(deal["lostReason"]?.string == "Budget")
            #expect(deal["stage"]?.string == "closed_lost")
            let rows = try await CRMTestDatabase.values(
                "SELECT count(*) FROM tenant_\(tenant).deal_stage_history WHERE deal_id = '\(id)'")
            #expect(rows == ["2"])

            let missing = try await client.send(
                "POST", "/deals/\(UUID())/stage", tenant: tenant, json: #"{"stage":"proposal"}"#)
            #expect(missing.status == 404)
            #expect(try await client.send("DELETE", "/deals/\(id)", tenant: tenant).status == 204)
        }
    }
}
