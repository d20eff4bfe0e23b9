import CRMDatabase
import Foundation
import SQLGenRuntime
import Tracing

/// The server's settings, read from environment variables; the defaults work with the
/// repository's `make db-start` (PostgreSQL on 127.0.0.1:5432, user `sqlgen`).
public struct CRMConfiguration: Sendable {
    /// The database (`DATABASE_URL`).
    public var database: PostgresConfiguration
    /// Where the server listens (`CRM_HOST`, `CRM_PORT`).
    public var host: String
    public var port: Int
    /// The domain tenants are subdomains of (`CRM_BASE_DOMAIN`): `acme.localhost` is tenant `acme`.
    public var baseDomain: String
    /// Connections in the pool, shared by all tenants (`CRM_POOL_SIZE`).
    public var poolSize: Int
    /// Connections one tenant may hold at once, so one busy tenant cannot starve the others
    /// (`CRM_POOL_SIZE_PER_TENANT`).
    public var poolSizePerTenant: Int
    /// How long a request waits for a database connection before it fails with a 503
    /// (`CRM_POOL_ACQUIRE_TIMEOUT_MS`): for a free connection when all are in use, and for the
    /// database when it is down (the pool retries failed connects until then), so an outage answers
    /// within this long instead of holding every request.
    public var poolAcquireTimeout: Duration
    /// The migrations `seed` applies (`CRM_SCHEMA_DIR`).
    public var migrations: URL
    /// When set, the second wall: each tenant's statements run under a role of its own named with
    /// this prefix, `crm_tenant_acme` for `crm_` (`CRM_TENANT_ROLE_PREFIX`; see the runtime's
    /// `TenantRoles`). The database user then needs `CREATEROLE` to create tenants.
    public var tenantRolePrefix: String?
    /// The tracer of each request's span and of its statements' and pool acquires' spans (set in code,
    /// not from the environment); nil: `InstrumentationSystem.tracer`, a no-op unless one was bootstrapped.
    public var tracer: (any Tracer)?

    public static let defaultDatabaseURL = "postgres://sqlgen@127.0.0.1:5432/postgres"

    /// Settings from `environment`, with an error naming the variable that is wrong.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        database = try PostgresConfiguration(url: environment["DATABASE_URL"] ?? Self.defaultDatabaseURL)
        host = environment["CRM_HOST"] ?? "127.0.0.1"
        port = try Self.integer(environment, "CRM_PORT", default: 8080, in: 0...65_535)
        baseDomain = (environment["CRM_BASE_DOMAIN"] ?? "localhost").lowercased()
        poolSize = try Self.integer(environment, "CRM_POOL_SIZE", default: 10, in: 1...1_000)
        poolSizePerTenant = try Self.integer(
            environment, "CRM_POOL_SIZE_PER_TENANT", default: max(1, poolSize / 2), in: 1...1_000)
        poolAcquireTimeout = .milliseconds(
            try Self.integer(environment, "CRM_POOL_ACQUIRE_TIMEOUT_MS", default: 1_000, in: 10...600_000))
        migrations = environment["CRM_SCHEMA_DIR"].map { URL(fileURLWithPath: $0) } ?? CRMSchema.bundledMigrations
        tenantRolePrefix = environment["CRM_TENANT_ROLE_PREFIX"]
    }

    private static func integer(
        _ environment: [String: String], _ name: String, default value: Int, in range: ClosedRange<Int>
    ) throws -> Int {
        guard let text = environment[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw CRMConfigurationError(variable: name, message: "expected a whole number in \(range), got \"\(text)\"")
        }
        return number
    }
}

/// A bad environment variable.
public struct CRMConfigurationError: Error, CustomStringConvertible {
    public var variable: String
    public var message: String
    public var description: String { "\(variable): \(message)" }
}
