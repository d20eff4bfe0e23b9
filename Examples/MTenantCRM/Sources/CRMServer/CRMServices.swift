import CRMDatabase
import Foundation
import Logging
import SQLGenRuntime

/// What the handlers share: the tenant-aware pool, the provisioner that creates tenant schemas,
/// and the mailer that delivers invitation and password-reset tokens.
public struct CRMServices: Sendable {
    public let database: TenantPool
    public let provisioner: TenantProvisioner
    public let mailer: any Mailer

    public init(database: TenantPool, provisioner: TenantProvisioner, mailer: any Mailer) {
        self.database = database
        self.provisioner = provisioner
        self.mailer = mailer
    }

    /// Services over a new pool, with the tenant migrations from `configuration.migrations`.
    public init(configuration: CRMConfiguration, mailer: any Mailer, logger: Logger) throws {
        var poolOptions = PoolOptions()
        poolOptions.maxConnections = configuration.poolSize
        poolOptions.maxConnectionsPerTenant = configuration.poolSizePerTenant
        poolOptions.acquireTimeout = configuration.poolAcquireTimeout
        poolOptions.tracer = configuration.tracer
        var tenancy = TenancyOptions()
        tenancy.registryAcquireTimeout = configuration.poolAcquireTimeout
        tenancy.tenantRoles = configuration.tenantRolePrefix.map { TenantRoles(prefix: $0) }
        let database = try TenantPool(
            configuration: configuration.database, poolOptions: poolOptions, tenancy: tenancy, logger: logger)
        let migrations = try TenantMigration.load(
            directory: configuration.migrations, templateSchema: CRMSchema.templateSchema)
        self.init(
            database: database,
            provisioner: TenantProvisioner(
                tenantPool: database, migrations: migrations, templateSchema: CRMSchema.templateSchema),
            mailer: mailer)
    }
}

/// Sends the messages that carry secrets (invitation and password-reset tokens) to their owners.
public protocol Mailer: Sendable {
    func send(_ mail: Mail) async throws
}

/// One message.
public struct Mail: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        case invitation
        case passwordReset = "password_reset"
    }

    public var to: String
    public var purpose: Purpose
    /// The secret the recipient redeems; the database keeps only its SHA-256.
    public var token: String
}

/// A mailer for development: writes each message to the log (a real deployment sends email).
public struct LogMailer: Mailer {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func send(_ mail: Mail) async throws {
        logger.notice(
            "mail", metadata: ["to": "\(mail.to)", "purpose": "\(mail.purpose.rawValue)", "token": "\(mail.token)"])
    }
}

/// Random tokens for links sent by mail: 32 bytes from the system's generator, base64url.
enum SecretToken {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(Data(bytes))
    }
}
