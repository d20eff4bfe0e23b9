import CLibPQ
import Foundation
import Logging
import SQLGenWire
import Tracing

/// One connection to PostgreSQL over libpq.
///
/// libpq runs in non-blocking mode on the calling task: it sends, then waits
/// for the socket through one reactor thread shared by every connection, so
/// no thread ever blocks on the server. Operations on one connection run one
/// at a time, in order. Statements are prepared once per connection (named,
/// keyed by their SQL) and run with the extended protocol: values are never
/// spliced into SQL.
public actor PostgresSession {
    let native = NativeHandles()
    /// Whether an operation holds the connection, and the operations waiting for it.
    var gateBusy = false
    var gateQueue: [CheckedContinuation<Void, Never>] = []
    /// Set while a stream reads rows: called when another operation starts waiting for the gate.
    var gateContention: (@Sendable () -> Void)?
    /// Prepared statements by ``preparedKey(_:path:)``.
    private var preparedNames: [PreparedStatementKey: PreparedStatement] = [:]
    /// How many statements the connection has prepared now.
    var preparedStatementCount: Int { preparedNames.count }
    private var nextStatementNumber = 0
    /// The search path statements are prepared under while a routed transaction holds the
    /// connection (its path is set and checked around the work), or nil outside one.
    var preparationPath: String?
    /// The tenant schema of ``preparationPath``'s route, for the spans of the statements sent under it.
    var preparationTenantSchema: String?
    /// Whether statements run under a tenant's role (``TenantRoles``) in the routed transaction now
    /// holding the connection.
    var underTenantRole = false
    /// Past this many prepared statements the connection deallocates them all before preparing more
    /// (a connection that serves many tenants prepares each statement once per tenant schema).
    static let preparedStatementLimit = 2_000
    /// The `search_path` setting this connection is known to have, or nil when unsure.
    ///
    /// Dropped after ROLLBACK, any error and any cancellation; tenant routing
    /// sets the path whenever this is not exactly the path it needs, and checks
    /// the path after every routed statement whatever this says.
    var knownSearchPath: String? {
        get { native.knownSearchPath }
        set { native.knownSearchPath = newValue }
    }
    /// Whether a stream left libpq's single-row mode set (see ``enterPipelineMode(_:)``).
    var singleRowModeLeftOn = false
    /// Whether a transaction the runtime opened is in progress (``withTransaction(isolation:retry:_:)``).
    var inRuntimeTransaction = false

    /// The libpq connection, or nil once closed.
    private var handle: OpaquePointer? {
        get { native.connection }
        set { native.connection = newValue }
    }

    let instrumentation: QueryInstrumentation
    /// The tracer of the statements' spans; nil: `InstrumentationSystem.tracer`.
    let tracer: (any Tracer)?
    /// The database, host and port the spans name, read once the connection is open.
    var server = SQLTracing.Server()

    /// Whether statements are prepared (named) or sent unnamed each time.
    let usesPreparedStatements: Bool

    /// How long a statement polls for its answer before parking on the reactor.
    let answerPolling: AnswerPolling
    /// Whether COPY goes in binary where the columns allow.
    let binaryCopy: Bool
    /// Whether the last COPY went in binary.
    var lastCopyWasBinary = false

    private init(
        logger: Logger, tracer: (any Tracer)?, usesPreparedStatements: Bool, answerPolling: AnswerPolling,
        binaryCopy: Bool
    ) {
        self.tracer = tracer
        self.usesPreparedStatements = usesPreparedStatements
        self.answerPolling = answerPolling
        self.binaryCopy = binaryCopy
        self.instrumentation = QueryInstrumentation(logger: logger)
    }

    /// Opens a connection. Queries are logged to `logger` at debug level (names and durations, never values),
    /// and each gets a span from `tracer` (nil: `InstrumentationSystem.tracer`; see ``SQLTracing``).
    public static func connect(
        _ configuration: PostgresConfiguration, logger: Logger = Logger(label: "sqlgen.connection"),
        tracer: (any Tracer)? = nil
    ) async throws(SQLGenError) -> PostgresSession {
        try await connect(
            configuration, logger: logger, tracer: tracer,
            answerPolling: AnswerPolling(limit: configuration.answerPollingLimit))
    }

    /// Opens a connection that polls for answers as `answerPolling` says.
    static func connect(
        _ configuration: PostgresConfiguration, logger: Logger, tracer: (any Tracer)? = nil,
        answerPolling: AnswerPolling
    ) async throws(SQLGenError) -> PostgresSession {
        let connection = PostgresSession(
            logger: logger, tracer: tracer, usesPreparedStatements: !configuration.transactionPooling,
            answerPolling: answerPolling, binaryCopy: configuration.binaryCopy)
        try await connection.open(configuration)
        return connection
    }

    private func open(_ configuration: PostgresConfiguration) async throws(SQLGenError) {
        let (connection, timedOut) = await ConnectionStart.open(
            keywords: configuration.connectionKeywords, timeout: configuration.connectTimeout)
        if timedOut {
            let seconds =
                configuration.connectTimeout.map { timeout in
                    let (whole, fraction) = timeout.components
                    return "\(Double(whole) + Double(fraction) / 1e18) s"
                } ?? ""
            throw SQLGenError(
                .connectionFailed,
                message:
                    "the server did not complete the connection within \(seconds) (connectTimeout, or connect_timeout in the URL)"
            )
        }
        if connection == nil, Task.isCancelled {
            throw SQLGenError(.cancelled, message: "the task was cancelled while connecting")
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK, PQsetnonblocking(connection, 1) == 0 else {
            let message = connection.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw SQLGenError(.connectionFailed, message: message)
        }
        if configuration.transactionPooling {
            for (name, value) in PostgresConfiguration.requiredSessionSettings {
                let actual = PQparameterStatus(connection, name).map { String(cString: $0) } ?? ""
                guard actual == value || (name == "DateStyle" && actual.hasPrefix(value + ",")) else {
                    PQfinish(connection)
                    throw SQLGenError(
                        .connectionFailed,
                        message: "\(name) is '\(actual)', but values are read with \(name) '\(value)': behind a "
                            + "transaction pooler, set it on the database (ALTER DATABASE ... SET \(name) = '\(value)')"
                    )
                }
            }
        }
        let notices = NoticeLogger(logger: instrumentation.logger)
        notices.install(on: connection)
        native.noticeLogger = notices
        handle = connection
        native.cancel.install(PQgetCancel(connection))
        server = SQLTracing.Server(
            database: PQdb(connection).map { String(cString: $0) },
            address: PQhost(connection).map { String(cString: $0) },
            port: PQport(connection).flatMap { Int(String(cString: $0)) })
    }

    /// Closes the connection once the operation in progress (if any) is over; later calls fail with
    /// `connectionClosed`.
    public func close() async {
        await enterGate()
        defer { leaveGate() }
        closeHandle()
    }

    /// Leaves libpq's pipeline mode, unless the connection was closed meanwhile.
    func leavePipelineMode() {
        if let handle { PQexitPipelineMode(handle) }
    }

    /// Closes the libpq connection now; for the operation holding the gate, when the connection's state
    /// can no longer be known.
    func closeHandle() {
        native.cancel.free()
        PQfinish(handle)
        handle = nil
        preparedNames = [:]
        knownSearchPath = nil
    }

    /// Whether the connection is open and healthy.
    public var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Whether the connection is open, its transaction state and its known search path, in one call.
    ///
    /// Read without a hop to the connection's thread: the pool reads it only once the borrower's last
    /// call has returned, so nothing runs on the connection meanwhile (those awaits order the accesses).
    nonisolated var releaseState: (isOpen: Bool, transaction: TransactionState, searchPath: String?) {
        guard let connection = native.connection, PQstatus(connection) == CONNECTION_OK else {
            return (false, .unknown, nil)
        }
        return (true, Self.transactionState(connection), native.knownSearchPath)
    }

    private static func transactionState(_ connection: OpaquePointer) -> TransactionState {
        switch PQtransactionStatus(connection) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .unknown
        }
    }

    /// Answers this connection read while polling, and the waits left before it polls again.
    var pollingState: (polledAnswers: Int, backoff: Int) { (native.polling.polledAnswers, native.polling.backoff) }

    /// The server's transaction state as libpq last saw it.
    public var transactionStatus: TransactionState {
        handle.map(Self.transactionState) ?? .unknown
    }

    // MARK: - Running statements

    /// Runs a statement and decodes all its rows.
    public func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        let name = statement.statementName
        return try await run(statement) { result throws(SQLGenError) in
            try ResultReading.rows(result, of: S.self, name: name)
        }
    }

    /// Runs a statement and decodes its first row, or returns nil when there is none.
    public func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        let name = statement.statementName
        return try await run(statement) { result throws(SQLGenError) in
            try ResultReading.firstRow(result, of: S.self, name: name)
        }
    }

    /// Runs a statement and returns how many rows it affected.
    public func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await run(statement, ResultReading.affectedRows)
    }

    /// Runs plain SQL (no parameters, any number of statements), for setup and session commands.
    /// Inside a transaction the runtime opened (``withTransaction(isolation:retry:_:)``), transaction
    /// control is refused with ``SQLGenError/Kind/transactionControlRefused``: a COMMIT or ROLLBACK
    /// there would end the closure's transaction early and run the rest of it in autocommit.
    public func simpleQuery(_ sql: String) async throws(SQLGenError) {
        try TransactionLifetime.current?.checkOpen("sql")
        try refuseUnreadableText(sql, name: nil)
        if inRuntimeTransaction, SessionEffects.controlsTransaction(sql) {
            throw Self.transactionControlRefused(nil)
        }
        try await runSimple(sql)
    }

    /// Refuses text the runtime cannot read as the server will: with `standard_conforming_strings`
    /// off (a `SET`, or `ALTER ROLE`/`ALTER DATABASE`), a backslash escapes a quote inside `'...'`,
    /// so a `COMMIT` or `set_config` the runtime takes for part of a string would run. libpq keeps the
    /// server's value (it reports every change), so this costs a byte scan for a statement without a
    /// backslash and nothing more.
    func refuseUnreadableText(_ sql: String, name: String?) throws(SQLGenError) {
        if SessionEffects.changesTextReading(sql) {
            throw SQLGenError(
                .standardConformingStringsOff,
                message:
                    "the statement may change how the server reads text (client_encoding, standard_conforming_strings, or set_config on a setting not named by a plain string literal): the runtime could no longer read what later statements do; nothing was sent",
                statementName: name)
        }
        // Multibyte text read in another encoding than UTF-8 may end a string where the runtime sees none.
        if let handle, sql.utf8.contains(where: { $0 >= 0x80 }),
            let encoding = PQparameterStatus(handle, "client_encoding"), String(cString: encoding) != "UTF8"
        {
            throw SQLGenError(
                .standardConformingStringsOff,
                message:
                    "the session's client_encoding is \(String(cString: encoding)), and the runtime sends and reads text as UTF-8; nothing was sent",
                statementName: name)
        }
        guard sql.utf8.contains(UInt8(ascii: "\\")), let handle,
            let setting = PQparameterStatus(handle, "standard_conforming_strings"), String(cString: setting) != "on"
        else { return }
        throw SQLGenError(
            .standardConformingStringsOff,
            message:
                "standard_conforming_strings is off, so a backslash in a string literal may end it where the runtime would not: write E'...' strings with standard_conforming_strings on (PostgreSQL's default); nothing was sent",
            statementName: name)
    }

    /// The transaction control of the runtime's own transactions and savepoints.
    func controlTransaction(_ sql: String) async throws(SQLGenError) {
        try await runSimple(sql)
    }

    /// Opens a transaction of the runtime's: until it ends, statements that control transactions are refused.
    func beginTransaction(_ isolation: IsolationLevel) async throws(SQLGenError) {
        // A second BEGIN would only warn, and the inner COMMIT would end the outer transaction.
        if inRuntimeTransaction {
            throw SQLGenError(
                .transactionControlRefused,
                message:
                    "a transaction is already open on this connection: nest with the transaction's own withTransaction (a savepoint); nothing was sent",
                statementName: "BEGIN")
        }
        try await runSimple("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        inRuntimeTransaction = true
    }

    /// Rolls back a transaction of the runtime's (after its closure threw). False when the ROLLBACK
    /// failed: the connection is then in no known state.
    @discardableResult
    func rollbackTransaction() async -> Bool {
        inRuntimeTransaction = false
        do {
            try await runSimple("ROLLBACK")
            return true
        } catch {
            return false
        }
    }

    private func runSimple(_ sql: String) async throws(SQLGenError) {
        await enterGate()
        defer { leaveGate() }
        guard let handle else { throw SQLGenError(.connectionClosed, message: "the connection is closed") }
        if PQtransactionStatus(handle) == PQTRANS_IDLE { try checkIdleConnectionAlive(handle, name: "simple query") }
        // Behind a transaction pooler nothing may outlive the statement (migrations run on a direct connection).
        if !usesPreparedStatements, SessionEffects.mayOutliveStatement(sql) { throw Self.sessionStateRefused(nil) }
        // Plain SQL may set the search path itself, and a rollback undoes a path set in the transaction.
        if !Self.keepsSearchPath(sql) { knownSearchPath = nil }
        notePlainSQL(sql)
        let result = await execSimple(handle, sql)
        defer { PQclear(result) }
        try check(result, statementName: nil, sent: true)
    }

    /// COMMIT; an error when the server rolled back instead. PostgreSQL answers COMMIT of a failed
    /// transaction with ROLLBACK and no error, so a statement whose failure the caller never saw (a
    /// stream's, whose consumer had left) would otherwise lose the transaction's writes in silence.
    func commit() async throws(SQLGenError) {
        inRuntimeTransaction = false
        await enterGate()
        defer { leaveGate() }
        guard let handle else { throw SQLGenError(.connectionClosed, message: "the connection is closed") }
        let result = await execSimple(handle, "COMMIT")
        defer { PQclear(result) }
        try check(result, statementName: nil, sent: true)
        guard String(cString: PQcmdStatus(result)) != "ROLLBACK" else {
            knownSearchPath = nil
            throw SQLGenError(
                .server,
                message:
                    "the transaction was rolled back, not committed: a statement in it failed",
                statementName: "COMMIT")
        }
    }

    /// Transaction control that leaves the search path as it is. BEGIN is not among them: the first
    /// routed statement of a transaction always sets its path (in the same round trip), so that a
    /// transaction never depends on what a pooler's shared server connection was left with.
    private static func keepsSearchPath(_ sql: String) -> Bool {
        sql == "COMMIT" || sql.hasPrefix("SAVEPOINT ") || sql.hasPrefix("RELEASE SAVEPOINT ")
    }

    /// Refuses a tenant-scoped statement unless a tenant pool's routed execution holds the connection
    /// (its path set and checked around the work): a connection, a plain pool or its transaction would
    /// run it in whatever schema the session's path names.
    func refuseUnlessRouted(scope: StatementScope, name: String) throws(SQLGenError) {
        guard scope == .tenant, preparationPath == nil else { return }
        throw SQLGenError(
            .tenantStatementNotRouted,
            message:
                "a tenant-scoped statement runs only through a TenantPool (or its withTransaction), which routes it to the current tenant's schema; nothing was sent",
            statementName: name)
    }

    /// Runs a statement: prepares it on first use, binds, executes, and hands the result to `body`.
    /// Cancelling the task cancels the statement on the server.
    func run<S: SQLStatement, T>(
        _ statement: S, _ body: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        let name = statement.statementName
        try refuseUnlessRouted(scope: statement.declaredScope, name: name)
        let sql = statement.sqlText
        try noteSessionEffects(of: statement, sql: sql)
        let bindings = try statement.boundParameters()
        defer { if Self.mayMoveSearchPath(statement) { knownSearchPath = nil } }
        return try await instrumentedOperation(name: name, sql: sql) { () async throws(SQLGenError) -> T in
            try await execute(sql: sql, bindings: bindings, name: name, body)
        }
    }

    /// Runs `operation` as the connection's one operation in progress: cancelling the task cancels it on
    /// the server, a failure drops the known search path, and its duration and outcome are recorded, and
    /// traced in a span of its own (``SQLTracing``), which names `tenantSchema` (by default the schema of
    /// the routed transaction's path, if any).
    func instrumentedOperation<T>(
        name: String, sql: String, tenantSchema: String? = nil, _ operation: () async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        await enterGate()
        defer { leaveGate() }
        let span = SQLTracing.startStatementSpan(
            name, sql: sql, server: server, tenantSchema: tenantSchema ?? preparationTenantSchema, tracer: tracer)
        let cancel = native.cancel
        let running = cancel.beginOperation()
        let started = ContinuousClock.now
        let result: Result<T, SQLGenError> = await withTaskCancellationHandler {
            do throws(SQLGenError) {
                return .success(try await operation())
            } catch {
                return .failure(error)
            }
        } onCancel: {
            cancel.cancelRepeatedly(running)
        }
        cancel.endOperation()
        var failure: SQLGenError?
        if case .failure(let error) = result {
            failure = error
            knownSearchPath = nil
        }
        instrumentation.record(name: name, duration: ContinuousClock.now - started, error: failure)
        SQLTracing.endStatementSpan(span, error: failure)
        return try result.get()
    }

    private func execute<T>(
        sql: String, bindings: SQLBindings, name: String, _ body: (OpaquePointer) throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw SQLGenError(.connectionClosed, message: "the connection is closed", statementName: name)
        }
        if Task.isCancelled { throw SQLGenError(.cancelled, message: "the task was cancelled", statementName: name) }
        try checkIdleConnectionAlive(handle, name: name)
        var retried = false
        while true {
            let prepared = try await prepare(sql, name: name)
            // A cancel that came while the statement was being prepared found nothing running on the server.
            if Task.isCancelled {
                throw SQLGenError(.cancelled, message: "the task was cancelled", statementName: name)
            }
            // A cancel that comes from here on is sent until the result is in (CancelChannel.cancelRepeatedly).
            let sent = send(handle, sql: sql, prepared: prepared, values: bindings.values)
            let result = await resultOfQueued(handle, queued: sent)
            defer { PQclear(result) }
            do throws(SQLGenError) {
                try check(result, statementName: name, sent: true)
                guard let result else {
                    throw SQLGenError(.outcomeUnknown, message: "no result from the server", statementName: name)
                }
                return try body(result)
            } catch {
                // A statement the server no longer has, or whose result shape changed, is prepared again once.
                if !retried, Self.isStalePreparedStatement(error) {
                    retried = true
                    await discardPreparedStatement(key: preparedKey(sql), after: error, on: handle)
                    if PQtransactionStatus(handle) != PQTRANS_INERROR { continue }
                }
                throw Self.reportingCancellation(error)
            }
        }
    }

    /// The prepared statement for `sql`, prepared (and described, to choose its results' format) on
    /// first use; nil when this connection sends statements unnamed.
    func prepare(_ sql: String, name: String) async throws(SQLGenError) -> PreparedStatement? {
        guard usesPreparedStatements else { return nil }
        let key = preparedKey(sql)
        if let prepared = preparedNames[key] { return prepared }
        guard let handle else {
            throw SQLGenError(.connectionClosed, message: "the connection is closed", statementName: name)
        }
        await limitPreparedStatements(handle)
        let preparedName = newPreparedStatementName()
        let sent = PQsendPrepare(handle, preparedName, sql, 0, nil) == 1
        let result = await resultOfQueued(handle, queued: sent)
        defer { PQclear(result) }
        try check(result, statementName: name, sent: true)
        let prepared = PreparedStatement(
            name: preparedName, binaryResults: await describesBinaryResults(handle, preparedName: preparedName))
        preparedNames[key] = prepared
        return prepared
    }

    /// Whether every result column of a prepared statement is of a type its results are requested in
    /// binary for (``BinaryResults/types``); false for a statement without rows, or when the server
    /// does not answer (the statement then runs in text, and any failure shows when it runs).
    private func describesBinaryResults(_ handle: OpaquePointer, preparedName: String) async -> Bool {
        let result = await resultOfQueued(handle, queued: PQsendDescribePrepared(handle, preparedName) == 1)
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else { return false }
        return Self.readsInBinary(result)
    }

    /// Whether a statement described by `description` has rows, all of types read in binary.
    static func readsInBinary(_ description: OpaquePointer) -> Bool {
        PQnfields(description) > 0
            && (0..<PQnfields(description)).allSatisfy { BinaryResults.types.contains(PQftype(description, $0)) }
    }

    /// The cache key of `sql`'s prepared statement under search path `path` (by default the path in
    /// effect). The server fixes a statement's parameter types when it prepares it, and a parameter of
    /// a type defined in a tenant schema (an enum) is that schema's type: the same text under another
    /// tenant's path must be prepared again, or it fails there with "is of type … but expression is of type …".
    func preparedKey(_ sql: String, path: String? = nil) -> PreparedStatementKey {
        PreparedStatementKey(searchPath: path ?? preparationPath ?? knownSearchPath, sql: sql)
    }

    /// Prepares statements under `path` (the path a routed bulk operation has just checked, to
    /// `tenantSchema`) until set to nil.
    func setPreparationPath(_ path: String?, tenantSchema: String? = nil, tenantRole: Bool = false) {
        preparationPath = path
        preparationTenantSchema = path == nil ? nil : tenantSchema
        underTenantRole = path != nil && tenantRole
    }

    /// Deallocates every prepared statement once the cache is full, so the server's memory stays bounded.
    func limitPreparedStatements(_ handle: OpaquePointer) async {
        guard preparedNames.count >= Self.preparedStatementLimit else { return }
        let result = await execSimple(handle, "DEALLOCATE ALL")
        defer { PQclear(result) }
        if let result, PQresultStatus(result) == PGRES_COMMAND_OK { preparedNames = [:] }
    }

    func preparedStatement(forKey key: PreparedStatementKey) -> PreparedStatement? { preparedNames[key] }

    func newPreparedStatementName() -> String {
        nextStatementNumber += 1
        return "sqlgen_\(nextStatementNumber)"
    }

    /// Queues, in pipeline mode, the Parse and the Describe of a new prepared statement for `sql`: the
    /// statement, remembered once its Parse succeeds (its first results come in text, the later ones in
    /// the format the description allows); nil when libpq refused a message.
    func queuePreparation(_ handle: OpaquePointer, sql: String) -> PreparedStatement? {
        let statement = PreparedStatement(name: newPreparedStatementName(), binaryResults: false)
        guard PQsendPrepare(handle, statement.name, sql, 0, nil) == 1,
            PQsendDescribePrepared(handle, statement.name) == 1
        else { return nil }
        return statement
    }

    func rememberPreparedStatement(key: PreparedStatementKey, _ prepared: PreparedStatement) {
        preparedNames[key] = prepared
    }

    /// Records, from a statement's description, whether its later results can come in binary.
    func rememberResultFormat(key: PreparedStatementKey, description: OpaquePointer) {
        guard var statement = preparedNames[key] else { return }
        statement.binaryResults = Self.readsInBinary(description)
        preparedNames[key] = statement
    }

    /// `26000`: the server no longer has the statement; `0A000`: its result shape changed (a drifted schema).
    static func isStalePreparedStatement(_ error: SQLGenError) -> Bool {
        error.sqlState == "26000" || error.sqlState == "0A000"
    }

    /// Forgets the prepared statement cached under `key` after `error`, deallocating it when the
    /// server still has it. A server that no longer has a statement (`26000`) has forgotten them all
    /// (DISCARD ALL, DEALLOCATE ALL, a pooler that handed over another server connection), so the
    /// whole cache goes: every statement, the runtime's own path and check statements too, is
    /// prepared again on next use instead of failing once each.
    func discardPreparedStatement(key: PreparedStatementKey, after error: SQLGenError, on handle: OpaquePointer) async {
        if error.sqlState == "26000" {
            preparedNames = [:]
            return
        }
        if error.sqlState == "0A000", let stale = preparedNames[key] {
            PQclear(await execSimple(handle, "DEALLOCATE \(stale.name)"))
        }
        preparedNames[key] = nil
    }

    /// Whether plain SQL, or a statement whose text sets what outlives it (``SessionEffects``), has run on
    /// this session since it was last reset: it may have changed role, settings, temp objects, LISTEN,
    /// advisory locks or prepared statements, so the pool resets the session before lending the
    /// connection again.
    nonisolated var sessionNeedsReset: Bool { native.sessionNeedsReset }

    /// Marks that plain SQL ran; plain SQL that deallocates or discards forgets the statement cache now.
    /// A lone transaction-control statement (`BEGIN …`, `COMMIT`, `ROLLBACK [TO SAVEPOINT …]`, as the
    /// runtime's transactions send) changes nothing that outlives the transaction and marks nothing.
    func notePlainSQL(_ sql: String) {
        let start = sql.drop { $0.isWhitespace }.prefix(12).uppercased()
        let control = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END", "START TRANS"]
        if !sql.contains(";"), control.contains(where: { start.hasPrefix($0) }) { return }
        native.sessionNeedsReset = true
        if start.hasPrefix("DISCARD") || start.hasPrefix("DEALLOCATE") { preparedNames = [:] }
    }

    /// Marks what `statement` may leave in the session: all plain SQL, and any other statement whose
    /// text sets a setting or takes a lock that outlives it (``SessionEffects``), so the pool resets
    /// the session before the next lease. Behind a transaction pooler such a statement is refused
    /// instead: the pooler gives the server connection to other clients before any reset could run.
    func noteSessionEffects<S: SQLStatement>(
        of statement: S, sql: String, underTenantRole routedUnderTenantRole: Bool = false
    ) throws(SQLGenError) {
        try TransactionLifetime.current?.checkOpen(statement.statementName)
        try refuseUnreadableText(sql, name: statement.statementName)
        // Under a tenant's role, nothing in the statement may leave that role, even for a moment.
        if routedUnderTenantRole || underTenantRole, let escape = SessionEffects.roleEscape(sql) {
            throw SQLGenError(
                .refusedUnderTenantRole,
                message:
                    "under tenant roles a tenant statement may not \(escape): it could act as another role and come back before the role is checked; nothing was sent",
                statementName: statement.statementName)
        }
        let (lasting, readsAnotherLease, controlsTransaction) = SessionEffects.effects(of: sql)
        if controlsTransaction { throw Self.transactionControlRefused(statement.statementName) }
        if readsAnotherLease {
            throw SQLGenError(
                .sessionStateRead,
                message:
                    "lastval() returns the last value any sequence gave this pooled connection, perhaps in another lease for another tenant; use INSERT ... RETURNING; nothing was sent",
                statementName: statement.statementName)
        }
        if lasting, !usesPreparedStatements {
            throw Self.sessionStateRefused(statement.statementName)
        }
        if S.self == PlainStatement.self {
            notePlainSQL(sql)
        } else if lasting {
            native.sessionNeedsReset = true
        }
    }

    /// The error for transaction control sent as a statement: the runtime opens and ends transactions
    /// itself, and one ended early would commit part of a closure's work, or run the rest in autocommit.
    static func transactionControlRefused(_ name: String?) -> SQLGenError {
        SQLGenError(
            .transactionControlRefused,
            message:
                "transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...) is not run as a statement: use withTransaction, whose nested calls are savepoints; nothing was sent",
            statementName: name)
    }

    /// The error for a statement that would leave state on a transaction pooler's shared connection.
    static func sessionStateRefused(_ name: String?) -> SQLGenError {
        SQLGenError(
            .sessionStateBehindPooler,
            message:
                "the statement would leave state in the session (a session-level SET, set_config(..., false), a temp object, a cursor, LISTEN, a session advisory lock, or a DO block or procedure that may), which a transaction pooler shares with other clients; use SET LOCAL or set_config(..., true) inside a transaction; nothing was sent",
            statementName: name)
    }

    /// Puts the session back as a new one (`DISCARD ALL`: role and session authorization, settings,
    /// temp objects, LISTEN, advisory locks, prepared statements, cached plans) and forgets what the
    /// connection believed about it. False when that failed; the connection must then be closed.
    func resetSession() async -> Bool {
        guard let handle, PQtransactionStatus(handle) == PQTRANS_IDLE else { return false }
        await enterGate()
        defer { leaveGate() }
        let result = await execSimple(handle, "DISCARD ALL")
        defer { PQclear(result) }
        preparedNames = [:]
        knownSearchPath = nil
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else { return false }
        native.sessionNeedsReset = false
        return true
    }

    /// Whether running `statement` may leave the session on another search path than it knew: plain SQL
    /// (whatever scope it declares, it can `SET search_path`) and unscoped statements.
    static func mayMoveSearchPath<S: SQLStatement>(_ statement: S) -> Bool {
        S.self == PlainStatement.self || statement.declaredScope == .unscoped
    }

    /// A query-cancelled server error (`57014`) as the `.cancelled` error; any other error as it is.
    static func reportingCancellation(_ error: SQLGenError) -> SQLGenError {
        guard error.sqlState == "57014" else { return error }
        return SQLGenError(
            .cancelled, message: "the statement was cancelled", sqlState: "57014", statementName: error.statementName)
    }

    /// Fails with `connectionClosed` (nothing sent, so the caller may use another connection) when the
    /// server closed this idle connection: a terminated backend leaves data or EOF on the socket.
    func checkIdleConnectionAlive(_ handle: OpaquePointer, name: String) throws(SQLGenError) {
        // A server that ends a session sends its FATAL message and then closes the socket: libpq reads
        // the message in one call and only sees the end of the stream in the next, so read while there
        // is something to read.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
                throw SQLGenError(
                    .connectionClosed,
                    message: "the server closed the connection while it was idle: "
                        + Self.trimmed(PQerrorMessage(handle)), statementName: name)
            }
        }
    }

    /// Sends a statement without waiting: as `prepared` (its results in the format chosen when it was
    /// prepared), or unnamed with text results when `prepared` is nil.
    func send(_ handle: OpaquePointer, sql: String, prepared: PreparedStatement?, values: [String?]) -> Bool {
        values.withCStrings { pointers in
            if let prepared {
                PQsendQueryPrepared(
                    handle, prepared.name, Int32(pointers.count), pointers, nil, nil, prepared.binaryResults ? 1 : 0)
                    == 1
            } else {
                PQsendQueryParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0) == 1
            }
        }
    }

    /// The open libpq connection, or the error for a closed one.
    func openHandle(_ name: String) throws(SQLGenError) -> OpaquePointer {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw SQLGenError(.connectionClosed, message: "the connection is closed", statementName: name)
        }
        return handle
    }

    /// Forgets prepared statements (after the server lost them, or a schema change).
    public func forgetPreparedStatements() {
        preparedNames = [:]
    }

    func check(_ result: OpaquePointer?, statementName: String?, sent: Bool) throws(SQLGenError) {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return
        default:
            guard let result, let handle, PQstatus(handle) == CONNECTION_OK else {
                let message = handle.map { Self.trimmed(PQerrorMessage($0)) } ?? "the connection is closed"
                throw SQLGenError(
                    sent ? .outcomeUnknown : .connectionClosed, message: message, statementName: statementName)
            }
            throw Self.serverError(result, statementName: statementName)
        }
    }

    static func serverError(_ result: OpaquePointer, statementName: String?) -> SQLGenError {
        SQLGenError(server: ServerErrorFields(result), statementName: statementName)
    }

    static func trimmed(_ pointer: UnsafePointer<CChar>?) -> String { ServerErrorFields.trimmed(pointer) }
}

