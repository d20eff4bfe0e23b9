import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// `/contacts` of the current tenant: CRUD, keyset pages, filters sorted as the caller chooses, search
/// (substring and full text), tags (`text[]`) and custom fields (`jsonb`).
struct ContactRoutes<Context: RequestContext> {
    let services: CRMServices

    private var contacts: ContactsQueries { ContactsQueries(services.database) }

    /// The fields a client sends to create or replace a contact (tags and custom fields only on create;
    /// afterwards they have endpoints of their own).
    struct ContactInput: Decodable {
        var companyID: UUID?
        var firstName: String
        var lastName: String
        var email: String?
        var phone: String?
        var jobTitle: String?
        var tags: [String]?
        var customFields: JSONValue?
        var ownerID: UUID?

        func checked() throws -> ContactInput {
            var input = self
            input.firstName = try InputCheck.text(firstName, "firstName", maximum: 100)
            input.lastName = try InputCheck.text(lastName, "lastName", maximum: 100)
            input.email = try InputCheck.optionalEmail(email)
            input.phone = try InputCheck.optionalText(phone, "phone", maximum: 50)
            input.jobTitle = try InputCheck.optionalText(jobTitle, "jobTitle", maximum: 100)
            input.tags = try tags?.enumerated().map { try Tag.checked($1, "tags[\($0)]") }
            try InputCheck.object(customFields, "customFields")
            return input
        }
    }

    struct TagInput: Decodable {
        var tag: String
    }

    struct CustomFieldInput: Decodable {
        var value: JSONValue
    }

    /// A page of contacts and the cursor of the next one (absent on the last page).
    struct ContactsPage: Encodable, Sendable {
        var items: [ContactsQueries.ListContactsPageRow]
        var nextCursor: String?
    }

    struct Count: Encodable, Sendable {
        var total: Int
    }

