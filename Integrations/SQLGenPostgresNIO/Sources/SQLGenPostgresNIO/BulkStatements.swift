import Logging
import NIOCore
import PostgresNIO
import SQLGenRuntime

/// COPY and batches on one PostgresNIO connection.
enum BulkStatements {
    /// Runs `body` all or none: in a transaction of its own, unless the connection is in one already.
    /// A transaction that cannot be rolled back closes its connection, so that it never goes back to
    /// the client with the transaction open.
    static func allOrNone<T>(
        on connection: PostgresConnection, context: StatementContext, inTransaction: Bool,
        _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        guard !inTransaction else { return try await body() }
        try await ConnectionStatements.control("BEGIN", on: connection, context: context)
        let value: T
        do {
            value = try await body()
        } catch {
            await rollBack(connection, context: context)
            throw error
        }
        do {
            try await ConnectionStatements.commit(on: connection, context: context)
        } catch {
            await rollBack(connection, context: context)
            throw error
        }
        return value
    }

    /// Rolls back the connection's transaction, closing the connection when that fails.
    static func rollBack(_ connection: PostgresConnection, context: StatementContext) async {
        do {
            try await ConnectionStatements.control("ROLLBACK", on: connection, context: context)
        } catch {
            context.logger.warning("ROLLBACK failed: closing the connection", metadata: ["error": "\(error.message)"])
            do {
                try await connection.close()
            } catch {
                context.logger.warning("closing the connection failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Whether PostgresNIO's COPY can name the table and columns: it quotes each name whole, so a
    /// schema-qualified name or one holding a `"` cannot go through it.
    static func copyNames<S: SQLCopyStatement>(fit type: S.Type) -> Bool {
        ([S.copyTable] + S.copyColumns).allSatisfy { !$0.contains(".") && !$0.contains("\"") && !$0.isEmpty }
    }

    /// Inserts the rows with one COPY FROM STDIN (or the statement's INSERT for each row where COPY
    /// cannot name the table); returns the rows inserted.
    static func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows, on connection: PostgresConnection, context: StatementContext, inTransaction: Bool
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        typealias S = Rows.Element
        guard copyNames(fit: S.self) else {
            return try await allOrNone(on: connection, context: context, inTransaction: inTransaction) {
                () async throws(SQLGenError) -> Int in
                var count = 0
                do {
                    for try await row in rows {
                        _ = try await ConnectionStatements.command(row, sql: S.sql, on: connection, context: context)
                        count += 1
                    }
                } catch {
                    throw SQLGenError.fromPostgresNIO(error, statementName: S.name)
                }
                return count
            }
        }
        let copySQL = "COPY \"\(S.copyTable)\" FROM STDIN"
        return try await context.traced(S.name, sql: copySQL) { () async throws(SQLGenError) -> Int in
            try await copyFrom(rows, on: connection, context: context)
        }
    }

    private static func copyFrom<Rows: AsyncSequence & Sendable>(
        _ rows: Rows, on connection: PostgresConnection, context: StatementContext
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        typealias S = Rows.Element
        var count = 0
        do {
            try await connection.copyFrom(table: S.copyTable, columns: S.copyColumns, logger: context.logger) {
                writer in
                var text = SQLCopyText()
                for try await row in rows {
                    text.append(row)
                    count += 1
                    if text.byteCount >= 1 << 16 { try await writer.write(ByteBuffer(bytes: text.takeBytes())) }
                }
                if text.byteCount > 0 { try await writer.write(ByteBuffer(bytes: text.takeBytes())) }
            }
        } catch {
            throw SQLGenError.fromPostgresNIO(error, statementName: S.name)
        }
        return count
    }
}

/// An array's elements as an async sequence, for the array forms of COPY.
struct AsyncRows<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]

    init(_ elements: [Element]) { self.elements = elements }

    func makeAsyncIterator() -> Iterator { Iterator(elements: elements) }

    struct Iterator: AsyncIteratorProtocol {
        let elements: [Element]
        var index = 0

        mutating func next() async -> Element? {
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }
}
