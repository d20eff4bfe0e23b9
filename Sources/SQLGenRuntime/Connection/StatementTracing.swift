import Tracing

/// Spans for the statements an executor runs, after OpenTelemetry's database semantic conventions.
///
/// Each statement gets one client span named after it (``SQLStatement/statementName``), with
/// `db.system.name` (`postgresql`), `db.operation.name` (the statement's first keyword),
/// `db.namespace` (the database), `db.query.text` (the SQL, never a parameter value),
/// `server.address` and `server.port` where known, `sqlgen.tenant.schema` when the statement is
/// routed to a tenant, and `db.operation.batch.size` for a batch. A failed statement's span records
/// the error, has status `.error`, and carries `db.response.status_code` and `error.type` (the
/// SQLSTATE, or the ``SQLGenError/Kind`` when there is none).
///
/// The parent comes from the task's `ServiceContext`. Attributes are built only when the span is
/// recording, so with no tracer bootstrapped a statement costs no more than the no-op span.
///
/// An executor of another driver emits the same spans around each statement it runs:
///
/// ```swift
/// let rows = try await SQLTracing.withStatementSpan(
///     statement.statementName, sql: statement.sqlText, server: SQLTracing.Server(database: "crm")
/// ) { () async throws(SQLGenError) in
///     try await runOnMyDriver(statement)
/// }
/// ```
public enum SQLTracing {
    /// Where statements run: the attributes every span of one connection carries.
    public struct Server: Sendable, Hashable {
        /// The database name (`db.namespace`).
        public var database: String?
        /// The server's host name, address or socket folder (`server.address`).
        public var address: String?
        /// The server's port (`server.port`).
        public var port: Int?

        /// Where statements run; any part may be unknown.
        public init(database: String? = nil, address: String? = nil, port: Int? = nil) {
            self.database = database
            self.address = address
            self.port = port
        }
    }

    /// The name of the span of taking a connection from a pool.
    public static let poolAcquireSpanName = "sqlgen.pool.acquire"

    /// Starts the span of one statement: a client span named `name`, a child of `context` (by default
    /// the task's current context), from `tracer` (by default `InstrumentationSystem.tracer`). Its
    /// attributes are set only when it is recording. End it with ``endStatementSpan(_:error:)``.
    public static func startStatementSpan(
        _ name: String, sql: String, server: Server, tenantSchema: String? = nil, batchSize: Int? = nil,
        tracer: (any Tracer)? = nil, context: ServiceContext? = nil,
        at instant: DefaultTracerClock.Instant = DefaultTracerClock.now
    ) -> any Span {
        let tracer = tracer ?? InstrumentationSystem.tracer
        let span = tracer.startSpan(name, context: context ?? .current ?? .topLevel, ofKind: .client, at: instant)
        guard span.isRecording else { return span }
        span.updateAttributes { attributes in
            attributes["db.system.name"] = "postgresql"
            if let operation = operationName(of: sql) { attributes["db.operation.name"] = operation }
            attributes["db.query.text"] = sql
            if let database = server.database { attributes["db.namespace"] = database }
            if let address = server.address { attributes["server.address"] = address }
            if let port = server.port { attributes["server.port"] = Int64(port) }
            if let tenantSchema { attributes["sqlgen.tenant.schema"] = tenantSchema }
            if let batchSize { attributes["db.operation.batch.size"] = Int64(batchSize) }
        }
        return span
    }

    /// Ends a statement's span; a failure is recorded on it, with status `.error`, and its SQLSTATE
    /// (or its kind, when it has none) as `db.response.status_code` and `error.type`.
    public static func endStatementSpan(_ span: any Span, error: SQLGenError?) {
        if let error, span.isRecording {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error, message: error.message))
            span.updateAttributes { attributes in
                if let sqlState = error.sqlState {
                    attributes["db.response.status_code"] = sqlState
                    attributes["error.type"] = sqlState
                } else {
                    attributes["error.type"] = "\(error.kind)"
                }
            }
        }
        span.end()
    }

    /// Runs `body`, one statement, inside its span (see ``startStatementSpan(_:sql:server:tenantSchema:batchSize:tracer:context:at:)``).
    public static func withStatementSpan<T>(
        _ name: String, sql: String, server: Server, tenantSchema: String? = nil, batchSize: Int? = nil,
        tracer: (any Tracer)? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let span = startStatementSpan(
            name, sql: sql, server: server, tenantSchema: tenantSchema, batchSize: batchSize, tracer: tracer)
        do {
            let value = try await body()
            endStatementSpan(span, error: nil)
            return value
        } catch {
            endStatementSpan(span, error: error)
            throw error
        }
    }

    /// The statement's command, for `db.operation.name`: its first keyword upper-cased (`SELECT`,
    /// `INSERT`, `WITH`, `COPY`, ...), past blank space, comments and opening parentheses; nil when
    /// the text starts with no keyword.
    public static func operationName(of sql: String) -> String? {
        var bytes = sql.utf8[...]
        while let byte = bytes.first {
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: " ") || (9...13).contains(byte) {
                bytes = bytes.dropFirst()
            } else if bytes.starts(with: "--".utf8) {
                bytes = bytes.drop { $0 != UInt8(ascii: "\n") }
            } else if bytes.starts(with: "/*".utf8) {
                let text = Array(bytes)
                bytes = bytes.dropFirst(SQLLexing.blockCommentEnd(text, from: 0))
            } else {
                break
            }
        }
        let keyword = bytes.prefix { (65...90).contains($0) || (97...122).contains($0) }
        guard !keyword.isEmpty else { return nil }
        return String(decoding: keyword, as: UTF8.self).uppercased()
    }
}
