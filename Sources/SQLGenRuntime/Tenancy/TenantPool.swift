import Foundation
import Logging
import SQLGenWire

/// A pool that runs every statement in exactly the right schema: tenant-scoped statements in the
/// current tenant's schema (``RegisteredTenant/current``), global ones in the shared schemas only.
///
/// ```swift
/// let database = try TenantPool(configuration: configuration)
/// try await database.withTenant(subdomain: "acme") {
///     let contacts = try await ContactsQueries(database).listContactsPage(
///         afterCreatedAt: nil, afterID: nil, pageSize: 50)
/// }
/// ```
///
/// Each statement's search path is verified in the same round trip as the statement: work that
/// resolved names anywhere else is rolled back and reported as ``SQLGenError/Kind/tenantSchemaUnavailable``.
public final class TenantPool: SQLExecutor, Sendable {
    /// The connections, shared by all tenants. Not public: its connections run statements without
    /// routing, so a tenant-scoped statement must never reach them but through this type.
    let pool: PostgresPool
    /// The pools of the other servers tenants live on, by placement key (``TenancyOptions/placements``).
    let placedPools: [String: PostgresPool]
    /// Where tenants are looked up.
    public let registry: TenantRegistry
    /// How tenants are found and routed.
    public let options: TenancyOptions
    /// Each tenant's route, built once (quoting and joining schema names is not free).
    private let routes = LockedState<[RegisteredTenant: SearchPathRoute]>([:])
    private let sharedRoute: SearchPathRoute

    /// A tenant pool over a new connection pool.
    public init(
        configuration: PostgresConfiguration, poolOptions: PoolOptions = PoolOptions(),
        tenancy: TenancyOptions = TenancyOptions(), logger: Logger = Logger(label: "sqlgen.tenant-pool")
    ) throws(SQLGenError) {
        try tenancy.validate()
        // A path set for the session would stay on the pooler's shared server connection, for clients
        // that are not this pool to resolve their names in a tenant's schema.
        let pooled = [configuration] + Array(tenancy.placements.values)
        if pooled.contains(where: \.transactionPooling), tenancy.switching == .sessionAffinity {
            throw SQLGenError(
                .invalidParameter,
                message:
                    "behind a transaction pooler (transactionPooling) tenants switch with .transactionLocal: a session-level search path would stay on the pooler's shared server connection for its other clients"
            )
        }
        let pool = PostgresPool(configuration: configuration, options: poolOptions, logger: logger)
        self.pool = pool
        self.placedPools = tenancy.placements.mapValues { placed in
            PostgresPool(configuration: placed, options: poolOptions, logger: logger)
        }
        self.options = tenancy
        self.registry = TenantRegistry(configuration: configuration, options: tenancy, logger: logger)
        self.sharedRoute = SearchPathRoute(
            tenant: nil, sharedSchemas: tenancy.sharedSchemas, role: tenancy.role(forTenantSchema: nil))
    }

    /// Checks the server of the registry and shared tables through one of the pool's connections (see
    /// ``PostgresPool/healthCheck()``), then each placement's server: the first that fails throws.
    public func healthCheck() async throws(SQLGenError) -> HealthReport {
        let report = try await pool.healthCheck()
        for key in placedPools.keys.sorted() { _ = try await placedPools[key]?.healthCheck() }
        return report
    }

    /// Closes every connection, on every server and the registry's; statements after this fail.
    public func close() async {
        await pool.close()
        for placed in placedPools.values { await placed.close() }
        await registry.close()
    }

    /// How many connections are open now, on every server.
    public var connectionCount: Int {
        get async {
            var count = await pool.connectionCount
            for placed in placedPools.values { count += await placed.connectionCount }
            return count
        }
    }

    /// How many tenant reads have been sent along with another task's read in one round trip.
    public var readsSentAlong: Int {
        get async {
            var count = await pool.readsSentAlong
            for placed in placedPools.values { count += await placed.readsSentAlong }
            return count
        }
    }

    /// The pool of the server a placement names (nil: the registry's server).
    func pool(placement: String?) throws(SQLGenError) -> PostgresPool {
        guard let placement else { return pool }
        guard let placed = placedPools[placement] else {
            throw SQLGenError(
                .unknownPlacement,
                message: "placement \"\(placement)\" is not one of TenancyOptions.placements ("
                    + placedPools.keys.sorted().joined(separator: ", ") + ")")
        }
        return placed
    }

