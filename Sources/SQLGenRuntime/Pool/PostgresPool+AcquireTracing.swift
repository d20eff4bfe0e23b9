import Tracing

/// The span of each acquire: how long a task waited for a connection, and whether it waited in line.
extension PostgresPool {
    /// Lends a connection as ``acquire(affinity:group:)`` does; a task waiting with a `read` may instead
    /// find it sent by another task (``Lending/served``), or be lent a connection with waiting reads to
    /// send along with its own. Traced as a span of its own (``SQLTracing/poolAcquireSpanName``).
    func lend(affinity: String?, group name: String?, read: BatchedRead?) async throws -> Lending {
        let span = (options.tracer ?? InstrumentationSystem.tracer)
            .startSpan(SQLTracing.poolAcquireSpanName, context: .current ?? .topLevel, ofKind: .internal)
        var waited = false
        do {
            let lending = try await lendNow(affinity: affinity, group: name, read: read, waited: &waited)
            endAcquireSpan(span, group: name, waited: waited, lending: lending, error: nil)
            return lending
        } catch {
            endAcquireSpan(span, group: name, waited: waited, lending: nil, error: error)
            throw error
        }
    }

    /// Ends an acquire's span: whether the task waited in line, whether it was lent a connection or found
    /// its read sent by another task, and the failure, if any.
    private func endAcquireSpan(
        _ span: any Span, group: String?, waited: Bool, lending: Lending?, error: (any Error)?
    ) {
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["sqlgen.pool.waited"] = waited
                if let group { attributes["sqlgen.tenant.schema"] = group }
                if case .served = lending { attributes["sqlgen.pool.read_sent_along"] = true }
                if case .connection(_, let mates) = lending, !mates.isEmpty {
                    attributes["sqlgen.pool.reads_sent_along"] = Int64(mates.count)
                }
            }
            if let error {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
                let kind = (error as? SQLGenError).map { "\($0.kind)" } ?? "\(type(of: error))"
                span.attributes["error.type"] = kind
            }
        }
        span.end()
    }
}
