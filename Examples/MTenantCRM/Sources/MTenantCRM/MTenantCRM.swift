import ArgumentParser
import CRMServer
import Foundation
import Logging
import SQLGenRuntime

/// `mtenant-crm`: run the CRM's API, or set its database up.
@main
struct MTenantCRM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mtenant-crm",
        abstract: "A multi-tenant CRM API on sqlgen-generated code.",
        subcommands: [Serve.self, Seed.self, Migrate.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the HTTP API (CRM_HOST:CRM_PORT).")

    func run() async throws {
        let configuration = try CRMConfiguration()
        let logger = Logger.crm
        let services = try CRMServices(configuration: configuration, mailer: LogMailer(logger: logger), logger: logger)
        let application = CRMApplication.application(configuration: configuration, services: services, logger: logger)
        try await application.runService()
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the shared migrations, then create acme, globex and initech with demo data.")

    @Option(help: "Contacts per tenant (companies, deals, activities and communications scale with it).")
    var contacts = 300

    func validate() throws {
        guard (1...100_000).contains(contacts) else { throw ValidationError("--contacts must be 1 to 100000") }
    }

    func run() async throws {
        let configuration = try CRMConfiguration()
        let logger = Logger.crm
        let services = try CRMServices(configuration: configuration, mailer: LogMailer(logger: logger), logger: logger)
        try await SharedSchemaMigrator(configuration: configuration.database, directory: configuration.migrations)
            .migrate()
        for report in try await DemoSeeder(services: services, contactsPerTenant: contacts, logger: logger).seed() {
            print(report)
        }
        print("users sign in with password \"\(DemoSeeder.demoPassword)\", e.g. owner@acme.example")
        await services.database.close()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the shared migrations and bring tenant schemas up to the latest template migration.",
        discussion: """
            One run at a time: a second run (another deploy) fails at once, naming the first. Tenants \
            whose migration failed are marked dirty and skipped until repaired with --repair. Exits \
            non-zero when any selected tenant failed or is dirty.
            """)

    @Flag(help: "Only report how many tenants are at each version and which are dirty.")
    var status = false

    @Flag(help: "Show what would be applied to which tenants, and apply nothing.")
    var dryRun = false

    @Option(name: .customLong("tenant"), help: "Only this tenant's subdomain (repeatable).")
    var tenants: [String] = []

    @Option(
        name: .customLong("where"), help: "Only tenants whose registry column has this value: plan=pro (repeatable).")
    var filters: [String] = []

    @Option(help: "Only this percentage of the tenants, chosen by a hash of the subdomain (a canary).")
    var percent: Double?

    @Option(help: "Tenants migrated at a time.")
    var parallelism = 4

    @Option(help: "Mark this dirty tenant clean at the version before its failed migration, then stop.")
    var repair: String?

    func validate() throws {
        guard (1...64).contains(parallelism) else { throw ValidationError("--parallelism must be 1 to 64") }
        if let percent, !(0...100).contains(percent) { throw ValidationError("--percent must be 0 to 100") }
        for filter in filters where filter.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--where takes column=value, not \"\(filter)\"")
        }
    }

    /// The tenants the options select.
    var selection: TenantSelection {
        var selection = tenants.isEmpty ? TenantSelection.all : .subdomains(tenants)
        let pairs = filters.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        for (column, values) in Dictionary(grouping: pairs, by: { $0[0] }) {
            selection = selection.matching(column, values.map { $0[1] })
        }
        if let percent { selection = selection.percentage(percent) }
        return selection
    }

    func run() async throws {
        let configuration = try CRMConfiguration()
        let logger = Logger.crm
        let services = try CRMServices(configuration: configuration, mailer: LogMailer(logger: logger), logger: logger)
        do {
            try await run(configuration, services)
            await services.database.close()
        } catch {
            await services.database.close()
            throw error
        }
    }

    private func run(_ configuration: CRMConfiguration, _ services: CRMServices) async throws {
        if let repair {
            let version = try await services.provisioner.repairMigration(subdomain: repair)
            print("\(repair): marked clean at version \(version); the next run applies what follows")
            return
        }
        if status || dryRun {
            print(try await services.provisioner.migrationStatus(selection))
            return
        }
        try await SharedSchemaMigrator(configuration: configuration.database, directory: configuration.migrations)
            .migrate()
        let terminal = TerminalMigrationProgress()
        let results = try await services.provisioner.migrateAll(
            selection, parallelism: parallelism, progress: terminal.report)
        let applied = results.filter { !$0.applied.isEmpty && $0.failure == nil }.count
        let failed = results.filter { $0.failure != nil }
        print(
            "\(results.count) tenants: \(applied) migrated, \(results.count - applied - failed.count) up to date, \(failed.count) failed or dirty"
        )
        for result in failed { print("  \(result.subdomain): \(result.failure ?? "")") }
        guard failed.isEmpty else {
            throw ExitCode.failure
        }
    }
}

extension Logger {
    /// The command's logger, at the level `LOG_LEVEL` names (`info` when unset).
    static var crm: Logger {
        var logger = Logger(label: "mtenant-crm")
        if let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            logger.logLevel = level
        }
        return logger
    }
}
