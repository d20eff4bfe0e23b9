import Foundation
import Logging
import PostgresNIO
import SQLGenRuntime
import Tracing

/// Runs generated statements on PostgresNIO in exactly the right schema, with the guarantees of
/// ``SQLGenRuntime/TenantPool``: tenant-scoped statements in the current tenant's schema
/// (``SQLGenRuntime/RegisteredTenant/current``), global ones in the shared schemas only.
///
/// ```swift
/// let database = try PostgresNIOTenantExecutor(client)
/// try await database.withTenant(subdomain: "acme") {
///     let page = try await ContactsQueries(database).listContactsPage(
///         afterCreatedAt: nil, afterID: nil, pageSize: 50)
/// }
/// ```
///
/// Every statement runs in a transaction that sets `search_path` for that transaction only, and
/// ends with a check that the schemas names resolved in are exactly the route's; a failed check
/// rolls the work back and reports ``SQLGenError/Kind/tenantSchemaUnavailable``. A tenant read
/// whose tenant names have known places names the tenant's schema itself and runs on the shared
/// path. Nothing is left on the connection the client lends: the path is transaction-local, and
/// statements that would leave other state are refused. PostgresNIO sends one statement at a time,
/// so a routed statement costs five round trips (`BEGIN`, the path, the statement, the check,
/// `COMMIT`; three inside ``withTransaction(isolation:_:)``) where ``SQLGenRuntime/TenantPool``
/// needs one.
public struct PostgresNIOTenantExecutor: Sendable {
    let base: PostgresNIOExecutor
    /// Where tenants are looked up: the registry table, through the same client.
    public let registry: TenantRegistry
    /// How tenants are found and routed.
    public let options: TenancyOptions

    /// Routes statements over connections `client` lends; the registry reads `tenancy`'s
    /// registry table through the client too.
    /// Spans are as ``PostgresNIOExecutor/init(_:database:server:tracer:logger:)`` makes them,
    /// with the tenant's schema.
    public init(
        _ client: PostgresClient, tenancy: TenancyOptions = TenancyOptions(), database: String? = nil,
        server: SQLTracing.Server? = nil, tracer: (any Tracer)? = nil,
        logger: Logger = Logger(label: "sqlgen.postgres-nio")
    ) throws(SQLGenError) {
        let base = PostgresNIOExecutor(client, database: database, server: server, tracer: tracer, logger: logger)
        self.base = base
        self.options = tenancy
        self.registry = try TenantRegistry(lookingUpWith: base, options: tenancy)
    }

    init(base: PostgresNIOExecutor, registry: TenantRegistry, options: TenancyOptions) {
        self.base = base
        self.registry = registry
        self.options = options
    }

    /// Runs `operation` as the active tenant with this registry id.
    public func withTenant<R>(
        id: UUID, isolation: isolated (any Actor)? = #isolation, _ operation: () async throws -> R
    ) async throws -> R {
        try await registry.withTenant(id: id, isolation: isolation, operation)
    }

    /// Runs `operation` as the active tenant reached under this subdomain.
    public func withTenant<R>(
        subdomain: String, isolation: isolated (any Actor)? = #isolation, _ operation: () async throws -> R
    ) async throws -> R {
        try await registry.withTenant(subdomain: subdomain, isolation: isolation, operation)
    }

    /// Runs `body` in one transaction: each statement in it is routed as outside one (its path set
    /// for the transaction, then checked), and all of it is committed or none. The executor `body`
    /// gets refuses statements once `body` has returned.
    public func withTransaction<T>(
        isolation: IsolationLevel? = nil, _ body: (PostgresNIOTenantExecutor) async throws -> T
    ) async throws -> T {
        try await base.withTransaction(isolation: isolation) { transaction in
            try await body(PostgresNIOTenantExecutor(base: transaction, registry: registry, options: options))
        }
    }

    /// Runs `body` on the route's path: in a transaction (its own, unless the executor is in one)
    /// that sets the path first and checks it after, so that work that resolved names anywhere else
    /// is rolled back.
    func routed<T>(
        _ route: TenantStatementRoute, name: String,
        _ body: (PostgresConnection, StatementContext) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let context = base.context.routed(to: route.tenantSchema)
        let transaction = base.transactionLifetime
        return try await base.lease(name) { connection throws(SQLGenError) in
            try await BulkStatements.allOrNone(on: connection, context: context, inTransaction: base.inTransaction) {
                () async throws(SQLGenError) -> T in
                guard let transaction else {
                    return try await Self.onPath(route, name: name, connection: connection, context: context, body)
                }
                return try await transaction.exclusively { () async throws(SQLGenError) -> T in
                    try await Self.onPath(route, name: name, connection: connection, context: context, body)
                }
            }
        }
    }

    /// Sets the route's path, runs `body` and checks the path.
    private static func onPath<T>(
        _ route: TenantStatementRoute, name: String, connection: PostgresConnection, context: StatementContext,
        _ body: (PostgresConnection, StatementContext) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await PathStatements.set(route, on: connection, context: context, name: name)
        let value: T
        do throws(SQLGenError) {
            value = try await body(connection, context)
        } catch {
            if route.tenantSchema != nil, TenantStatementRoute.namesMissing(error) {
                throw route.schemaUnavailable(after: error, statementName: name)
            }
            throw error
        }
        try await PathStatements.check(route, on: connection, context: context, name: name)
        return value
    }
}

/// The statements that set a route's path and check it.
enum PathStatements {
    static func set(
        _ route: TenantStatementRoute, on connection: PostgresConnection, context: StatementContext, name: String
    ) async throws(SQLGenError) {
        var bindings = SQLBindings()
        bindings.append(route.pathSetting)
        let statement = PlainStatement(TenantStatementRoute.setPathSQL, bindings: bindings, scope: .global)
        _ = try await ConnectionStatements.command(
            statement, sql: TenantStatementRoute.setPathSQL, on: connection, context: context, traced: false)
    }

    static func check(
        _ route: TenantStatementRoute, on connection: PostgresConnection, context: StatementContext, name: String
    ) async throws(SQLGenError) {
        var bindings = SQLBindings()
        bindings.append(route.expectedSchemas)
        // Other code on the same client may have left a temp table on the connection: the check fails
        // then too.
        let sql = TenantStatementRoute.pathCheckWithoutTempRelationsSQL
        let statement = PlainStatement(sql, bindings: bindings, scope: .global)
        do throws(SQLGenError) {
            _ = try await ConnectionStatements.command(
                statement, sql: sql, on: connection, context: context, traced: false)
        } catch {
            if error.sqlState == "22P02" { throw route.schemaUnavailable(statementName: name) }
            throw error
        }
    }
}
