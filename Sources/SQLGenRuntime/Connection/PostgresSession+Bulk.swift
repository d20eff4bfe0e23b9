import CLibPQ
import Foundation
import SQLGenWire

extension PostgresSession {
    /// Runs a statement and returns its command tag and row count.
    public func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> SQLCommandResult {
        try await run(statement, ResultReading.commandResult)
    }

    /// Streams a statement's rows, fetched one at a time from the server (libpq's single-row mode),
    /// no faster than they are read (see ``SQLRowStream``).
    public nonisolated func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        SQLRowStream { sink throws(SQLGenError) in
            try await self.forEachRow(statement, sink.send, whileOthersWait: sink.stopHoldingBack)
        }
    }

    /// Sends a statement and hands each row to `body` as it arrives; `body` returns false to stop early.
    /// While `body` is suspended no more rows are read from the server, which then waits.
    public func forEachRow<S: SQLStatement>(
        _ statement: S, _ body: (S.Row) async -> Bool
    ) async throws(SQLGenError) {
        try await forEachRow(statement, body, whileOthersWait: nil)
    }

    /// ``forEachRow(_:_:)``, calling `release` when another operation starts waiting for the
    /// connection while the rows are read (a stream then stops holding the server back).
    func forEachRow<S: SQLStatement>(
        _ statement: S, _ body: (S.Row) async -> Bool, whileOthersWait release: (@Sendable () -> Void)?
    ) async throws(SQLGenError) {
        let name = statement.statementName
        try refuseUnlessRouted(scope: statement.declaredScope, name: name)
        let sql = statement.sqlText
        let bindings = try statement.boundParameters()
        try noteSessionEffects(of: statement, sql: sql)
        await enterGate()
        defer { leaveGate() }
        gateContention = release
        defer { gateContention = nil }
        // Inside a transaction the rows are read under a savepoint: a consumer that leaves early
        // cancels the statement, and rolling back to the savepoint keeps the transaction usable
        // (else the cancel would abort it, and every later statement of it would fail).
        let savepoint = try await openStreamSavepoint(name)
        let cancel = native.cancel
        let running = cancel.beginOperation()
        var readAll = false
        var outcome: SQLGenError? = await withTaskCancellationHandler {
            do throws(SQLGenError) {
                readAll = try await streamRows(
                    sql: sql, bindings: bindings, name: name,
                    decode: { result throws(SQLGenError) in
                        try S.decode(SQLRow(result: result, index: 0, statementName: name))
                    },
                    deliver: body)
                return nil
            } catch {
                return error
            }
        } onCancel: {
            cancel.cancelRepeatedly(running)
        }
        cancel.endOperation()
        if savepoint, outcome == nil {
            do throws(SQLGenError) {
                try await closeStreamSavepoint(rollingBack: !readAll, name)
            } catch {
                outcome = error
            }
        }
        if outcome != nil || Self.mayMoveSearchPath(statement) { knownSearchPath = nil }
        if let outcome { throw outcome }
    }

    /// Opens the savepoint a stream inside a transaction reads under; false outside a transaction.
    private func openStreamSavepoint(_ name: String) async throws(SQLGenError) -> Bool {
        let handle = try openHandle(name)
        guard PQtransactionStatus(handle) == PQTRANS_INTRANS else { return false }
        try await runStreamSavepointCommand("SAVEPOINT sqlgen_stream", handle, name)
        return true
    }

    /// Releases the stream's savepoint, first rolling back to it when the consumer left early.
    private func closeStreamSavepoint(rollingBack: Bool, _ name: String) async throws(SQLGenError) {
        let handle = try openHandle(name)
        if rollingBack { try await runStreamSavepointCommand("ROLLBACK TO SAVEPOINT sqlgen_stream", handle, name) }
        try await runStreamSavepointCommand("RELEASE SAVEPOINT sqlgen_stream", handle, name)
    }

    private func runStreamSavepointCommand(
        _ sql: String, _ handle: OpaquePointer, _ name: String
    ) async throws(SQLGenError) {
        await clearSingleRowMode(handle)
        let result = await execSimple(handle, sql)
        defer { PQclear(result) }
        try check(result, statementName: name, sent: true)
    }

    /// Reads the rows one by one: each is decoded from its result, which is freed before `deliver`,
    /// awaited before the next row is read, gets it.
    /// Returns true when every row was read, false when `deliver` stopped it early.
    private func streamRows<Row: Sendable>(
        sql: String, bindings: SQLBindings, name: String, decode: (OpaquePointer) throws(SQLGenError) -> Row,
        deliver: (Row) async -> Bool
    ) async throws(SQLGenError) -> Bool {
        let handle = try openHandle(name)
        let prepared = try await prepare(sql, name: name)
        guard send(handle, sql: sql, prepared: prepared, values: bindings.values) else {
            throw SQLGenError(.outcomeUnknown, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
        }
        PQsetSingleRowMode(handle)
        // libpq 15 keeps single-row mode on after the query; statements queued in pipeline mode would inherit it.
        singleRowModeLeftOn = true
        guard await flush(handle) else {
            throw SQLGenError(.outcomeUnknown, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
        }
        var keepGoing = true
        var failure: SQLGenError?
        while let result = await nextResult(handle) {
            let status = PQresultStatus(result)
            if status == PGRES_SINGLE_TUPLE {
                guard keepGoing, failure == nil else {
                    PQclear(result)
                    continue
                }
                let decoded: Row?
                do throws(SQLGenError) {
                    decoded = try decode(result)
                } catch {
                    decoded = nil
                    failure = error
                }
                PQclear(result)
                if let decoded { keepGoing = await deliver(decoded) }
                if !keepGoing || failure != nil { native.cancel.send() }
                continue
            }
            defer { PQclear(result) }
            switch status {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                continue
            default:
                if failure == nil, keepGoing {
                    failure = Self.reportingCancellation(Self.serverError(result, statementName: name))
                }
            }
        }
        if let failure { throw failure }
        return keepGoing
    }

    /// Enters pipeline mode, first clearing a single-row mode a stream left on.
    func enterPipelineMode(_ handle: OpaquePointer) async -> Bool {
        await clearSingleRowMode(handle)
        return PQenterPipelineMode(handle) == 1
    }

    /// Clears a single-row mode a stream left on (an empty query resets it).
    private func clearSingleRowMode(_ handle: OpaquePointer) async {
        guard singleRowModeLeftOn else { return }
        PQclear(await execSimple(handle, ""))
        singleRowModeLeftOn = false
    }

    /// Inserts rows with COPY FROM STDIN: in binary when every column's type allows (see
    /// ``BinaryCopyFormat``), else in text.
    public func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        var iterator = statements.makeIterator()
        return try await copyRows(of: S.self) { iterator.next() }
    }

    /// Inserts the rows an async sequence produces with one COPY FROM STDIN, sending them as they come
    /// (never holding them all); returns the rows copied. If the sequence throws, the COPY is abandoned on
    /// the server (nothing of it stays) and the error names the sequence's failure.
    public func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        var iterator = rows.makeAsyncIterator()
        return try await copyRows(of: Rows.Element.self) { try await iterator.next() }
    }

    private func copyRows<S: SQLCopyStatement>(
        of _: S.Type, next: () async throws -> S?
    ) async throws(SQLGenError) -> Int {
        try refuseUnlessRouted(scope: S.scope, name: S.name)
        try TransactionLifetime.current?.checkOpen(S.name)
        await enterGate()
        defer { leaveGate() }
        let sql = "COPY \(Self.quoteIdentifierPath(S.copyTable)) FROM STDIN"
        return try await traced(S.name, sql: sql) { () async throws(SQLGenError) -> Int in
            try await copyRowsHoldingGate(of: S.self, next: next)
        }
    }

    /// ``copyRows(of:next:)`` once it holds the connection.
    private func copyRowsHoldingGate<S: SQLCopyStatement>(
        of _: S.Type, next: () async throws -> S?
    ) async throws(SQLGenError) -> Int {
        let handle = try openHandle(S.name)
        var pending: S?
        var sourceFailure: (any Error)?
        do {
            pending = try await next()
        } catch {
            sourceFailure = error
        }
        let binary = await copiesInBinary(pending, handle: handle)
        lastCopyWasBinary = binary
        let columns = S.copyColumns.map(Self.quoteIdentifierPath).joined(separator: ", ")
        let start = await execSimple(
            handle,
            "COPY \(Self.quoteIdentifierPath(S.copyTable)) (\(columns)) FROM STDIN" + (binary ? " (FORMAT binary)" : "")
        )
        let status = start.map { PQresultStatus($0) }
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            guard let start else {
                throw SQLGenError(.outcomeUnknown, message: "no response to COPY", statementName: S.name)
            }
            throw Self.serverError(start, statementName: S.name)
        }
        PQclear(start)
        var rows = SQLBindings.forCopy(binary: binary)
        var ok = true
        while ok, sourceFailure == nil, let statement = pending {
            statement.bind(to: &rows)
            rows.endCopyRow()
            if rows.copyData.count >= 1 << 16 { ok = await sendCopyData(handle, &rows.copyData) }
            do {
                pending = try await next()
            } catch {
                sourceFailure = error
            }
        }
        if binary { rows.copyData.append(contentsOf: BinaryCopy.trailer) }
        if ok, sourceFailure == nil { ok = await sendCopyData(handle, &rows.copyData) }
        let abandon =
            sourceFailure.map { "the rows' source failed: \($0)" } ?? (ok ? nil : "client failed to send the rows")
        let (copied, failure) = await endCopyIn(handle, abandoning: abandon, name: S.name)
        if let sourceFailure {
            knownSearchPath = nil
            throw SQLGenError(
                .server, message: "COPY abandoned: the rows' source failed: \(sourceFailure)", statementName: S.name)
        }
        if let failure {
            knownSearchPath = nil
            throw failure
        }
        return copied
    }

    /// Whether a COPY whose first row is `first` goes in binary: binary COPY is on, every value of
    /// the row has a binary writer, and each column's type (read from the catalog now) is the one its
    /// value writes. Anything else, including a failed catalog read, goes as text.
    private func copiesInBinary<S: SQLCopyStatement>(_ first: S?, handle: OpaquePointer) async -> Bool {
        guard binaryCopy, let first else { return false }
        var probe = SQLBindings.forBinaryFormats()
        first.bind(to: &probe)
        let formats = probe.binaryFormats.compactMap { $0 }
        guard formats.count == S.copyColumns.count, formats.count == probe.binaryFormats.count else { return false }
        let sql = """
            SELECT a.attname, t.typname, t.typtype FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            """
        let sent = [Self.quoteIdentifierPath(S.copyTable)].withCStrings { values in
            PQsendQueryParams(handle, sql, 1, nil, values, nil, nil, 0) == 1
        }
        let result = await resultOfQueued(handle, queued: sent)
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_TUPLES_OK else { return false }
        var types: [String: (name: String, kind: String)] = [:]
        for row in 0..<PQntuples(result) {
            let text = { (column: Int32) in String(cString: PQgetvalue(result, row, column)) }
            types[text(0)] = (text(1), text(2))
        }
        return zip(S.copyColumns, formats).allSatisfy { column, format in
            guard let type = types[column] else { return false }
            return format.accepts(typeName: type.name, typeKind: type.kind)
        }
    }

    /// Sends and empties `buffer` as COPY data; false when the connection broke.
    func sendCopyData(_ handle: OpaquePointer, _ buffer: inout [UInt8]) async -> Bool {
        guard !buffer.isEmpty else { return true }
        while true {
            let sent = buffer.withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            if sent == 1 { break }
            // 0: libpq's buffer is full; -1: the connection broke.
            if sent < 0 { return false }
            await SocketReactor.shared.wait(for: .writable, on: PQsocket(handle))
        }
        buffer.removeAll(keepingCapacity: true)
        return await flush(handle)
    }

    /// Runs `operation`, which holds the connection, in a span of its own (see ``SQLTracing``), naming
    /// the tenant schema of the routed transaction's path, if any.
    private func traced<T>(
        _ name: String, sql: String, batchSize: Int? = nil, _ operation: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await SQLTracing.withStatementSpan(
            name, sql: sql, server: server, tenantSchema: preparationTenantSchema, batchSize: batchSize, tracer: tracer,
            operation)
    }

    /// `schema.table` with each part quoted as an identifier.
    static func quoteIdentifierPath(_ path: String) -> String {
        path.split(separator: ".").map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: ".")
    }

    public func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await pipeline(statements, ResultReading.affectedRows)
    }

    public func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        let name = statements.first?.statementName ?? S.name
        return try await pipeline(statements) { result throws(SQLGenError) in
            try ResultReading.firstRow(result, of: S.self, name: name)
        }
    }

    public func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        let name = statements.first?.statementName ?? S.name
        return try await pipeline(statements) { result throws(SQLGenError) in
            try ResultReading.rows(result, of: S.self, name: name)
        }
    }

    /// Sends every statement in pipeline mode with one sync per chunk, and reads the results in order.
    /// A failure names the item that failed; the items after it in its chunk did not run.
    private func pipeline<S: SQLStatement, T>(
        _ statements: [S], _ read: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> [T] {
        guard let first = statements.first else { return [] }
        let name = first.statementName
        for statement in statements { try refuseUnlessRouted(scope: statement.declaredScope, name: name) }
        for statement in statements { try noteSessionEffects(of: statement, sql: statement.sqlText) }
        await enterGate()
        defer { leaveGate() }
        return try await traced(name, sql: first.sqlText, batchSize: statements.count) {
            () async throws(SQLGenError) -> [T] in
            try await pipelineHoldingGate(statements, read)
        }
    }

    /// ``pipeline(_:_:)`` once it holds the connection.
    private func pipelineHoldingGate<S: SQLStatement, T>(
        _ statements: [S], _ read: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> [T] {
        guard let first = statements.first else { return [] }
        let name = first.statementName
        let handle = try openHandle(name)
        // Plain statements of one batch can differ in their SQL: each text is prepared and sent as itself.
        var preparedBySQL: [String: PreparedStatement?] = [:]
        for statement in statements where preparedBySQL.index(forKey: statement.sqlText) == nil {
            preparedBySQL[statement.sqlText] = .some(try await prepare(statement.sqlText, name: name))
        }
        var results: [T] = []
        results.reserveCapacity(statements.count)
        let chunkSize = 256
        var start = 0
        while start < statements.count {
            let chunk = statements[start..<min(start + chunkSize, statements.count)]
            // Every parameter set is checked before the pipeline starts, so a bad one sends nothing.
            let boundChunk = try chunk.map { statement throws(SQLGenError) in try statement.boundParameters() }
            guard await enterPipelineMode(handle) else {
                throw SQLGenError(.server, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
            }
            for (statement, bindings) in zip(chunk, boundChunk) {
                let prepared = preparedBySQL[statement.sqlText].flatMap { $0 }
                if !send(handle, sql: statement.sqlText, prepared: prepared, values: bindings.values) {
                    break
                }
            }
            PQpipelineSync(handle)
            let flushed = await flush(handle)
            var failure: SQLGenError?
            var item = start
            var synced = false
            while !synced, flushed {
                guard let result = await nextResult(handle) else {
                    // The end of one item's results.
                    item += 1
                    if PQstatus(handle) != CONNECTION_OK { break }
                    continue
                }
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_PIPELINE_SYNC:
                    synced = true
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                    if failure == nil {
                        do throws(SQLGenError) {
                            results.append(try read(result))
                        } catch {
                            failure = error
                        }
                    }
                case PGRES_PIPELINE_ABORTED:
                    continue
                default:
                    if failure == nil {
                        var error = Self.serverError(result, statementName: name)
                        error.message = "batch item \(item + 1) of \(statements.count): " + error.message
                        failure = error
                    }
                }
            }
            PQexitPipelineMode(handle)
            if failure != nil || !synced || Self.mayMoveSearchPath(first) { knownSearchPath = nil }
            if let failure { throw failure }
            if !synced {
                throw SQLGenError(
                    .outcomeUnknown, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
            }
            start += chunkSize
        }
        return results
    }
}
