import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// Activities (calls, emails, meetings, notes, tasks), logged communications, and the timelines
/// of a contact or a deal (both together, newest first), for the current tenant.
struct CommunicationRoutes<Context: RequestContext> {
    let services: CRMServices

    private var activities: ActivitiesQueries { ActivitiesQueries(services.database) }
    private var communications: CommunicationsQueries { CommunicationsQueries(services.database) }

    struct ActivityInput: Decodable {
        var type: ActivityType
        var subject: String
        var description: String?
        var contactID: UUID?
        var companyID: UUID?
        var dealID: UUID?
        var assignedTo: UUID?
        var createdBy: UUID?
        var dueAt: Date?
    }

    struct CommunicationInput: Decodable {
        var channel: CommunicationChannel
        var direction: CommunicationDirection
        var subject: String?
        var body: String?
        var contactID: UUID?
        var dealID: UUID?
        var userID: UUID?
        var occurredAt: Date?
        var durationSeconds: Int32?
        var metadata: JSONValue?
    }

    func add(to group: RouterGroup<Context>) {
        group.post("activities") { request, context in
            let input = try await request.decodeJSON(ActivityInput.self, context: context)
            if input.type == .task, input.dueAt == nil { throw APIError.invalid("dueAt", "is required for a task") }
            let params = ActivitiesQueries.CreateActivityParams(
                type: input.type, subject: try InputCheck.text(input.subject, "subject"),
                description: try InputCheck.optionalText(input.description, "description", maximum: 10_000),
                contactID: input.contactID, companyID: input.companyID, dealID: input.dealID,
                assignedTo: input.assignedTo, createdBy: input.createdBy, dueAt: input.dueAt)
            let activity = try await activities.createActivity(params)
            return JSONResponse(activity, status: .created)
        }
        group.get("activities/:id") { _, context in
            guard let activity = try await activities.getActivity(id: try context.uuid("id")) else {
                throw APIError.notFound("activity")
            }
            return JSONResponse(activity)
        }
        // Completing twice changes nothing: the second call answers 409.
        group.post("activities/:id/complete") { _, context in
            let id = try context.uuid("id")
            if let completed = try await activities.completeActivity(id: id) { return JSONResponse(completed) }
            guard try await activities.getActivity(id: id) != nil else { throw APIError.notFound("activity") }
            throw APIError.conflict("the activity is already complete")
        }
        group.delete("activities/:id") { _, context in
            guard try await activities.deleteActivity(id: try context.uuid("id")) == 1 else {
                throw APIError.notFound("activity")
            }
            return NoContent()
        }
        group.get("users/:id/tasks/upcoming") { request, context in
            let page = try Paging(request)
            let rows = try await activities.listUpcomingTasks(userID: try context.uuid("id"), pageSize: page.limit)
            return JSONResponse(ItemsPage(rows))
        }
        group.get("users/:id/tasks/overdue") { _, context in
            JSONResponse(ItemsPage(try await activities.listOverdueTasks(userID: try context.uuid("id"))))
        }
        group.post("communications") { request, context in
            let input = try await request.decodeJSON(CommunicationInput.self, context: context)
            if let seconds = input.durationSeconds {
                _ = try InputCheck.number(seconds, "durationSeconds", in: 0...86_400)
            }
            try InputCheck.object(input.metadata, "metadata")
            let params = CommunicationsQueries.LogCommunicationParams(
                channel: input.channel, direction: input.direction,
                subject: try InputCheck.optionalText(input.subject, "subject", maximum: 500),
                body: input.body, contactID: input.contactID, dealID: input.dealID, userID: input.userID,
                occurredAt: input.occurredAt ?? Date(), durationSeconds: input.durationSeconds,
                metadata: input.metadata ?? .object([:]))
            let logged = try await communications.logCommunication(params)
            return JSONResponse(logged, status: .created)
        }
        group.get("communications/:id") { _, context in
            guard let logged = try await communications.getCommunication(id: try context.uuid("id")) else {
                throw APIError.notFound("communication")
            }
            return JSONResponse(logged)
        }
        group.get("contacts/:id/communications") { request, context in
            let page = try Paging(request)
            let rows = try await communications.listCommunicationsForContact(
                contactID: try context.uuid("id"), pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("contacts/:id/timeline") { request, context in
            let page = try Paging(request)
            let rows = try await communications.contactTimeline(
                contactID: try context.uuid("id"), pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("deals/:id/timeline") { request, context in
            let page = try Paging(request)
            let rows = try await communications.dealTimeline(
                dealID: try context.uuid("id"), pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
    }
}
