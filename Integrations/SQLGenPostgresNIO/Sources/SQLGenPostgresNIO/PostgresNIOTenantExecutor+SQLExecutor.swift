import PostgresNIO
import SQLGenRuntime

extension PostgresNIOTenantExecutor: SQLExecutor {
    /// The route of `statement`, after the checks every statement passes before anything is sent.
    private func route<S: SQLStatement>(
        _ statement: S, qualifyingReads: Bool = true
    ) async throws(SQLGenError) -> TenantStatementRoute {
        try StatementChecks.refuseUnsafe(statement, routed: true)
        // Qualified reads run on the tenant's path too: every routed statement sets its path here,
        // so a name whose place the statement did not give still resolves in the tenant's schema.
        return try await registry.route(
            for: statement, options: options, qualifyingReads: qualifyingReads, sharedPathForQualifiedReads: false)
    }

    /// Runs the statement in its route's schema and decodes all its rows.
    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        let route = try await route(statement)
        return try await routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: route.sql, on: connection, context: context)
        }
    }

    /// Runs the statement in its route's schema and decodes its first row (nil when there is none).
    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        let route = try await route(statement)
        return try await routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(statement, sql: route.sql, on: connection, context: context, limit: 1)
                .first
        }
    }

    /// Runs the statement in its route's schema and returns how many rows it affected.
    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await executeResult(statement).rowsAffected
    }

    /// Runs the statement in its route's schema and returns its command tag and row count.
    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        let route = try await route(statement)
        return try await routed(route, name: statement.statementName) { connection, context throws(SQLGenError) in
            try await ConnectionStatements.command(statement, sql: route.sql, on: connection, context: context)
        }
    }

    /// Streams the rows of the statement, read whole inside the routed transaction first: the path
    /// check runs after the statement, and no row is handed out before it has passed.
    public func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        let executor = self
        return SQLRowStream { send throws(SQLGenError) in
            let rows = try await executor.query(statement)
            for row in rows {
                guard await send(row) else { return }
            }
        }
    }

    /// Inserts the statements' rows with one COPY FROM STDIN in its route's schema; returns the rows copied.
    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        try await copy(from: AsyncRows(statements))
    }

    /// Inserts the rows with one COPY in the routed transaction: the table's unqualified name
    /// resolves in the tenant's schema.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        let route = try await route(CopyStatementSQL<Rows.Element>(), qualifyingReads: false)
        return try await routed(route, name: Rows.Element.name) { connection, context throws(SQLGenError) in
            try await BulkStatements.copy(from: rows, on: connection, context: context, inTransaction: true)
        }
    }

    /// Runs the statements one after another in one routed transaction; returns each one's affected rows.
    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await batch(statements) { statement, connection, context throws(SQLGenError) in
            try await ConnectionStatements.command(
                statement, sql: statement.sqlText, on: connection, context: context
            ).rowsAffected
        }
    }

    /// Runs the statements one after another in one routed transaction; returns each one's first row.
    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        try await batch(statements) { statement, connection, context throws(SQLGenError) in
            try await ConnectionStatements.rows(
                statement, sql: statement.sqlText, on: connection, context: context, limit: 1
            ).first
        }
    }

    /// Runs the statements one after another in one routed transaction; returns each one's rows.
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

extension PostgresNIOTenantExecutor: TenantRoutingExecutor {}
