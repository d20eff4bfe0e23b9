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
        abstract: "Apply the shared migrations and bring every tenant schema up to the latest template migration.")

    func run() async throws {
        let configuration = try CRMConfiguration()
        let logger = Logger.crm
        let services = try CRMServices(configuration: configuration, mailer: LogMailer(logger: logger), logger: logger)
        try await SharedSchemaMigrator(configuration: configuration.database, directory: configuration.migrations)
            .migrate()
        let terminal = TerminalMigrationProgress()
        let results = try await services.provisioner.migrateAll(progress: terminal.report)
        await services.database.close()
        let failed = results.filter { $0.failure != nil }
        guard failed.isEmpty else {
            throw ValidationError("\(failed.count) of \(results.count) tenants failed to migrate (see above)")
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
