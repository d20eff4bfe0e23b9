import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("activities, tasks, communications and timelines", arguments: CRMEndToEndTests.tenants)
    func communicationEndpoints(tenant: String) async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let user = try #require(
                try await client.send("GET", "/users?email=sales1@\(tenant).example", tenant: tenant).items.first?[
                    "id"]?.string)
            let contact = try await client.send(
                "POST", "/contacts", tenant: tenant, json: #"{"firstName":"Tim","lastName":"Eline"}"#)
            let contactID = try #require(contact["id"]?.string)
            let deal = try await client.send(
                "POST", "/deals", tenant: tenant,
                json: #"{"title":"Timeline deal","amount":1,"contactID":"\#(contactID)"}"#)
            let dealID = try #require(deal["id"]?.string)

            let now = Date()
            func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
            let noTaskDate = try await client.send(
                "POST", "/activities", tenant: tenant, json: #"{"type":"task","subject":"Missing due date"}"#)
            #expect(noTaskDate.status == 400)
            #expect(noTaskDate["error"]?["field"]?.string == "dueAt")
            let upcoming = try await client.send(
                "POST", "/activities", tenant: tenant,
                json: #"""
                    {"type":"task","subject":"Send contract","contactID":"\#(contactID)","dealID":"\#(dealID)",
                     "assignedTo":"\#(user)","dueAt":"\#(iso(now.addingTimeInterval(86_400)))"}
                    """#)
            #expect(upcoming.status == 201, "\(upcoming)")
            let upcomingID = try #require(upcoming["id"]?.string)
            let overdue = try await client.send(
                "POST", "/activities", tenant: tenant,
                json: #"""
                    {"type":"task","subject":"Call back","contactID":"\#(contactID)","assignedTo":"\#(user)",
                     "dueAt":"\#(iso(now.addingTimeInterval(-86_400)))"}
                    """#)
            let overdueID = try #require(overdue["id"]?.string)
            let note = try await client.send(
                "POST", "/activities", tenant: tenant,
                json: #"{"type":"note","subject":"Met at the fair","contactID":"\#(contactID)"}"#)
            #expect(note.status == 201)
            #expect(
                try await client.send("GET", "/activities/\(upcomingID)", tenant: tenant)["subject"]?.string
                    == "Send contract")

            let upcomingTasks = try await client.send("GET", "/users/\(user)/tasks/upcoming?limit=200", tenant: tenant)
            #expect(upcomingTasks.items.contains { $0["id"]?.string == upcomingID })
            #expect(!upcomingTasks.items.contains { $0["id"]?.string == overdueID })
            let overdueTasks = try await client.send("GET", "/users/\(user)/tasks/overdue", tenant: tenant)
            let overdueRow = try #require(overdueTasks.items.first { $0["id"]?.string == overdueID })
            #expect(overdueRow["overdueBy"]?.string?.hasPrefix("P") == true)

            let completed = try await client.send("POST", "/activities/\(overdueID)/complete", tenant: tenant)
            #expect(completed.status == 200)
            #expect(completed["completedAt"]?.string != nil)
            #expect(try await client.send("POST", "/activities/\(overdueID)/complete", tenant: tenant).status == 409)
            #expect(
                !(try await client.send("GET", "/users/\(user)/tasks/overdue", tenant: tenant).items.contains {
                    $0["id"]?.string == overdueID
                }))

            let call = try await client.send(
                "POST", "/communications", tenant: tenant,
                json: #"""
                    {"channel":"phone","direction":"outbound","subject":"Intro call","contactID":"\#(contactID)",
                     "dealID":"\#(dealID)","userID":"\#(user)","durationSeconds":300,"metadata":{"recording":"r-1"},
                     "occurredAt":"\#(iso(now.addingTimeInterval(3_600)))"}
                    """#)
            #expect(call.status == 201, "\(call)")
            let callID = try #require(call["id"]?.string)
            #expect(
                try await client.send("GET", "/communications/\(callID)", tenant: tenant)["metadata"]?["recording"]?
                    .string == "r-1")
            #expect(
                try await client.send("GET", "/contacts/\(contactID)/communications", tenant: tenant).items.map {
                    $0["id"]?.string
                } == [callID])

            // The contact's timeline: activities and communications together, newest first, paged.
            let timeline = try await client.send("GET", "/contacts/\(contactID)/timeline", tenant: tenant)
            #expect(timeline.items.count == 4)
            #expect(timeline.items.first?["id"]?.string == callID)
            #expect(timeline.items.first?["kind"]?.string == "communication")
            #expect(Set(timeline.items.compactMap { $0["kind"]?.string }) == ["activity", "communication"])
            let dates = timeline.items.compactMap { $0["happenedAt"]?.string }
            #expect(dates == dates.sorted(by: >))
            let secondPage = try await client.send(
                "GET", "/contacts/\(contactID)/timeline?limit=2&offset=2", tenant: tenant)
            #expect(secondPage.items.map { $0["id"]?.string } == timeline.items.dropFirst(2).map { $0["id"]?.string })
            let dealTimeline = try await client.send("GET", "/deals/\(dealID)/timeline", tenant: tenant)
            #expect(Set(dealTimeline.items.compactMap { $0["id"]?.string }) == [callID, upcomingID])

            #expect(try await client.send("DELETE", "/activities/\(upcomingID)", tenant: tenant).status == 204)
            #expect(try await client.send("GET", "/activities/\(upcomingID)", tenant: tenant).status == 404)
        }
    }
}
