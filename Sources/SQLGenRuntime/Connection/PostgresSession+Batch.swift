import CLibPQ
import Foundation
import Tracing

extension PostgresSession {
    /// What one message group of a read in a batch is for.
    private enum BatchPart {
        case prepare(key: PreparedStatementKey, PreparedStatement)
        case describe(key: PreparedStatementKey)
        case statement
    }

    /// Sends tenant reads with qualified names in one round trip and hands each read its outcome as soon
    /// as its answer is in (``BatchedRead/finish()``). One Sync ends the round trip: when a read fails,
    /// the server skips the reads after it, and those are sent again at once, so each read succeeds or
    /// fails alone. The connection must be known to be on the reads' shared path, which none of them
    /// changes; a read that cannot run here (the connection closed, or the path is not known) is marked
    /// to be run again by its own task. A read in a batch is not cancelled on the server when its task
    /// is, and waits for the reads sent before it.
    func runQualifiedBatch(_ reads: [BatchedRead], sharedPath: String) async {
        await enterGate()
        defer { leaveGate() }
        let started = ContinuousClock.now
        let spanStart = DefaultTracerClock.now
        guard let first = reads.first, let handle = try? openHandle(first.name), knownSearchPath == sharedPath,
            (try? checkIdleConnectionAlive(handle, name: first.name)) != nil
        else {
            Self.retry(reads[...])
            return
        }
        if usesPreparedStatements { await limitPreparedStatements(handle) }
        guard await enterPipelineMode(handle) else {
            Self.retry(reads[...])
            return
        }
        defer { leavePipelineMode() }
        var pending = reads[...]
        var stale: [(PreparedStatementKey, SQLGenError)] = []
        var failed = false
        while !pending.isEmpty {
            guard let plans = sendBatch(pending, handle: handle, sharedPath: sharedPath), await flush(handle) else {
                knownSearchPath = nil
                Self.retry(pending)
                return
            }
            var skipped: ArraySlice<BatchedRead> = []
            for (index, (read, parts)) in zip(pending.indices, zip(pending, plans)) {
                switch await readBatchAnswer(read, parts: parts, handle: handle) {
                case .skipped:
                    skipped.append(read)
                    continue
                case .lost:
                    // The answers still to come are lost (with the connection, or out of step with what was
                    // sent, when the connection is closed here); the reads can safely run again elsewhere.
                    closeHandle()
                    Self.retry(skipped)
                    Self.retry(pending[index...])
                    return
                case .answered(nil):
                    break
                case .answered(let error?):
                    failed = true
                    if Self.isStalePreparedStatement(error) {
                        stale.append((preparedKey(read.sql, path: sharedPath), error))
                        read.retryUnlessDone()
                    } else if Self.namesMissing(error) {
                        var failure = Self.schemaUnavailable(read.tenant, statementName: read.name)
                        failure.message += " (\(error.message))"
                        failure.sqlState = error.sqlState
                        read.fail(failure)
                    } else {
                        read.fail(error)
                    }
                }
                instrumentation.record(name: read.name, duration: ContinuousClock.now - started, error: read.failure)
                // Each read its own span, a child of its own task's context, whichever task sent it.
                let span = SQLTracing.startStatementSpan(
                    read.name, sql: read.sql, server: server, tenantSchema: read.tenant.tenant?.schemaName,
                    tracer: tracer, context: read.context, at: spanStart)
                SQLTracing.endStatementSpan(span, error: read.failure)
                read.finish()
            }
            // Every read skipped cannot happen after a Sync; should it, they run again on their own.
            guard await readSync(handle), skipped.count < pending.count else {
                closeHandle()
                Self.retry(skipped)
                return
            }
            // Reads of a statement found stale go back to their tasks, which run them after it is dropped.
            let staleKeys = Set(stale.map(\.0))
            Self.retry(skipped.filter { staleKeys.contains(preparedKey($0.sql, path: sharedPath)) })
            pending = skipped.filter { !staleKeys.contains(preparedKey($0.sql, path: sharedPath)) }
        }
        // Reads do not change the path, but after an error the runtime stops trusting what it knows.
        if failed { knownSearchPath = nil }
        leavePipelineMode()
        for (key, error) in stale { await discardPreparedStatement(key: key, after: error, on: handle) }
    }