    /// The pool of the server `route`'s statements run on: its tenant's, or the registry's for global ones.
    private func pool(for route: SearchPathRoute) throws(SQLGenError) -> PostgresPool {
        try pool(placement: route.tenant?.placement)
    }

    /// The route of `tenant`'s statements, from the cache.
    private func route(of tenant: RegisteredTenant) -> SearchPathRoute {
        routes.withLock { routes in
            if let route = routes[tenant] { return route }
            let route = SearchPathRoute(
                tenant: tenant, sharedSchemas: options.sharedSchemas,
                role: options.role(forTenantSchema: tenant.schemaName))
            if routes.count > 10_000 { routes.removeAll() }
            routes[tenant] = route
            return route
        }
    }

    // MARK: - Tenant scopes

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

    // MARK: - Routing

    /// The exact search path `statement` must run under; fails before anything is sent when the
    /// statement needs a tenant and there is none, or the tenant cannot be used.
    func route<S: SQLStatement>(
        for statement: S
    ) async throws(SQLGenError) -> SearchPathRoute {
        try await registry.route(for: statement, shared: sharedRoute, ofTenant: route(of:))
    }

    /// Lends a connection, preferring one already on `route`'s path, and forgets what is cached about
    /// the tenant after an error that suggests its schema is gone.
    /// A connection found closed before anything was sent is discarded and another one tried.
    func withRoutedConnection<T: Sendable>(
        _ route: SearchPathRoute, _ body: (PostgresSession) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        do {
            return try await pool(for: route).withRetriedConnection(
                affinity: route.affinityKey, group: route.group, body)
        } catch {
            throw forgettingTenant(route, after: error)
        }
    }

    /// The statement with the tenant's schema written in front of its tenant names, when it has their
    /// places and the pool switches by session. A read that may leave state in the session, or read
    /// another lease's (``SessionEffects``), is routed instead, where that is marked or refused.
    private func qualifiedSQL<S: SQLStatement>(of statement: S, on route: SearchPathRoute) -> String? {
        // Qualified reads run on the shared path, as the connecting user: not with tenant roles.
        guard options.qualifiesTenantNames, options.switching == .sessionAffinity, options.tenantRoles == nil,
            let quotedSchema = route.quotedTenantSchema, let offsets = statement.declaredTenantNameOffsets,
            Self.readsOnly(statement.sqlText), SessionEffects.isPlainQuery(statement.sqlText)
        else { return nil }
        return TenantQualifiedSQL.qualify(statement.sqlText, quotedSchema: quotedSchema, at: offsets)
    }

    /// Whether `sql` starts as a read (`SELECT`, `WITH`, `VALUES`, `TABLE`): only reads are sent along with
    /// other tasks' reads, since those share one implicit transaction and a failing one undoes the rest.
    static func readsOnly(_ sql: String) -> Bool {
        let start = sql.drop { $0.isWhitespace || $0 == "(" }.prefix(7).uppercased()
        return ["SELECT", "WITH", "VALUES", "TABLE"].contains { start.hasPrefix($0) }
    }

