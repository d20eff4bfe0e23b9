import Foundation

/// A tenant as the registry describes it. Values come only from the registry
/// (``TenantRegistry``), so a tenant's schema name always comes from there too.
///
/// Named so that it does not collide with the model sqlgen generates for an application's own
/// `tenants` table (a `Tenant` struct) in code that imports both.
public struct RegisteredTenant: Sendable, Hashable, Identifiable {
    /// The registry row's id.
    public let id: UUID
    /// The organisation's display name.
    public let name: String
    /// The host name label the tenant is reached under.
    public let subdomain: String
    /// The PostgreSQL schema that holds the tenant's data.
    public let schemaName: String
    /// Whether the tenant may be used.
    public let status: Status
    /// The server the tenant's schema lives on: a key of ``TenancyOptions/placements``, or nil for the
    /// server that holds the registry and the shared tables.
    public let placement: String?

    init(id: UUID, name: String, subdomain: String, schemaName: String, status: Status, placement: String? = nil) {
        self.id = id
        self.name = name
        self.subdomain = subdomain
        self.schemaName = schemaName
        self.status = status
        self.placement = placement
    }

    /// The tenant of the current task (inherited by its child tasks), or nil outside any
    /// `withTenant` scope.
    public static var current: RegisteredTenant? { TenantContext.current }

    /// A registry row's status.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// The tenant may be used.
        case active
        /// The tenant exists but may not be used for now.
        case suspended
        /// The tenant is gone; its schema may not be dropped yet.
        case deleted
    }
}

/// The task-local tenant; set only through the `withTenant` functions.
enum TenantContext {
    @TaskLocal static var current: RegisteredTenant?
}

/// Runs `operation` with `tenant` as the current tenant of this task and its child tasks.
public func withTenant<R>(_ tenant: RegisteredTenant, _ operation: () throws -> R) rethrows -> R {
    try TenantContext.$current.withValue(tenant, operation: operation)
}

/// Runs `operation` with `tenant` as the current tenant of this task and its child tasks.
public func withTenant<R>(
    _ tenant: RegisteredTenant, isolation: isolated (any Actor)? = #isolation, _ operation: () async throws -> R
) async rethrows -> R {
    try await TenantContext.$current.withValue(tenant, operation: operation, isolation: isolation)
}

/// Runs `operation` with no current tenant, for work that must not touch any tenant's schema.
public func withoutTenant<R>(
    isolation: isolated (any Actor)? = #isolation, _ operation: () async throws -> R
) async rethrows -> R {
    try await TenantContext.$current.withValue(nil, operation: operation, isolation: isolation)
}
