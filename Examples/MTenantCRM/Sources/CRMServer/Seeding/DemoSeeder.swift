import CRMDatabase
import Foundation
import Logging
import SQLGenRuntime

/// Provisions the demo tenants and fills each with users, companies, contacts, deals, activities and
/// communications, all through the generated queries (in pipelined batches). A tenant that already
/// has users is left as it is, so seeding twice changes nothing.
public struct DemoSeeder: Sendable {
    /// The demo tenants: name and subdomain.
    public static let demoTenants = [("Acme Corporation", "acme"), ("Globex", "globex"), ("Initech", "initech")]
    /// The password of every seeded user (`owner@acme.example`, `admin@…`, `sales1@…`, `sales2@…`).
    public static let demoPassword = "correct-horse-battery"

    let services: CRMServices
    let contactsPerTenant: Int
    let logger: Logger

    public init(services: CRMServices, contactsPerTenant: Int = 300, logger: Logger) {
        self.services = services
        self.contactsPerTenant = contactsPerTenant
        self.logger = logger
    }

    /// What one tenant got.
    public struct Report: Sendable, CustomStringConvertible {
        public var subdomain: String
        public var users = 0
        public var companies = 0
        public var contacts = 0
        public var deals = 0
        public var activities = 0
        public var communications = 0
        public var skipped = false

        public var description: String {
            skipped
                ? "\(subdomain): already seeded"
                : "\(subdomain): \(users) users, \(companies) companies, \(contacts) contacts, \(deals) deals, "
                    + "\(activities) activities, \(communications) communications"
        }
    }

    /// Creates (or finds) each tenant and seeds it.
    public func seed(tenants: [(name: String, subdomain: String)] = demoTenants) async throws -> [Report] {
        var reports: [Report] = []
        for (name, subdomain) in tenants {
            let tenant = try await services.provisioner.createTenant(name: name, subdomain: subdomain)
            let report = try await withTenant(tenant) { try await seedCurrentTenant(subdomain: subdomain) }
            logger.info("seeded", metadata: ["tenant": "\(report)"])
            reports.append(report)
        }
        return reports
    }