    /// Runs a read with qualified names on the shared path: alone on a connection of its own (setting
    /// the path when needed), or sent along with waiting reads in one round trip by whichever task is
    /// lent a connection first (see ``PoolOptions/readsPerRoundTrip``).
    private func runQualifiedRead<S: SQLStatement, T: Sendable>(
        _ statement: S, sql: String, route: SearchPathRoute,
        _ read: @escaping @Sendable (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let sharedRoute = sharedRoute
        let name = statement.statementName
        let bindings = try statement.boundParameters()
        let pool = try pool(for: route)
        let answer = ReadValue<T>()
        let request = BatchedRead(
            sql: sql, values: bindings.values, name: name, tenant: route, sharedPath: sharedRoute.setting
        ) { result throws(SQLGenError) in answer.value = try read(result) }
        var attempts = 0
        while true {
            attempts += 1
            request.reset()
            let lending: Lending
            do {
                lending = try await pool.lend(affinity: route.affinityKey, group: route.group, read: request)
            } catch let error as SQLGenError {
                throw error
            } catch {
                throw SQLGenError(.cancelled, message: "cancelled while waiting for a connection")
            }
            if case .connection(let connection, let mates) = lending {
                if mates.isEmpty {
                    do throws(SQLGenError) {
                        let value = try await connection.runQualified(
                            statement, sql: sql, tenant: route, shared: sharedRoute, read)
                        await pool.release(connection)
                        return value
                    } catch {
                        await pool.release(connection)
                        if error.kind == .connectionClosed, attempts < 3 { continue }
                        throw forgettingTenant(route, after: error)
                    }
                }
                await connection.runQualifiedBatch([request] + mates, sharedPath: sharedRoute.setting)
                await pool.release(connection)
            }
            switch request.outcome {
            case .done:
                if let value = answer.value { return value }
                throw SQLGenError(.outcomeUnknown, message: "the read's answer was lost", statementName: name)
            case .failed(let error):
                throw forgettingTenant(route, after: error)
            case .retry, .pending:
                if attempts < 3 { continue }
                throw SQLGenError(
                    .connectionClosed, message: "the read could not be sent on any connection", statementName: name)
            }
        }
    }

    /// The first of a batch's statements, which routes it; a batch whose statements declare different
    /// scopes is refused (it runs under one route), nil for an empty batch.
    static func commonScope<S: SQLStatement>(of statements: [S]) throws(SQLGenError) -> S? {
        guard let first = statements.first else { return nil }
        guard statements.allSatisfy({ $0.declaredScope == first.declaredScope }) else {
            throw SQLGenError(
                .undeclaredScope, message: "the statements of one batch must declare one scope",
                statementName: first.statementName)
        }
        return first
    }

    /// `error`, after forgetting what is cached about the route's tenant when it suggests the schema is gone.
    private func forgettingTenant(_ route: SearchPathRoute, after error: SQLGenError) -> SQLGenError {
        if let tenant = route.tenant, Self.suggestsSchemaGone(error) { registry.invalidate(tenant) }
        return error
    }

    static func suggestsSchemaGone(_ error: SQLGenError) -> Bool {
        error.kind == .tenantSchemaUnavailable || error.sqlState == "3F000" || error.sqlState == "42P01"
            || error.sqlState == "42704" || error.sqlState == "42883"
    }

    private func run<S: SQLStatement, T: Sendable>(
        _ statement: S, _ read: @escaping @Sendable (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let route = try await route(for: statement)
        if let sql = qualifiedSQL(of: statement, on: route) {
            return try await runQualifiedRead(statement, sql: sql, route: route, read)
        }
        let switching = options.switching
        return try await withRoutedConnection(route) { connection throws(SQLGenError) in
            try await connection.runRouted(statement, route: route, switching: switching, read)
        }
    }

    // MARK: - SQLExecutor

    /// Runs a statement in the schema its scope and the current tenant call for, and decodes all its rows.
    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        let name = statement.statementName
        return try await run(statement) { result throws(SQLGenError) in
            try ResultReading.rows(result, of: S.self, name: name)
        }
    }

    /// Runs a statement in the schema its scope and the current tenant call for, and decodes its first row.
    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        let name = statement.statementName
        return try await run(statement) { result throws(SQLGenError) in
            try ResultReading.firstRow(result, of: S.self, name: name)
        }
    }

