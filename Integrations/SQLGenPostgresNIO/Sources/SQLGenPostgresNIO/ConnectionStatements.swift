import Logging
import NIOCore
import PostgresNIO
import SQLGenRuntime

/// One statement on one PostgresNIO connection: its rows decoded by sqlgen's codecs, or its
/// command tag.
enum ConnectionStatements {
    /// The statement's rows, at most `limit` of them decoded (the rest are read and dropped).
    static func rows<S: SQLStatement>(
        _ statement: S, sql: String, on connection: PostgresConnection, context: StatementContext, limit: Int = .max
    ) async throws(SQLGenError) -> [S.Row] {
        let name = statement.statementName
        let query = PostgresQuery(sql: sql, bindings: try statement.boundParameters())
        var decoding = RowDecoding<S>(statementName: name)
        return try await context.traced(name, sql: sql) { () async throws(SQLGenError) -> [S.Row] in
            var rows: [S.Row] = []
            do {
                for try await row in try await connection.query(query, logger: context.logger) where rows.count < limit
                {
                    rows.append(try decoding.decode(row))
                }
            } catch {
                throw SQLGenError.fromPostgresNIO(error, statementName: name)
            }
            return rows
        }
    }

    /// Runs the statement and returns its command tag and row count; in a span of its own unless
    /// `traced` is false (the path statements around a routed one, which belong to its span).
    static func command<S: SQLStatement>(
        _ statement: S, sql: String, on connection: PostgresConnection, context: StatementContext,
        traced: Bool = true
    ) async throws(SQLGenError) -> SQLCommandResult {
        let name = statement.statementName
        let query = PostgresQuery(sql: sql, bindings: try statement.boundParameters())
        guard traced else { return try await run(query, on: connection, context: context, name: name) }
        return try await context.traced(name, sql: sql) { () async throws(SQLGenError) -> SQLCommandResult in
            try await run(query, on: connection, context: context, name: name)
        }
    }

    private static func run(
        _ query: PostgresQuery, on connection: PostgresConnection, context: StatementContext, name: String
    ) async throws(SQLGenError) -> SQLCommandResult {
        do {
            let metadata = try await connection.query(query, logger: context.logger) { _ in }.get()
            let tag = tag(metadata)
            // Tags PostgresNIO does not parse (`MERGE 2`) end in their row count too.
            let rows = metadata.rows ?? tag.split(separator: " ").last.flatMap { Int($0) } ?? 0
            return SQLCommandResult(tag: tag, rowsAffected: rows)
        } catch {
            throw SQLGenError.fromPostgresNIO(error, statementName: name)
        }
    }

    /// The command tag as the server wrote it (`INSERT 0 1`, `UPDATE 3`, `CREATE TABLE`).
    private static func tag(_ metadata: PostgresQueryMetadata) -> String {
        switch (metadata.command, metadata.rows) {
        case ("INSERT", let rows?): return "INSERT \(metadata.oid ?? 0) \(rows)"
        case (let command, let rows?): return "\(command) \(rows)"
        case (let command, nil): return command
        }
    }

    /// Hands each row to `send` as it comes, until `send` returns false.
    static func forEachRow<S: SQLStatement>(
        _ statement: S, on connection: PostgresConnection, context: StatementContext, _ send: (S.Row) async -> Bool
    ) async throws(SQLGenError) {
        let name = statement.statementName
        let query = PostgresQuery(sql: statement.sqlText, bindings: try statement.boundParameters())
        var decoding = RowDecoding<S>(statementName: name)
        try await context.traced(name, sql: statement.sqlText) { () async throws(SQLGenError) in
            do {
                for try await row in try await connection.query(query, logger: context.logger) {
                    guard await send(try decoding.decode(row)) else { return }
                }
            } catch {
                throw SQLGenError.fromPostgresNIO(error, statementName: name)
            }
        }
    }

    /// Runs SQL with no parameters and no rows (transaction control).
    static func control(_ sql: String, on connection: PostgresConnection, context: StatementContext)
        async throws(SQLGenError)
    {
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: context.logger)
        } catch {
            throw SQLGenError.fromPostgresNIO(error, statementName: sql)
        }
    }

    /// Commits the connection's transaction; fails when the server rolled it back instead (a
    /// statement in it failed, and its error was caught), so that the caller never takes a
    /// rollback for a commit.
    static func commit(on connection: PostgresConnection, context: StatementContext) async throws(SQLGenError) {
        let metadata: PostgresQueryMetadata
        do {
            metadata = try await connection.query(PostgresQuery(unsafeSQL: "COMMIT"), logger: context.logger) { _ in }
                .get()
        } catch {
            throw SQLGenError.fromPostgresNIO(error, statementName: "COMMIT")
        }
        guard metadata.command == "COMMIT" else {
            throw SQLGenError(
                .server,
                message:
                    "the server rolled the transaction back at COMMIT: a statement in it failed, and nothing of it was kept",
                statementName: "COMMIT")
        }
    }
}
