import Foundation

/// A transaction of a ``TenantPool``: each statement runs under the search path its scope and the
/// current tenant call for, set and checked in the statement's own round trip.
public struct TenantTransaction: SQLExecutor {
    /// The plain transaction underneath (its statements are not routed, so it is not public).
    let transaction: PostgresTransaction
    let tenantPool: TenantPool
    let switching: TenantSwitching
    /// The tenant current when the transaction began and its route, looked up before BEGIN: its
    /// statements need no registry lookup while the transaction holds a connection (behind a pooler
    /// with one server connection, a lookup then would wait for the connection this transaction holds).
    var pinned: (tenant: UUID, route: SearchPathRoute)? = nil
    /// Shared by every value of this transaction: one operation at a time, none after the end.
    var scope = TenantTransactionScope()

    /// The route of `statement`: the pinned one for the tenant the transaction began with. A route on
    /// another server than the transaction's (a global statement in the transaction of a tenant placed
    /// elsewhere, or another server's tenant) is refused: the connection would read that server's copy.
    private func route<S: SQLStatement>(for statement: S) async throws(SQLGenError) -> SearchPathRoute {
        if statement.declaredScope == .tenant, let pinned, RegisteredTenant.current?.id == pinned.tenant {
            return pinned.route
        }
        let route = try await tenantPool.route(for: statement)
        let server = pinned?.route.tenant?.placement
        guard route.tenant?.placement == server else {
            throw SQLGenError(
                .placementMismatch,
                message: "this transaction runs on "
                    + (server.map { "placement \"\($0)\"" } ?? "the registry's server") + "; the statement's "
                    + (route.tenant.map { "tenant \"\($0.subdomain)\" lives on " } ?? "shared tables live on ")
                    + (route.tenant?.placement.map { "placement \"\($0)\"" } ?? "the registry's server")
                    + "; nothing was sent",
                statementName: statement.statementName)
        }
        return route
    }

    private func run<S: SQLStatement, T: Sendable>(
        _ statement: S, _ read: @escaping @Sendable (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await scope.serialized(statement.statementName) { () async throws(SQLGenError) -> T in
            let route = try await route(for: statement)
            do throws(SQLGenError) {
                return try await transaction.connection.runRouted(statement, route: route, switching: switching, read)
            } catch {
                if let tenant = route.tenant, TenantPool.suggestsSchemaGone(error) {
                    tenantPool.registry.invalidate(tenant)
                }
                throw error
            }
        }
    }

    /// Checks the route, then runs `body` on the connection; the path is checked again afterwards.
    private func bulk<S: SQLStatement, T: Sendable>(
        _ statement: S, whileOthersWait release: (@Sendable () -> Void)? = nil,
        _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await scope.serialized(statement.statementName, whileOthersWait: release) {
            () async throws(SQLGenError) -> T in
            let route = try await route(for: statement)
            let connection = transaction.connection
            try await connection.checkRoute(route, switching: switching)
            let value = try await connection.preparingStatements(under: route, body)
            try await connection.checkRoute(route, switching: switching, afterwards: true)
            return value
        }
    }

    /// Runs a statement under its route (set and checked in its own round trip) and decodes all its rows.
    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        let name = statement.statementName
        return try await run(statement) { result throws(SQLGenError) in
            try ResultReading.rows(result, of: S.self, name: name)
        }
    }

    /// Runs a statement under its route (set and checked in its own round trip) and decodes its first row.
    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        let name = statement.statementName
        return try await run(statement) { result throws(SQLGenError) in
            try ResultReading.firstRow(result, of: S.self, name: name)
        }
    }

    /// Runs a statement under its route (set and checked in its own round trip); returns how many rows it affected.
    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await run(statement, ResultReading.affectedRows)
    }

    /// Runs a statement under its route (set and checked in its own round trip); returns its command tag and row count.
    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        try await run(statement, ResultReading.commandResult)
    }

    /// Streams under the statement's route, checked before the first row.
    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        SQLRowStream { sink throws(SQLGenError) in
            try await bulk(statement, whileOthersWait: sink.stopHoldingBack) { () throws(SQLGenError) in
                try await transaction.connection.forEachRow(
                    statement, sink.send, whileOthersWait: sink.stopHoldingBack)
            }
        }
    }

    /// Copies under the statements' route, checked before and after.
    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        guard let first = statements.first else { return 0 }
        return try await bulk(first) { () throws(SQLGenError) in try await transaction.copy(statements) }
    }

    /// Copies the sequence's rows under the statements' route, checked before and after.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        try await bulk(CopyRoute<Rows.Element>()) { () throws(SQLGenError) in
            try await transaction.copy(from: rows)
        }
    }

    /// Runs the batch under its statements' common route, checked before and after; returns each one's affected rows.
    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        guard let first = try TenantPool.commonScope(of: statements) else { return [] }
        return try await bulk(first) { () throws(SQLGenError) in try await transaction.executeBatch(statements) }
    }

    /// Runs the batch under its statements' common route, checked before and after; returns each one's first row.
    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        guard let first = try TenantPool.commonScope(of: statements) else { return [] }
        return try await bulk(first) { () throws(SQLGenError) in try await transaction.queryFirstBatch(statements) }
    }

    /// Runs the batch under its statements' common route, checked before and after; returns each one's rows.
    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        guard let first = try TenantPool.commonScope(of: statements) else { return [] }
        return try await bulk(first) { () throws(SQLGenError) in try await transaction.queryBatch(statements) }
    }

    /// Runs `body` inside a savepoint: its work is undone if it throws, and kept otherwise.
    public func withTransaction<T: Sendable>(_ body: @Sendable (TenantTransaction) async throws -> T) async throws
        -> T
    {
        let pinned = pinned
        let parent = scope
        return try await transaction.withTransaction { nested in
            let savepoint = TenantTransaction(
                transaction: nested, tenantPool: tenantPool, switching: switching, pinned: pinned,
                scope: TenantTransactionScope(parent: parent))
            defer { savepoint.scope.end() }
            return try await body(savepoint)
        }
    }
}
