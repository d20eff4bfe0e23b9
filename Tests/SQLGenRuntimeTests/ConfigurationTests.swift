import Foundation
import Logging
import Testing

@testable import SQLGenRuntime

@Suite struct ConfigurationTests {
    @Test func urlsBecomeLibpqKeywords() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://app%40crm:s%3Acret@db.internal:6432/crm?sslmode=verify-full&connect_timeout=5")
        #expect(
            configuration.parameters == [
                "host": "db.internal", "port": "6432", "user": "app@crm", "password": "s:cret", "dbname": "crm",
                "sslmode": "verify-full", "connect_timeout": "5",
            ])
    }

    @Test func keywordStringsAreParsedWithQuotes() throws {
        let configuration = try PostgresConfiguration(
            keywords: #"host=localhost port=5432 password='it\'s a secret' dbname = crm"#)
        #expect(configuration.parameters["host"] == "localhost")
        #expect(configuration.parameters["dbname"] == "crm")
        #expect(configuration.parameters["port"] == "5432")
        #expect(configuration.parameters["password"] == "it's a secret")
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "host='open") }
    }

    @Test func environmentPrefersDatabaseURL() throws {
        let fromURL = try PostgresConfiguration.fromEnvironment(["DATABASE_URL": "postgres://u@h/d", "PGHOST": "other"])
        #expect(fromURL.parameters["host"] == "h")
        let fromVariables = try PostgresConfiguration.fromEnvironment([
            "PGHOST": "/tmp", "PGPORT": "5433", "PGUSER": "me", "PGDATABASE": "crm", "PGSSLMODE": "disable",
        ])
        #expect(
            fromVariables.parameters == [
                "host": "/tmp", "port": "5433", "user": "me", "dbname": "crm", "sslmode": "disable",
            ])
    }

    /// With no DATABASE_URL and no PG* variable, the server libpq's defaults pick is logged at info
    /// level; with either, nothing is.
    @Test func libpqsDefaultsAreLoggedWhenTheEnvironmentNamesNoServer() throws {
        let records = CapturingLogHandler.Records()
        let logger = Logger(label: "test.configuration") { _ in CapturingLogHandler(records: records) }
        let configuration = try PostgresConfiguration.fromEnvironment([:], logger: logger)
        #expect(configuration.parameters.isEmpty)
        let lines = records.lines.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("no DATABASE_URL or PG* variables: connecting with libpq's defaults") == true)
        // What libpq itself would use: the process's PGPORT (the test server's) or its default.
        let port = ProcessInfo.processInfo.environment["PGPORT"] ?? "5432"
        #expect(lines.first?.contains("port=\(port)") == true)
        _ = try PostgresConfiguration.fromEnvironment(["PGPORT": "5433"], logger: logger)
        _ = try PostgresConfiguration.fromEnvironment(["DATABASE_URL": "postgres://u@h/d"], logger: logger)
        #expect(records.lines.withLock { $0 }.count == 1)
    }

    @Test(arguments: [
        ("mysql://localhost/db", "url"),
        ("postgres://localhost:99999/db", "port"),
        ("postgres://localhost/db?sslmode=maybe", "sslmode"),
        ("postgres://localhost/db?connect_timeout=soon", "connect_timeout"),
    ])
    func invalidFieldsAreNamed(url: String, field: String) {
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: url) }
        do {
            _ = try PostgresConfiguration(url: url)
        } catch {
            #expect(error.field == field)
        }
    }

    @Test func sessionSettingsAreAdded() throws {
        let keywords = try PostgresConfiguration(url: "postgres://h/d").connectionKeywords
        let options = keywords.first { $0.0 == "options" }?.1 ?? ""
        #expect(options.contains("TimeZone=UTC"))
        #expect(options.contains("DateStyle=ISO"))
    }
}
