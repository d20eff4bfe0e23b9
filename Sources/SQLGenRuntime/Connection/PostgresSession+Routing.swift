import CLibPQ
import Foundation

extension PostgresSession {
    /// What one message group of a routed pipeline is for.
    private enum RoutedPart {
        case setup
        case prepare(key: PreparedStatementKey, PreparedStatement)
        /// The description of a statement just prepared: it chooses the format of its later results.
        case describe(key: PreparedStatementKey)
        case statement
        case pathCheck
    }

    /// What a routed pipeline came back with.
    private struct RoutedOutcome<T> {
        var value: T?
        var statementError: SQLGenError?
        var pathCheckFailed = false
        var setupError: SQLGenError?
        var synced = false
    }

    /// Runs a statement under exactly `route`'s search path, in one round trip: the path is set
    /// first when the connection is not known to be on it (or always, with `transactionLocal`),
    /// the statement runs, and a check that fails unless `current_schemas` is exactly the route's
    /// schemas runs last in the same implicit (or explicit) transaction, so that work done in any
    /// other schema is rolled back and its rows never returned.
    ///
    /// With `checkingOnly`, inside a transaction, neither the path nor the role is set first: the check
    /// sees what the statements before it left.
    func runRouted<S: SQLStatement, T>(
        _ statement: S, route: SearchPathRoute, switching: TenantSwitching, checkingOnly: Bool = false,
        _ body: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let name = statement.statementName
        let bindings = try statement.boundParameters()
        try noteSessionEffects(of: statement, sql: statement.sqlText, underTenantRole: route.runsUnderTenantRole)
        return try await instrumentedOperation(
            name: name, sql: statement.sqlText, tenantSchema: route.tenant?.schemaName
        ) { () async throws(SQLGenError) -> T in
            try await runRoutedNow(
                sql: statement.sqlText, bindings: bindings, name: name, route: route, switching: switching,
                checkingOnly: checkingOnly, body)
        }
    }

    /// Runs a tenant read whose tenant names are qualified by the tenant's schema (`sql`), on the shared
    /// path (set in the same round trip when the connection is not known to be on it). A name missing
    /// from the tenant's schema fails, as ``SQLGenError/Kind/tenantSchemaUnavailable``; it can be found
    /// nowhere else, since no tenant schema is on the path.
    func runQualified<S: SQLStatement, T>(
        _ statement: S, sql: String, tenant: SearchPathRoute, shared: SearchPathRoute,
        _ body: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let name = statement.statementName
        let bindings = try statement.boundParameters()
        return try await instrumentedOperation(name: name, sql: sql, tenantSchema: tenant.tenant?.schemaName) {
            () async throws(SQLGenError) -> T in
            do throws(SQLGenError) {
                return try await runRoutedNow(
                    sql: sql, bindings: bindings, name: name, route: shared, switching: .sessionAffinity,
                    checksPath: false, body)
            } catch {
                guard Self.namesMissing(error) else { throw error }
                var failure = Self.schemaUnavailable(tenant, statementName: name)
                failure.message += " (\(error.message))"
                failure.sqlState = error.sqlState
                throw failure
            }
        }
    }

    /// A server error saying a schema, relation or type named in the statement does not exist.
    static func namesMissing(_ error: SQLGenError) -> Bool {
        error.sqlState == "3F000" || error.sqlState == "42P01" || error.sqlState == "42704"
    }