    /// Marks reads not run (or whose answers were lost) to be run again by their own tasks, and hands
    /// them back.
    private static func retry(_ reads: ArraySlice<BatchedRead>) {
        for read in reads {
            read.retryUnlessDone()
            read.finish()
        }
    }

    /// Queues each read's messages (its statement prepared and described first when this connection has
    /// not prepared it yet), then one Sync; nil when libpq refused a message.
    private func sendBatch(
        _ reads: ArraySlice<BatchedRead>, handle: OpaquePointer, sharedPath: String
    ) -> [[BatchPart]]? {
        var plans: [[BatchPart]] = []
        var preparedHere: [PreparedStatementKey: PreparedStatement] = [:]
        for read in reads {
            var parts: [BatchPart] = []
            var statement: PreparedStatement?
            if usesPreparedStatements {
                let key = preparedKey(read.sql, path: sharedPath)
                if let known = preparedStatement(forKey: key) ?? preparedHere[key] {
                    statement = known
                } else {
                    guard let new = queuePreparation(handle, sql: read.sql) else { return nil }
                    preparedHere[key] = new
                    parts += [.prepare(key: key, new), .describe(key: key)]
                    statement = new
                }
            }
            guard send(handle, sql: read.sql, prepared: statement, values: read.values) else { return nil }
            parts.append(.statement)
            plans.append(parts)
        }
        return PQpipelineSync(handle) == 1 ? plans : nil
    }

    /// What a read in a batch came to.
    private enum BatchAnswer {
        /// The server ran it: with the first error it reported, if any.
        case answered(SQLGenError?)
        /// The server skipped it after an earlier read's error.
        case skipped
        /// The connection broke before its answer was in.
        case lost
    }

    /// Reads one read's answers: one result, then the end of it, for each message group it sent.
    private func readBatchAnswer(
        _ read: BatchedRead, parts: [BatchPart], handle: OpaquePointer
    ) async -> BatchAnswer {
        var failure: SQLGenError?
        var skipped = false
        for (position, part) in parts.enumerated() {
            guard let result = await nextResult(handle) else { return .lost }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_ABORTED:
                // Skipped from its first group on: an earlier read failed. Later groups only follow its own error.
                if position == 0 { skipped = true }
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                switch part {
                case .prepare(let key, let statement):
                    rememberPreparedStatement(key: key, statement)
                case .describe(let key):
                    rememberResultFormat(key: key, description: result)
                case .statement:
                    read.deliver(result)
                }
            default:
                if Self.endsSession(result) {
                    PQclear(result)
                    return .lost
                }
                if failure == nil { failure = Self.serverError(result, statementName: read.name) }
            }
            PQclear(result)
            guard await endOfResults(handle) else { return .lost }
        }
        return skipped ? .skipped : .answered(failure)
    }

    /// Whether an error result is the server ending the session (FATAL or PANIC), as when the backend is
    /// terminated: the connection is gone, whatever libpq has noticed so far.
    private static func endsSession(_ result: OpaquePointer) -> Bool {
        guard let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))) else { return false }
        let text = String(cString: severity)
        return text == "FATAL" || text == "PANIC"
    }

    /// Reads the end of one message group's results: true when libpq reports it.
    private func endOfResults(_ handle: OpaquePointer) async -> Bool {
        guard let extra = await nextResult(handle) else { return PQstatus(handle) == CONNECTION_OK }
        PQclear(extra)
        return false
    }

    /// Reads the batch's Sync: true when it came.
    private func readSync(_ handle: OpaquePointer) async -> Bool {
        guard let result = await nextResult(handle) else { return false }
        defer { PQclear(result) }
        return PQresultStatus(result) == PGRES_PIPELINE_SYNC
    }
}