/// A statement prepared on a connection: its server-side name, and whether its results are requested
/// in binary format.
struct PreparedStatement: Hashable {
    var name: String
    var binaryResults: Bool
}

/// A prepared statement's place in a connection's cache: its SQL and the search path it was prepared
/// under (nil when no path was known, as on a connection that never switches).
struct PreparedStatementKey: Hashable {
    var searchPath: String?
    var sql: String
}

/// The libpq objects a connection owns, freed when the connection goes away.
final class NativeHandles: @unchecked Sendable {
    var connection: OpaquePointer?
    /// The connection's cancel object, freed when the connection closes.
    let cancel = CancelChannel()
    var knownSearchPath: String?
    /// Whether plain SQL ran since the session was last reset (``PostgresSession/sessionNeedsReset``).
    var sessionNeedsReset = false
    /// Receives the server's notices; kept alive as long as the libpq connection.
    var noticeLogger: NoticeLogger?
    /// The connection's history of polling for answers (``AnswerPolling``).
    let polling = PollingState()

    deinit {
        cancel.free()
        PQfinish(connection)
    }
}

extension Array where Element == String? {
    /// Calls `body` with C strings for the values (NULL for nil), kept alive for the call.
    func withCStrings<T>(_ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let duplicated = map { $0.map { strdup($0) } ?? nil }
        defer { duplicated.forEach { free($0) } }
        return body(duplicated.map { $0.map { UnsafePointer($0) } })
    }
}