    /// Runs a statement in the schema its scope and the current tenant call for; returns how many rows it affected.
    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await run(statement, ResultReading.affectedRows)
    }

    /// Runs a statement in the schema its scope and the current tenant call for; returns its command tag and row count.
    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        try await run(statement, ResultReading.commandResult)
    }

    /// Streams inside a transaction whose search path is checked before the first row and after the last.
    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        SQLRowStream { sink throws(SQLGenError) in
            let replay = StreamReplayGuard()
            try await self.withRoutedTransaction(for: statement) { connection throws(SQLGenError) in
                try replay.refuseReplay(statement.statementName)
                try await connection.forEachRow(statement, replay.send(sink), whileOthersWait: sink.stopHoldingBack)
            }
        }
    }

    /// Copies inside a transaction whose search path is checked before and after.
    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        guard let first = statements.first else { return 0 }
        return try await withRoutedTransaction(for: first) { connection throws(SQLGenError) in
            try await connection.copy(statements)
        }
    }

    /// Copies the sequence's rows inside a transaction whose search path is checked before and after.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        try await withRoutedTransaction(for: CopyRoute<Rows.Element>()) { connection throws(SQLGenError) in
            try await connection.copy(from: rows)
        }
    }

    /// Runs the batch inside one transaction whose search path is checked before and after: all or nothing.
    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        guard let first = try Self.commonScope(of: statements) else { return [] }
        return try await withRoutedTransaction(for: first) { connection throws(SQLGenError) in
            try await connection.executeBatch(statements)
        }
    }

    /// Runs the batch inside one transaction whose search path is checked before and after: all or nothing.
    /// Returns each statement's first row.
    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        guard let first = try Self.commonScope(of: statements) else { return [] }
        return try await withRoutedTransaction(for: first) { connection throws(SQLGenError) in
            try await connection.queryFirstBatch(statements)
        }
    }

    /// Runs the batch inside one transaction whose search path is checked before and after: all or nothing.
    /// Returns each statement's rows.
    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        guard let first = try Self.commonScope(of: statements) else { return [] }
        return try await withRoutedTransaction(for: first) { connection throws(SQLGenError) in
            try await connection.queryBatch(statements)
        }
    }

    /// Runs `body` on a connection inside a transaction on `statement`'s route: the path is set and
    /// checked before `body`, and checked again before COMMIT, so a wrong schema rolls everything back.
    private func withRoutedTransaction<S: SQLStatement, T: Sendable>(
        for statement: S, _ body: @Sendable (PostgresSession) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let route = try await route(for: statement)
        let switching = options.switching
        return try await withRoutedConnection(route) { connection throws(SQLGenError) in
            do {
                return try await connection.withTransaction { transaction in
                    try await connection.checkRoute(route, switching: switching)
                    let value = try await connection.preparingStatements(under: route) {
                        () throws(SQLGenError) -> T in try await body(transaction.connection)
                    }
                    try await connection.checkRoute(route, switching: switching, afterwards: true)
                    return value
                }
            } catch let error as SQLGenError {
                throw error
            } catch {
                throw SQLGenError(.cancelled, message: "\(error)")
            }
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction on one connection; each statement in it is routed by its own scope
    /// and the current tenant, and checked in the same round trip.
    public func withTransaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, retry: TransactionRetry = .never,
        _ body: @Sendable (TenantTransaction) async throws -> T
    ) async throws -> T {
        // The current tenant is looked up before BEGIN, and its route pinned for the transaction.
        var pinned: (tenant: UUID, route: SearchPathRoute)?
        if let tenant = RegisteredTenant.current {
            let current = try await registry.current(tenant)
            pinned = (current.id, route(of: current))
        }
        let route = pinned?.route ?? sharedRoute
        let switching = options.switching
        do {
            return try await pool(for: route).withRetriedTransaction(
                affinity: route.affinityKey, group: route.group, isolation: isolation, retry: retry
            ) { [pinned] transaction in
                let tenantTransaction = TenantTransaction(
                    transaction: transaction, tenantPool: self, switching: switching, pinned: pinned)
                defer { tenantTransaction.scope.end() }
                return try await body(tenantTransaction)
            }
        } catch {
            if let tenant = route.tenant, let failure = error as? SQLGenError, Self.suggestsSchemaGone(failure) {
                registry.invalidate(tenant)
            }
            throw error
        }
    }
}

/// The statement that sets and checks a route on its own.
struct RouteCheck: SQLStatement {
    typealias Row = SQLNoRow
    static var name: String { "TenantRouteCheck" }
    static var sql: String { "SELECT 1" }
    static var scope: StatementScope { .global }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

extension PostgresSession {
    /// Runs `body`, which sends statements under `route`'s checked path, with those statements
    /// prepared (and found in the cache) as statements of that path.
    func preparingStatements<T>(
        under route: SearchPathRoute, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        await setPreparationPath(
            route.setting, tenantSchema: route.tenant?.schemaName, tenantRole: route.runsUnderTenantRole)
        do {
            let value = try await body()
            await setPreparationPath(nil)
            return value
        } catch {
            await setPreparationPath(nil)
            throw error
        }
    }

    /// Sets (when needed) and checks `route`'s search path with one round trip.
    ///
    /// The check after statements sent without their own checks (`afterwards`) sets neither path nor
    /// role first: it sees what those statements left, so one that moved the path or left the
    /// tenant's role fails it, and the transaction is rolled back.
    func checkRoute(
        _ route: SearchPathRoute, switching: TenantSwitching, afterwards: Bool = false
    ) async throws(SQLGenError) {
        _ = try await runRouted(RouteCheck(), route: route, switching: switching, checkingOnly: afterwards) { _ in 0 }
    }
}

/// Stands for a copy statement type before any row is at hand: its scope and name route the COPY.
struct CopyRoute<S: SQLCopyStatement>: SQLStatement {
    typealias Row = SQLNoRow
    static var name: String { S.name }
    static var sql: String { S.sql }
    static var scope: StatementScope { S.scope }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}
