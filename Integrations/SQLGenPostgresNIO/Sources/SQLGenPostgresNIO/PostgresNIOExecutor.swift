import Logging
import PostgresNIO
import SQLGenRuntime
import Tracing

/// Runs sqlgen's generated statements on PostgresNIO: over a `PostgresClient` (each statement on a
/// connection the client lends), over a `PostgresConnection` you hold, or inside a transaction
/// ``withTransaction(_:)`` opens.
///
/// ```swift
/// let client = PostgresClient(configuration: configuration)
/// let database = PostgresNIOExecutor(client)
/// let contact = try await ContactsQueries(database).getContact(id: id)
/// ```
///
/// Values are bound in PostgreSQL's text format and rows are decoded by sqlgen's own codecs, so
/// generated models decode exactly as they do on ``SQLGenRuntime/PostgresSession``. A connection
/// the client lends goes back to it as it was: statements that would leave state on it (settings,
/// temporary objects, prepared statements, LISTEN, advisory locks) are refused with
/// ``SQLGenError/Kind/sessionStateBehindPooler``, and tenant-scoped statements run only through a
/// ``PostgresNIOTenantExecutor``.
public struct PostgresNIOExecutor: Sendable {
    /// Where statements run.
    enum Source: Sendable {
        case client(PostgresClient)
        case connection(PostgresConnection)
        /// A connection `withConnection` lends, for as long as its closure runs.
        case lent(PostgresConnection, NIOTransactionLifetime)
        case transaction(PostgresConnection, NIOTransactionLifetime)
    }

    let source: Source
    let context: StatementContext

    /// Where PostgresNIO logs the statements.
    public var logger: Logger { context.logger }

    /// Statements on connections `client` lends, one lease per statement (batches and COPY keep
    /// theirs for the whole of it). Each statement runs in a span from `tracer` (by default
    /// `InstrumentationSystem.tracer`) that names `database` and `server` where given.
    public init(
        _ client: PostgresClient, database: String? = nil, server: SQLTracing.Server? = nil,
        tracer: (any Tracer)? = nil, logger: Logger = Logger(label: "sqlgen.postgres-nio")
    ) {
        self.source = .client(client)
        self.context = StatementContext(
            logger: logger, server: Self.server(server, database: database), tracer: tracer, tenantSchema: nil)
    }

    /// Statements on `connection`, which must stay open while they run.
    public init(
        connection: PostgresConnection, database: String? = nil, server: SQLTracing.Server? = nil,
        tracer: (any Tracer)? = nil, logger: Logger = Logger(label: "sqlgen.postgres-nio")
    ) {
        self.source = .connection(connection)
        self.context = StatementContext(
            logger: logger, server: Self.server(server, database: database), tracer: tracer, tenantSchema: nil)
    }

    init(source: Source, context: StatementContext) {
        self.source = source
        self.context = context
    }

    private static func server(_ server: SQLTracing.Server?, database: String?) -> SQLTracing.Server {
        var server = server ?? SQLTracing.Server()
        if let database { server.database = database }
        return server
    }

    /// Whether statements run inside a transaction this executor is part of.
    var inTransaction: Bool {
        if case .transaction = source { return true }
        return false
    }

    /// Lends `body` the connection the statement runs on.
    func lease<T>(
        _ name: String, _ body: (PostgresConnection) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        switch source {
        case .connection(let connection):
            return try await body(connection)
        case .lent(let connection, let lifetime), .transaction(let connection, let lifetime):
            try lifetime.checkOpen(name)
            return try await body(connection)
        case .client(let client):
            let outcome: Result<T, SQLGenError>
            // The wait for the client's connection is a span of its own, as a pool acquire is.
            let acquire = (context.tracer ?? InstrumentationSystem.tracer)
                .startSpan(SQLTracing.poolAcquireSpanName, context: .current ?? .topLevel, ofKind: .internal)
            var acquired = false
            do {
                outcome = try await client.withConnection { connection in
                    acquired = true
                    acquire.end()
                    do throws(SQLGenError) {
                        return .success(try await body(connection))
                    } catch {
                        return .failure(error)
                    }
                }
            } catch {
                let failure = SQLGenError.fromPostgresNIO(error, statementName: name)
                if !acquired {
                    acquire.recordError(failure)
                    acquire.setStatus(SpanStatus(code: .error))
                    acquire.end()
                }
                throw failure
            }
            return try outcome.get()
        }
    }

    /// Runs `body` on one connection, which it may use for several statements (a transaction of
    /// its own, say); the connection goes back to the client afterwards, and the executor `body`
    /// gets refuses statements from then on.
    public func withConnection<T>(
        _ body: (PostgresNIOExecutor) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await lease("withConnection") { connection throws(SQLGenError) in
            if case .transaction = source { return try await body(self) }
            let lifetime = NIOTransactionLifetime()
            defer { lifetime.end() }
            return try await body(PostgresNIOExecutor(source: .lent(connection, lifetime), context: context))
        }
    }

    /// The transaction the executor runs in, or nil outside one.
    var transactionLifetime: NIOTransactionLifetime? {
        if case .transaction(_, let lifetime) = source { return lifetime }
        return nil
    }
}