    private func runRoutedNow<T>(
        sql: String, bindings: SQLBindings, name: String, route: SearchPathRoute, switching: TenantSwitching,
        checksPath: Bool = true, checkingOnly: Bool = false, _ body: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let handle = try openHandle(name)
        if Task.isCancelled { throw SQLGenError(.cancelled, message: "the task was cancelled", statementName: name) }
        try checkIdleConnectionAlive(handle, name: name)
        if switching == .sessionAffinity, usesPreparedStatements { await limitPreparedStatements(handle) }
        var forceSet = false
        var retried = false
        while true {
            let inTransaction = PQtransactionStatus(handle) != PQTRANS_IDLE
            let onlyChecks = checkingOnly && inTransaction
            let setsPath =
                !onlyChecks && (forceSet || switching == .transactionLocal || knownSearchPath != route.setting)
            knownSearchPath = nil
            let outcome = try await sendRouted(
                handle: handle, sql: sql, bindings: bindings, name: name, route: route, switching: switching,
                setsPath: setsPath, setsRole: !onlyChecks, checksPath: checksPath, inTransaction: inTransaction, body)
            // A failure inside the BEGIN this pipeline sent skips its COMMIT: end that transaction here,
            // so the connection goes back idle instead of being closed as dirty.
            if !inTransaction, PQtransactionStatus(handle) != PQTRANS_IDLE, PQstatus(handle) == CONNECTION_OK {
                PQclear(await execSimple(handle, "ROLLBACK"))
            }
            if outcome.pathCheckFailed {
                // A path the connection was wrongly believed to have: its work was rolled back, so run it again
                // with the path set. A path that was set and is still wrong means the schema is gone.
                if !setsPath, !inTransaction, !retried {
                    retried = true
                    forceSet = true
                    continue
                }
                throw Self.schemaUnavailable(route, statementName: name)
            }
            if let error = outcome.statementError ?? outcome.setupError {
                if !retried, !inTransaction, Self.isStalePreparedStatement(error) {
                    retried = true
                    await discardPreparedStatement(key: preparedKey(sql, path: route.setting), after: error, on: handle)
                    continue
                }
                throw Self.reportingCancellation(error)
            }
            guard outcome.synced, let value = outcome.value else {
                throw SQLGenError(
                    .outcomeUnknown, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
            }
            if switching == .sessionAffinity { knownSearchPath = route.setting }
            return value
        }
    }

    private func sendRouted<T>(
        handle: OpaquePointer, sql: String, bindings: SQLBindings, name: String, route: SearchPathRoute,
        switching: TenantSwitching, setsPath: Bool, setsRole: Bool, checksPath: Bool, inTransaction: Bool,
        _ body: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> RoutedOutcome<T> {
        guard await enterPipelineMode(handle) else {
            throw SQLGenError(.server, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
        }
        defer { PQexitPipelineMode(handle) }
        let prepared = switching == .sessionAffinity && usesPreparedStatements
        // A tenant role is set for a transaction only; the connecting user needs setting only inside a
        // transaction, where an earlier statement may have set a tenant's.
        let role = route.role.flatMap { role in
            role != SearchPathRoute.connectingUser || inTransaction ? role : nil
        }
        let wraps = (switching == .transactionLocal || role != nil) && !inTransaction
        var parts: [RoutedPart] = []
        var sendFailed = false

        func enqueue(_ text: String, _ values: [String?], as part: RoutedPart) {
            guard !sendFailed else { return }
            if prepared {
                let key = preparedKey(text, path: route.setting)
                var statement = preparedStatement(forKey: key)
                if statement == nil {
                    guard let new = queuePreparation(handle, sql: text) else {
                        sendFailed = true
                        return
                    }
                    parts.append(.prepare(key: key, new))
                    parts.append(.describe(key: key))
                    statement = new
                }
                if self.send(handle, sql: text, prepared: statement, values: values) {
                    parts.append(part)
                } else {
                    sendFailed = true
                }
            } else if self.send(handle, sql: text, prepared: nil, values: values) {
                parts.append(part)
            } else {
                sendFailed = true
            }
        }

        if wraps { enqueue("BEGIN", [], as: .setup) }
        let local = switching == .transactionLocal
        switch (setsPath, setsRole ? role : nil) {
        case (true, let role?):
            enqueue(SearchPathRoute.setPathAndRoleSQL(localPath: local), [route.setting, role], as: .setup)
        case (true, nil): enqueue(SearchPathRoute.setSQL(local: local), [route.setting], as: .setup)
        case (false, let role?): enqueue(SearchPathRoute.setRoleSQL, [role], as: .setup)
        case (false, nil): break
        }
        enqueue(sql, bindings.values, as: .statement)
        switch (checksPath, role) {
        case (true, let role?):
            enqueue(SearchPathRoute.guardWithRoleSQL, [route.expectedSchemas, role], as: .pathCheck)
        case (true, nil): enqueue(SearchPathRoute.guardSQL, [route.expectedSchemas], as: .pathCheck)
        // Unchecked runs are qualified reads on the shared path, which tenant roles turn off.
        case (false, _): break
        }
        if wraps { enqueue("COMMIT", [], as: .setup) }
        PQpipelineSync(handle)
        let flushed = await flush(handle)

        var outcome = RoutedOutcome<T>()
        var index = 0
        var nulls = 0
        while !outcome.synced, flushed {
            guard let result = await nextResult(handle) else {
                // The end of one part's results.
                index += 1
                nulls += 1
                if PQstatus(handle) != CONNECTION_OK || nulls > parts.count + 1 { break }
                continue
            }
            defer { PQclear(result) }
            let part = index < parts.count ? parts[index] : .setup
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_SYNC:
                outcome.synced = true
            case PGRES_PIPELINE_ABORTED:
                continue
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                switch part {
                case .prepare(let key, let statement):
                    rememberPreparedStatement(key: key, statement)
                case .statement:
                    do throws(SQLGenError) {
                        outcome.value = try body(result)
                    } catch {
                        outcome.statementError = error
                    }
                case .describe(let key):
                    rememberResultFormat(key: key, description: result)
                case .setup, .pathCheck:
                    continue
                }
            default:
                switch part {
                case .pathCheck
                where PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } == "22P02":
                    // The check's own failure: the path is not the route's.
                    outcome.pathCheckFailed = true
                case .statement, .prepare, .describe, .pathCheck:
                    if outcome.statementError == nil {
                        outcome.statementError = Self.serverError(result, statementName: name)
                    }
                case .setup:
                    if outcome.setupError == nil { outcome.setupError = Self.serverError(result, statementName: name) }
                }
            }
        }
        if sendFailed, outcome.statementError == nil {
            outcome.setupError = SQLGenError(
                .outcomeUnknown, message: Self.trimmed(PQerrorMessage(handle)), statementName: name)
        }
        return outcome
    }

    static func schemaUnavailable(_ route: SearchPathRoute, statementName: String?) -> SQLGenError {
        let schema = route.tenant?.schemaName ?? route.schemas.first ?? ""
        return SQLGenError(
            .tenantSchemaUnavailable,
            message: "schema \"\(schema)\" is missing or the search path is not \(route.setting)"
                + (route.role.map { " or the role is not \($0)" } ?? "") + "; the statement's work was rolled back",
            statementName: statementName)
    }
}
