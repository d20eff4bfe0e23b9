import PostgresNIO
import SQLGenRuntime

extension PostgresNIOTenantExecutor: SQLExecutor {
    /// The route of `statement`, after the checks every statement passes before anything is sent.
    private func route<S: SQLStatement>(
        _ statement: S, qualifyingReads: Bool = true
    ) async throws(SQLGenError) -> TenantStatementRoute {
        try StatementChecks.refuseUnsafe(statement, routed: true)
        return try await registry.route(for: statement, options: options, qualifyingReads: qualifyingReads)
    }

    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        let route = try await route(statement)
        return try await routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: route.sql, on: connection, context: context)
        }
    }

    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        let route = try await route(statement)
        return try await routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: route.sql, on: connection, context: context, limit: 1)
                .first
        }
    }

    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await executeResult(statement).rowsAffected
    }

    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        let route = try await route(statement)
        return try await routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
            try await ConnectionStatements.command(statement, sql: route.sql, on: connection, context: context)
        }
    }

    /// Streams the rows inside the routed transaction, on one connection held until the stream ends.
    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        let executor = self
        return SQLRowStream { send throws(SQLGenError) in
            let route = try await executor.route(statement, qualifyingReads: false)
            try await executor.routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
                try await ConnectionStatements.forEachRow(statement, on: connection, context: context, send)
            }
        }
    }

    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        try await copy(from: AsyncRows(statements))
    }

    /// Inserts the rows with one COPY in the routed transaction: the table's unqualified name
    /// resolves in the tenant's schema.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        let route = try await route(ScopeOf<Rows.Element>(), qualifyingReads: false)
        return try await routed(route, name: Rows.Element.name) { connection, context throws(SQLGenError) in
            try await BulkStatements.copy(from: rows, on: connection, context: context, inTransaction: true)
        }
    }

    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await batch(statements) { statement, connection, context throws(SQLGenError) in
            try await ConnectionStatements.command(
                statement, sql: statement.sqlText, on: connection, context: context
            ).rowsAffected
        }
    }

    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        try await batch(statements) { statement, connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(
                statement, sql: statement.sqlText, on: connection, context: context, limit: 1
            ).first
        }
    }

    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        try await batch(statements) { statement, connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: statement.sqlText, on: connection, context: context)
        }
    }

    /// Runs the statements one after another in one routed transaction; they must share a scope.
    private func batch<S: SQLStatement, T>(
        _ statements: [S], _ run: (S, PostgresConnection, StatementContext) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> [T] {
        guard let first = statements.first else { return [] }
        guard statements.allSatisfy({ $0.declaredScope == first.declaredScope }) else {
            throw SQLGenError(
                .undeclaredScope, message: "the statements of one batch must declare one scope",
                statementName: first.statementName)
        }
        for statement in statements { try StatementChecks.refuseUnsafe(statement, routed: true) }
        let route = try await route(first, qualifyingReads: false)
        return try await routed(route, name: first.statementName) { connection, context throws(SQLGenError) in
            var results: [T] = []
            results.reserveCapacity(statements.count)
            for statement in statements { results.append(try await run(statement, connection, context)) }
            return results
        }
    }
}

/// A COPY statement type's scope and SQL, to route its rows before the first one is read.
private struct ScopeOf<S: SQLCopyStatement>: SQLStatement {
    typealias Row = SQLNoRow
    static var name: String { S.name }
    static var sql: String { S.sql }
    static var scope: StatementScope { S.scope }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

extension PostgresNIOTenantExecutor: TenantRoutingExecutor {}
