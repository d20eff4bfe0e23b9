import Foundation
import Testing

extension CRMEndToEndTests {
    @Test("dates and timestamps that are not days of the calendar, or not dates at all, are a 400 naming the field")
    func invalidDates() async throws {
        try await CRMTestServer.run { server in
            let client = server.client
            let deal = try await client.send(
                "POST", "/deals", tenant: "acme",
                json: #"{"title":"Leap deal","amount":1,"expectedCloseDate":"2028-02-29"}"#)
            #expect(deal.status == 201, "\(deal)")
            #expect(deal["expectedCloseDate"]?.string == "2028-02-29")
            let dealID = try #require(deal["id"]?.string)
            let activity = try await client.send(
                "POST", "/activities", tenant: "acme",
                json: #"{"type":"call","subject":"Offset","dueAt":"2030-01-31T09:30:00+02:00"}"#)
            #expect(activity.status == 201, "\(activity)")
            #expect(activity["dueAt"]?.string == "2030-01-31T07:30:00Z")

            let cases: [(method: String, path: String, body: String?, field: String)] = [
                ("POST", "/deals", #"{"title":"T","amount":1,"expectedCloseDate":"2027-02-30"}"#, "expectedCloseDate"),
                ("POST", "/deals", #"{"title":"T","amount":1,"expectedCloseDate":"2027-02-29"}"#, "expectedCloseDate"),
                ("POST", "/deals", #"{"title":"T","amount":1,"expectedCloseDate":"next week"}"#, "expectedCloseDate"),
                (
                    "PUT", "/deals/\(dealID)", #"{"title":"T","amount":1,"expectedCloseDate":"2031-04-31"}"#,
                    "expectedCloseDate"
                ),
                ("GET", "/deals/closing?from=2027-02-30&to=2027-03-31", nil, "from"),
                ("GET", "/deals/closing?from=2027-02-01&to=2027-02-29", nil, "to"),
                ("GET", "/deals/closing?from=next%20week&to=2027-03-31", nil, "from"),
                ("POST", "/activities", #"{"type":"call","subject":"S","dueAt":"2027-02-30T10:00:00Z"}"#, "dueAt"),
                ("POST", "/activities", #"{"type":"call","subject":"S","dueAt":"2027-02-28T24:00:00Z"}"#, "dueAt"),
                ("POST", "/activities", #"{"type":"call","subject":"S","dueAt":"next week"}"#, "dueAt"),
                ("POST", "/activities", #"{"type":"call","subject":"S","dueAt":"2027-03-01"}"#, "dueAt"),
                (
                    "POST", "/communications",
                    #"{"channel":"phone","direction":"outbound","occurredAt":"2027-02-30T10:00:00Z"}"#, "occurredAt"
                ),
                (
                    "POST", "/communications", #"{"channel":"phone","direction":"outbound","occurredAt":"next week"}"#,
                    "occurredAt"
                ),
            ]
            for (method, path, body, field) in cases {
                let response = try await client.send(method, path, tenant: "acme", json: body)
                #expect(response.status == 400, "\(method) \(path) \(body ?? ""): \(response)")
                #expect(response["error"]?["code"]?.string == "invalid_input", "\(path) \(body ?? "")")
                #expect(response["error"]?["field"]?.string == field, "\(method) \(path) \(body ?? ""): \(response)")
            }
            #expect(try await client.send("DELETE", "/deals/\(dealID)", tenant: "acme").status == 204)
        }
    }
}