    func add(to group: RouterGroup<Context>) {
        group.post("contacts") { request, context in
            let input = try await request.decodeJSON(ContactInput.self, context: context).checked()
            let params = ContactsQueries.CreateContactParams(
                companyID: input.companyID, firstName: input.firstName, lastName: input.lastName, email: input.email,
                phone: input.phone, jobTitle: input.jobTitle, tags: input.tags ?? [],
                customFields: input.customFields ?? .object([:]), ownerID: input.ownerID)
            let contact = try await contacts.createContact(params)
            return JSONResponse(contact, status: .created)
        }
        // Newest first, a page at a time: pass `nextCursor` back as `after`.
        group.get("contacts") { request, _ in
            let page = try Paging(request)
            let after = try request.query("after", as: "a cursor from nextCursor", ContactCursor.init(text:))
            let rows = try await contacts.listContactsPage(
                afterCreatedAt: after?.createdAt, afterID: after?.id, pageSize: page.limit)
            let next =
                rows.count == page.limit ? rows.last.map { ContactCursor(createdAt: $0.createdAt, id: $0.id) } : nil
            return JSONResponse(ContactsPage(items: rows, nextCursor: next?.text))
        }
        group.get("contacts/count") { _, _ in
            JSONResponse(Count(total: try await contacts.countContacts()))
        }
        group.get("contacts/search") { request, _ in
            let query = try InputCheck.text(try request.requireQuery("q"), "q")
            let page = try Paging(request, defaultLimit: 20)
            switch request.query("mode") ?? "substring" {
            case "substring":
                let rows = try await contacts.searchContacts(query: query, pageSize: page.limit)
                return JSONResponse(ItemsPage(rows.map(ContactMatch.init)))
            case "fulltext":
                let rows = try await contacts.searchContactsFullText(query: query, pageSize: page.limit)
                return JSONResponse(ItemsPage(rows.map(ContactMatch.init)))
            default:
                throw APIError.invalid("mode", "must be substring or fulltext")
            }
        }
        // Any of company, owner, tag and creation time, in the order asked for (`sort=-created_at`): one
        // generated function whose nil arguments leave their conditions out.
        group.get("contacts/filter") { request, _ in
            let page = try Paging(request)
            let sorts = ContactsQueries.FilterContactsSort.allCases.map(\.rawValue).joined(separator: ", ")
            let sort = try request.query("sort", as: "one of \(sorts)", ContactsQueries.FilterContactsSort.init)
            let from = try request.query("created_from", as: "a timestamp", CalendarText.timestamp)
            let until = try request.query("created_until", as: "a timestamp", CalendarText.timestamp)
            let rows = try await contacts.filterContacts(
                pageSize: page.limit, pageOffset: page.offset,
                companyID: try request.query("company", as: "a UUID", UUID.init(uuidString:)),
                ownerID: try request.query("owner", as: "a UUID", UUID.init(uuidString:)),
                tag: try request.query("tag").map { try Tag.checked($0, "tag") },
                // One bound alone is a range open at its other end.
                createdFrom: from ?? until.map { _ in .distantPast },
                createdUntil: until ?? from.map { _ in .distantFuture },
                sort: sort ?? .nameAscending)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("contacts/tagged/:tag") { _, context in
            let tag = try Tag.checked(try context.parameters.require("tag"), "tag")
            return JSONResponse(ItemsPage(try await contacts.listContactsWithTag(tag: tag)))
        }
        group.get("contacts/:id") { _, context in
            guard let contact = try await contacts.getContact(id: try context.uuid("id")) else {
                throw APIError.notFound("contact")
            }
            return JSONResponse(contact)
        }
        group.put("contacts/:id") { request, context in
            let id = try context.uuid("id")
            let input = try await request.decodeJSON(ContactInput.self, context: context).checked()
            let params = ContactsQueries.UpdateContactParams(
                companyID: input.companyID, firstName: input.firstName, lastName: input.lastName, email: input.email,
                phone: input.phone, jobTitle: input.jobTitle, ownerID: input.ownerID, id: id)
            guard let contact = try await contacts.updateContact(params) else { throw APIError.notFound("contact") }
            return JSONResponse(contact)
        }
        group.delete("contacts/:id") { _, context in
            guard try await contacts.deleteContact(id: try context.uuid("id")) == 1 else {
                throw APIError.notFound("contact")
            }
            return NoContent()
        }
        group.post("contacts/:id/tags") { request, context in
            let id = try context.uuid("id")
            let tag = try Tag.checked(try await request.decodeJSON(TagInput.self, context: context).tag, "tag")
            if let tags = try await contacts.addContactTag(tag: tag, id: id) { return JSONResponse(tags) }
            // No row: the contact is missing, or already has the tag.
            guard let contact = try await contacts.getContact(id: id) else { throw APIError.notFound("contact") }
            return JSONResponse(contact.tags)
        }
        group.delete("contacts/:id/tags/:tag") { _, context in
            let tag = try Tag.checked(try context.parameters.require("tag"), "tag")
            guard let tags = try await contacts.removeContactTag(tag: tag, id: try context.uuid("id")) else {
                throw APIError.notFound("contact")
            }
            return JSONResponse(tags)
        }
        group.put("contacts/:id/custom-fields/:key") { request, context in
            let id = try context.uuid("id")
            let key = try InputCheck.text(try context.parameters.require("key"), "key", maximum: 100)
            let input = try await request.decodeJSON(CustomFieldInput.self, context: context)
            guard let customFields = try await contacts.setContactCustomField(key: key, value: input.value, id: id)
            else {
                throw APIError.notFound("contact")
            }
            return JSONResponse(customFields)
        }
    }
}

/// A search hit, the same shape for both kinds of search.
struct ContactMatch: Encodable, Sendable {
    var id: UUID
    var firstName: String
    var lastName: String
    var email: String?
    var rank: Float?

    init(_ row: ContactsQueries.SearchContactsRow) {
        (id, firstName, lastName, email, rank) = (row.id, row.firstName, row.lastName, row.email, nil)
    }

    init(_ row: ContactsQueries.SearchContactsFullTextRow) {
        (id, firstName, lastName, email, rank) = (row.id, row.firstName, row.lastName, row.email, row.rank)
    }
}

/// Tags: trimmed, lower-case, 1 to 50 characters.
enum Tag {
    static func checked(_ value: String, _ field: String) throws -> String {
        try InputCheck.text(value, field, maximum: 50).lowercased()
    }
}

/// Where a page of contacts ended: the last row's `created_at` (to the microsecond, as stored) and id,
/// sent to clients as one opaque base64url string.
struct ContactCursor {
    var createdAt: Date
    var id: UUID

    init(createdAt: Date, id: UUID) {
        self.createdAt = createdAt
        self.id = id
    }

    init?(text: String) {
        guard let data = Base64URL.decode(text), let decoded = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = decoded.split(separator: " ")
        guard parts.count == 2, let microseconds = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            return nil
        }
        self.createdAt = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
        self.id = id
    }

    var text: String {
        let microseconds = Int64((createdAt.timeIntervalSince1970 * 1_000_000).rounded())
        return Base64URL.encode(Data("\(microseconds) \(id.uuidString)".utf8))
    }
}
