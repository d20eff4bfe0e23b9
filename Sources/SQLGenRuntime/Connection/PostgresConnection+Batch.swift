import CLibPQ
import Foundation

extension PostgresConnection {
    /// What one message group of a read in a batch is for.
    private enum BatchPart {
        case prepare(key: PreparedStatementKey, PreparedStatement)
        case describe(key: PreparedStatementKey)
        case statement
    }

    /// Sends tenant reads with qualified names in one round trip, each followed by its own Sync (so
    /// each runs, succeeds or fails alone), and hands each read its outcome as soon as its answer is in
    /// (``BatchedRead/finish()``). The connection must be known to be on the reads' shared path, which
    /// none of them changes; a read that cannot run here (the connection closed, or the path is not
    /// known) is marked to be run again by its own task. A read in a batch is not cancelled on the
    /// server when its task is, and waits for the reads sent before it.
    func runQualifiedBatch(_ reads: [BatchedRead], sharedPath: String) async {
        await enterGate()
        defer { leaveGate() }
        let started = ContinuousClock.now
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
        defer { PQexitPipelineMode(handle) }
        guard let plans = sendBatch(reads, handle: handle, sharedPath: sharedPath), await flush(handle) else {
            knownSearchPath = nil
            Self.retry(reads[...])
            return
        }
        var stale: [(PreparedStatementKey, PostgresError)] = []
        for (index, (read, parts)) in zip(reads, plans).enumerated() {
            let error = await readBatchAnswer(read, parts: parts, handle: handle)
            if error != nil, PQstatus(handle) != CONNECTION_OK {
                // The answers still to come are lost with the connection; reads can safely run again.
                knownSearchPath = nil
                Self.retry(reads[index...])
                break
            }
            if let error {
                // Reads do not change the path, but after an error the runtime stops trusting what it knows.
                knownSearchPath = nil
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
            read.finish()
        }
        PQexitPipelineMode(handle)
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
    /// not prepared it yet) and a Sync after each; nil when libpq refused a message.
    private func sendBatch(_ reads: [BatchedRead], handle: OpaquePointer, sharedPath: String) -> [[BatchPart]]? {
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
                    let new = PreparedStatement(name: newPreparedStatementName(), binaryResults: false)
                    guard PQsendPrepare(handle, new.name, read.sql, 0, nil) == 1,
                        PQsendDescribePrepared(handle, new.name) == 1
                    else { return nil }
                    preparedHere[key] = new
                    parts += [.prepare(key: key, new), .describe(key: key)]
                    statement = new
                }
            }
            guard send(handle, sql: read.sql, prepared: statement, values: read.values), PQpipelineSync(handle) == 1
            else { return nil }
            parts.append(.statement)
            plans.append(parts)
        }
        return plans
    }

    /// Reads one read's answers up to its Sync; returns the first error, if any.
    private func readBatchAnswer(
        _ read: BatchedRead, parts: [BatchPart], handle: OpaquePointer
    ) async -> PostgresError? {
        var index = 0
        var nulls = 0
        var failure: PostgresError?
        while true {
            guard let result = await nextResult(handle) else {
                index += 1
                nulls += 1
                if PQstatus(handle) != CONNECTION_OK || nulls > parts.count + 1 {
                    return failure
                        ?? PostgresError(
                            .outcomeUnknown, message: Self.trimmed(PQerrorMessage(handle)), statementName: read.name)
                }
                continue
            }
            defer { PQclear(result) }
            let part = index < parts.count ? parts[index] : .statement
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                return failure
            case PGRES_PIPELINE_ABORTED:
                continue
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
                if failure == nil { failure = Self.serverError(result, statementName: read.name) }
            }
        }
    }
}
