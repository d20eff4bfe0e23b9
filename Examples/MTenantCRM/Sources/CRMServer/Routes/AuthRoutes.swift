import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// `/users` and `/auth/...` of the current tenant: accounts, sign-in and password resets.
/// Passwords are hashed in the database with bcrypt (pgcrypto's `crypt`) and never stored as given.
struct AuthRoutes<Context: RequestContext> {
    let services: CRMServices

    private var users: UsersQueries { UsersQueries(services.database) }

    struct CreateUserInput: Decodable {
        var email: String
        var password: String
        var firstName: String
        var lastName: String
        var role: UserRole?
    }

    struct ProfileInput: Decodable {
        var firstName: String
        var lastName: String
        var role: UserRole
    }

    struct SignInInput: Decodable {
        var email: String
        var password: String
    }

    struct ResetRequestInput: Decodable {
        var email: String
    }

    struct ResetInput: Decodable {
        var token: String
        var password: String
    }

    struct Accepted: Encodable, Sendable {
        var status = "accepted"
    }

    struct Purged: Encodable, Sendable {
        var purged: Int
    }

    func add(to group: RouterGroup<Context>) {
        group.post("users") { request, context in
            let input = try await request.decodeJSON(CreateUserInput.self, context: context)
            let params = UsersQueries.CreateUserParams(
                email: try InputCheck.email(input.email), password: try InputCheck.password(input.password),
                firstName: try InputCheck.text(input.firstName, "firstName", maximum: 100),
                lastName: try InputCheck.text(input.lastName, "lastName", maximum: 100), role: input.role ?? .member)
            let user = try await users.createUser(params)
            return JSONResponse(user, status: .created)
        }
        group.get("users") { request, _ in
            if let email = request.query("email") {
                let user = try await users.getUserByEmail(email: email)
                return JSONResponse(ItemsPage(user.map { [UserListing($0)] } ?? []))
            }
            let page = try Paging(request)
            let rows = try await users.listUsers(pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows.map(UserListing.init), page: page))
        }
        group.get("users/:id") { _, context in
            guard let user = try await users.getUserByID(id: try context.uuid("id")) else {
                throw APIError.notFound("user")
            }
            return JSONResponse(user)
        }
        group.put("users/:id") { request, context in
            let id = try context.uuid("id")
            let input = try await request.decodeJSON(ProfileInput.self, context: context)
            guard
                let user = try await users.updateUserProfile(
                    firstName: try InputCheck.text(input.firstName, "firstName", maximum: 100),
                    lastName: try InputCheck.text(input.lastName, "lastName", maximum: 100), role: input.role, id: id)
            else { throw APIError.notFound("user") }
            return JSONResponse(user)
        }
        group.post("users/:id/deactivate") { _, context in
            guard try await users.deactivateUser(id: try context.uuid("id")) == 1 else {
                throw APIError.notFound("active user")
            }
            return NoContent()
        }
        group.post("auth/sign-in") { request, context in
            let input = try await request.decodeJSON(SignInInput.self, context: context)
            guard let user = try await users.authenticateUser(email: input.email, password: input.password) else {
                _ = try await users.recordFailedLogin(email: input.email)
                throw APIError(status: .unauthorized, code: "bad_credentials", message: "wrong email or password")
            }
            try await users.recordLogin(id: user.id)
            return JSONResponse(user)
        }
        group.post("auth/password-resets", use: requestReset)
        group.post("auth/password-resets/redeem", use: redeemReset)
        group.post("auth/password-resets/purge") { _, _ in
            let purged = try await PasswordResetTokensQueries(services.database).purgeExpiredPasswordResetTokens()
            return JSONResponse(Purged(purged: purged))
        }
    }

    /// Mails a reset token to the user, if there is one; the answer is the same either way, so it
    /// does not tell who has an account.
    @Sendable func requestReset(_ request: Request, context: Context) async throws -> JSONResponse<Accepted> {
        let input = try await request.decodeJSON(ResetRequestInput.self, context: context)
        let email = try InputCheck.email(input.email)
        if let user = try await users.getUserByEmail(email: email), user.isActive {
            let token = SecretToken.make()
            _ = try await PasswordResetTokensQueries(services.database).createPasswordResetToken(
                userID: user.id, token: token, validFor: SQLInterval(microseconds: 3_600_000_000))
            try await services.mailer.send(Mail(to: user.email, purpose: .passwordReset, token: token))
        }
        return JSONResponse(Accepted(), status: .accepted)
    }

    /// Sets a new password with a reset token; the token works once (consumed and used in one transaction).
    @Sendable func redeemReset(_ request: Request, context: Context) async throws -> NoContent {
        let input = try await request.decodeJSON(ResetInput.self, context: context)
        let password = try InputCheck.password(input.password)
        let changed = try await services.database.withTransaction { transaction in
            guard
                let userID = try await PasswordResetTokensQueries(transaction).consumePasswordResetToken(
                    token: input.token)
            else { return false }
            return try await UsersQueries(transaction).changePassword(password: password, id: userID) == 1
        }
        guard changed else {
            throw APIError(
                status: .badRequest, code: "invalid_token", message: "the token is unknown, used or expired",
                field: "token")
        }
        return NoContent()
    }
}

/// A user as lists show them.
struct UserListing: Encodable, Sendable {
    var id: UUID
    var email: String
    var firstName: String
    var lastName: String
    var role: UserRole
    var isActive: Bool
    var lastLoginAt: Date?

    init(_ row: UsersQueries.ListUsersRow) {
        (id, email, firstName, lastName) = (row.id, row.email, row.firstName, row.lastName)
        (role, isActive, lastLoginAt) = (row.role, row.isActive, row.lastLoginAt)
    }

    init(_ row: UsersQueries.GetUserByEmailRow) {
        (id, email, firstName, lastName) = (row.id, row.email, row.firstName, row.lastName)
        (role, isActive, lastLoginAt) = (row.role, row.isActive, row.lastLoginAt)
    }
}