    private func seedCurrentTenant(subdomain: String) async throws -> Report {
        let database = services.database
        var report = Report(subdomain: subdomain)
        if try await UsersQueries(database).countUsers().total > 0 {
            report.skipped = true
            return report
        }
        var random = SeededGenerator(seed: subdomain)
        let domain = "\(subdomain).example"

        var userStatements: [UsersQueries.CreateUser] = []
        for (local, role) in [("owner", UserRole.owner), ("admin", .admin), ("sales1", .member), ("sales2", .member)] {
            let params = UsersQueries.CreateUserParams(
                email: "\(local)@\(domain)", password: Self.demoPassword,
                firstName: DemoData.pick(DemoData.firstNames, &random),
                lastName: DemoData.pick(DemoData.lastNames, &random), role: role)
            userStatements.append(params)
        }
        let users = try await database.queryFirstBatch(userStatements).compactMap { $0?.id }
        report.users = users.count
        guard !users.isEmpty else { throw SeedError.nothingCreated("users") }

        var companyStatements: [CompaniesQueries.CreateCompany] = []
        for index in 0..<max(1, contactsPerTenant / 8) {
            let stem = DemoData.companyStems[index % DemoData.companyStems.count]
            let suffix = DemoData.companySuffixes[index / DemoData.companyStems.count % DemoData.companySuffixes.count]
            let slug = "\(stem)-\(suffix)-\(index)".lowercased()
            let params = CompaniesQueries.CreateCompanyParams(
                name: "\(stem) \(suffix)", domain: "\(slug).com", industry: DemoData.pick(DemoData.industries, &random),
                employeeCount: Int32(random.next() % 5_000 + 5), website: "https://\(slug).com",
                phone: "+1-555-\(1_000 + index)", address: .object(["city": .string("Springfield")]),
                customFields: .object(["segment": .string(index % 3 == 0 ? "enterprise" : "smb")]),
                ownerID: DemoData.pick(users, &random))
            companyStatements.append(params)
        }
        let companies = try await database.queryFirstBatch(companyStatements).compactMap { $0?.id }
        report.companies = companies.count
        guard !companies.isEmpty else { throw SeedError.nothingCreated("companies") }

        var contactStatements: [ContactsQueries.CreateContact] = []
        for index in 0..<contactsPerTenant {
            let first = DemoData.pick(DemoData.firstNames, &random)
            let last = DemoData.pick(DemoData.lastNames, &random)
            var tags: Set<String> = []
            for _ in 0..<Int(random.next() % 3) { tags.insert(DemoData.pick(DemoData.tags, &random)) }
            let params = ContactsQueries.CreateContactParams(
                companyID: companies[index % companies.count], firstName: first, lastName: last,
                email: "\(first).\(last).\(index)@customer.example".lowercased(), phone: "+1-555-\(2_000 + index)",
                jobTitle: DemoData.pick(DemoData.jobTitles, &random), tags: tags.sorted(),
                customFields: .object(["source": .string("seed")]), ownerID: DemoData.pick(users, &random))
            contactStatements.append(params)
        }
        let contacts = try await database.queryFirstBatch(contactStatements).compactMap { $0?.id }
        report.contacts = contacts.count
        guard !contacts.isEmpty else { throw SeedError.nothingCreated("contacts") }

        let today = Date()
        let calendar = Calendar(identifier: .gregorian)
        let openStages: [DealStage] = [.lead, .qualified, .proposal, .negotiation]
        var dealStatements: [DealsQueries.CreateDeal] = []
        for index in 0..<(contactsPerTenant * 2 / 5) {
            let closing = calendar.dateComponents(
                [.year, .month, .day], from: today.addingTimeInterval(Double(random.next() % 120) * 86_400))
            let params = DealsQueries.CreateDealParams(
                title: "\(DemoData.pick(DemoData.dealTopics, &random)) #\(index + 1)",
                contactID: contacts[index % contacts.count], companyID: companies[index % companies.count],
                stage: openStages[index % openStages.count], amount: Decimal(Int(random.next() % 90_000) + 1_000),
                currency: "USD", probability: Int16(random.next() % 90 + 10),
                expectedCloseDate: SQLDate(
                    year: closing.year ?? 2026, month: closing.month ?? 1, day: closing.day ?? 1),
                ownerID: DemoData.pick(users, &random))
            dealStatements.append(params)
        }
        let deals = try await database.queryFirstBatch(dealStatements).compactMap { $0?.id }
        report.deals = deals.count

        // Two in ten deals won, one in ten lost: each move goes through the stage history.
        let dealQueries = DealsQueries(database)
        for (index, id) in deals.enumerated() where index % 10 < 3 {
            let won = index % 10 < 2
            _ = try await dealQueries.moveDealStage(
                id: id, stage: won ? .closedWon : .closedLost, lostReason: won ? nil : "Chose a competitor",
                changedBy: users.first)
        }

        let kinds: [ActivityType] = [.call, .meeting, .note, .email]
        var activityStatements: [ActivitiesQueries.CreateActivity] = []
        for (index, contact) in contacts.enumerated() {
            let isTask = index % 2 == 0
            let dueAt = today.addingTimeInterval(Double(Int(random.next() % 30) - 10) * 86_400)
            let subject =
                isTask ? DemoData.pick(DemoData.taskSubjects, &random) : DemoData.pick(DemoData.noteSubjects, &random)
            let params = ActivitiesQueries.CreateActivityParams(
                type: isTask ? .task : kinds[index / 2 % kinds.count], subject: subject,
                description: "Seeded activity \(index + 1)", contactID: contact,
                companyID: companies[index % companies.count], dealID: index < deals.count ? deals[index] : nil,
                assignedTo: DemoData.pick(users, &random), createdBy: users.first, dueAt: isTask ? dueAt : nil)
            activityStatements.append(params)
        }
        report.activities = try await database.queryFirstBatch(activityStatements).count

        let channels: [CommunicationChannel] = [.email, .phone, .meeting, .chat]
        var communicationStatements: [CommunicationsQueries.LogCommunication] = []
        for (index, contact) in contacts.enumerated() {
            let channel = channels[index % channels.count]
            let params = CommunicationsQueries.LogCommunicationParams(
                channel: channel, direction: index % 3 == 0 ? .inbound : .outbound,
                subject: "\(DemoData.pick(DemoData.noteSubjects, &random)) follow-up",
                body: "Notes from conversation \(index + 1).", contactID: contact,
                dealID: index < deals.count ? deals[index] : nil, userID: DemoData.pick(users, &random),
                occurredAt: today.addingTimeInterval(-Double(random.next() % (60 * 86_400))),
                durationSeconds: channel == .phone ? Int32(random.next() % 1_800 + 60) : nil,
                metadata: .object(["seeded": .bool(true)]))
            communicationStatements.append(params)
        }
        report.communications = try await database.queryFirstBatch(communicationStatements).count
        return report
    }
}

/// Why seeding stopped.
public enum SeedError: Error, CustomStringConvertible {
    case nothingCreated(String)

    public var description: String {
        switch self {
        case .nothingCreated(let what): "seeding created no \(what), so nothing can refer to them"
        }
    }
}
