import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// `/invitations` of the current tenant: invite by email (not a member's), list with each one's status,
/// accept once, expire, revoke.
struct InvitationRoutes<Context: RequestContext> {
    let services: CRMServices

    private var invitations: InvitationsQueries { InvitationsQueries(services.database) }

    struct InviteInput: Decodable {
        var email: String
        var role: UserRole?
        var invitedBy: UUID?
    }

    struct AcceptInput: Decodable {
        var token: String
        var password: String
        var firstName: String
        var lastName: String
    }

    struct Expired: Encodable, Sendable {
        var expired: Int
    }

    func add(to group: RouterGroup<Context>) {
        group.post("invitations") { request, context in
            let input = try await request.decodeJSON(InviteInput.self, context: context)
            let email = try InputCheck.email(input.email)
            guard input.role != .owner else { throw APIError.invalid("role", "an invitation cannot make an owner") }
            let token = SecretToken.make()
            guard
                let invitation = try await invitations.createInvitation(
                    email: email, role: input.role ?? .member, token: token, invitedBy: input.invitedBy)
            else { throw APIError.conflict("\(email) is already a member of this tenant", field: "email") }
            try await services.mailer.send(Mail(to: email, purpose: .invitation, token: token))
            return JSONResponse(invitation, status: .created)
        }
        // Newest first, each with its status now (pending, accepted, expired, revoked); `?status=` narrows.
        group.get("invitations") { request, _ in
            let status = try request.query("status", as: "an invitation status") { InvitationStatus(rawValue: $0) }
            let page = try Paging(request)
            let rows = try await invitations.listInvitations(
                status: status, pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        // Creates the user and marks the invitation accepted in one statement: a token works once.
        group.post("invitations/accept") { request, context in
            let input = try await request.decodeJSON(AcceptInput.self, context: context)
            guard
                let user = try await invitations.acceptInvitation(
                    token: input.token, password: try InputCheck.password(input.password),
                    firstName: try InputCheck.text(input.firstName, "firstName", maximum: 100),
                    lastName: try InputCheck.text(input.lastName, "lastName", maximum: 100))
            else {
                throw APIError(
                    status: .notFound, code: "invitation_not_found",
                    message: "no pending invitation has this token (it may be accepted, expired or revoked)",
                    field: "token")
            }
            return JSONResponse(user, status: .created)
        }
        group.post("invitations/expire") { _, _ in
            JSONResponse(Expired(expired: try await invitations.expireInvitations()))
        }
        group.delete("invitations/:id") { _, context in
            guard try await invitations.revokeInvitation(id: try context.uuid("id")) == 1 else {
                throw APIError.notFound("pending invitation")
            }
            return NoContent()
        }
    }
}
