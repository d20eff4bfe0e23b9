import Logging
import SQLGenRuntime
import Tracing

/// What every statement an executor sends carries: where PostgresNIO logs it, and the span it
/// runs in (``SQLGenRuntime/SQLTracing``'s, as the libpq runtime emits them).
struct StatementContext: Sendable {
    let logger: Logger
    /// The database and server the spans name.
    let server: SQLTracing.Server
    /// The tracer spans come from; nil: `InstrumentationSystem.tracer`.
    let tracer: (any Tracer)?
    /// The tenant's schema the statements run in, for the spans.
    var tenantSchema: String?

    /// Runs `body` in the span of the statement `name` with `sql`.
    func traced<T>(
        _ name: String, sql: String, batchSize: Int? = nil, _ body: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let span = SQLTracing.startStatementSpan(
            name, sql: sql, server: server, tenantSchema: tenantSchema, batchSize: batchSize, tracer: tracer)
        do throws(SQLGenError) {
            let value = try await body()
            SQLTracing.endStatementSpan(span, error: nil)
            return value
        } catch {
            SQLTracing.endStatementSpan(span, error: error)
            throw error
        }
    }

    /// The context of statements routed to `tenantSchema`.
    func routed(to tenantSchema: String?) -> StatementContext {
        var context = self
        context.tenantSchema = tenantSchema
        return context
    }
}
