import Foundation
import Logging
import Metrics
import SQLGenWire

/// A pool of connections: async acquire with fair FIFO waiting, a maximum
/// size, an acquire timeout, a maximum connection lifetime, health checks of
/// idle connections, and no connection ever returned to it dirty.
public actor PostgresPool: SQLExecutor {
    struct Idle {
        var connection: PostgresSession
        var opened: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
        /// The search path the connection is known to be on.
        var searchPath: String?
    }

    /// A tenant group as the pool keeps it: a number of its own, and its home slot (see ``group(named:)``).
    struct TenantGroup {
        var id: Int
        /// The slot of the connections the group's work goes to first.
        var home: Int?
    }

    struct Waiter {
        var id: Int
        var group: TenantGroup?
        var affinity: String?
        var enqueued: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
        /// A tenant read another task may send along with its own.
        var read: BatchedRead?
        var continuation: CheckedContinuation<Lending, any Error>
    }

    let configuration: PostgresConfiguration
    let options: PoolOptions
    private let logger: Logger
    private let connectionsGauge = Gauge(label: "sqlgen_pool_connections")
    private let idleGauge = Gauge(label: "sqlgen_pool_idle")
    private let waitersGauge = Gauge(label: "sqlgen_pool_waiters")
    private let acquireTimer = Timer(label: "sqlgen_pool_acquire_wait")
    private let readsSentAlongCounter = Counter(label: "sqlgen_pool_reads_sent_along")
    /// Waiting reads handed so far to a task lent a connection, to send along with its own.
    public private(set) var readsSentAlong = 0
    var idle: [Idle] = []
    var opened: [ObjectIdentifier: ContinuousClock.Instant] = [:]
    /// Each open connection's slot in `0..<maxConnections`: tenants are spread over slots, so each
    /// connection (and its server process) prepares statements and caches tables for a share of them.
    var slots: [ObjectIdentifier: Int] = [:]
    /// Each tenant group by name, the number the next group gets, and how many groups each slot is home to.
    var groups: [String: TenantGroup] = [:]
    var nextGroupID = 0
    var groupsPerSlot: [Int]
    /// The tenant groups each slot's connections were lent to (its server process has their statements
    /// prepared and tables cached); emptied when a slot's connection is replaced.
    var servedGroups: [Set<Int>]
    /// The task that serves tasks waiting past their patience (see ``startPatienceTimer()``).
    var patienceTimer: Task<Void, Never>?
    /// When each connection lent out was lent.
    var lentSince: [ObjectIdentifier: ContinuousClock.Instant] = [:]
    var waiters: [Waiter] = []
    private var nextWaiterID = 0
    var openCount = 0
    /// The tenant group of each lent connection, and how many each group holds.
    var lentGroups: [ObjectIdentifier: TenantGroup] = [:]
    var groupsInUse: [Int: Int] = [:]
    /// The one task that fails waiters past their acquire timeout, running while there are waiters.
    var timeoutSweeper: Task<Void, Never>?
    var closed = false

    /// A pool that opens connections on demand.
    public init(
        configuration: PostgresConfiguration, options: PoolOptions = PoolOptions(),
        logger: Logger = Logger(label: "sqlgen.pool")
    ) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.groupsPerSlot = Array(repeating: 0, count: max(options.maxConnections, 1))
        self.servedGroups = Array(repeating: [], count: max(options.maxConnections, 1))
    }

    /// Publishes the pool's size, idle connections and waiters as gauges.
    private func publishGauges() {
        connectionsGauge.record(openCount)
        idleGauge.record(idle.count)
        waitersGauge.record(waiters.count)
    }

    /// Connections open now (in use or idle).
    public var connectionCount: Int { openCount }
    /// Connections idle now.
    public var idleCount: Int { idle.count }
    /// The idle connections and the search path each is believed to be on.
    var idleConnections: [(connection: PostgresSession, searchPath: String?)] {
        idle.map { ($0.connection, $0.searchPath) }
    }
    /// Tasks waiting for a connection.
    public var waiterCount: Int { waiters.count }

    /// Lends a connection to `body` and takes it back afterwards.
    public nonisolated func withConnection<T: Sendable>(
        _ body: @Sendable (PostgresSession) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction on a pooled connection.
    public nonisolated func withTransaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, retry: TransactionRetry = .never,
        _ body: @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        try await withRetriedTransaction(affinity: nil, group: nil, isolation: isolation, retry: retry, body)
    }

    /// Runs `body` in a transaction on a lent connection. A connection found closed before BEGIN was
    /// sent (before `body` ran) is discarded and the transaction started on another, up to three times.
    nonisolated func withRetriedTransaction<T: Sendable>(
        affinity: String?, group: String?, isolation: IsolationLevel, retry: TransactionRetry,
        _ body: @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        var attempts = 0
        while true {
            attempts += 1
            let connection = try await acquire(affinity: affinity, group: group)
            let started = LockedState(false)
            do {
                let value = try await connection.withTransaction(isolation: isolation, retry: retry) { transaction in
                    started.withLock { $0 = true }
                    return try await body(transaction)
                }
                await release(connection)
                return value
            } catch {
                await release(connection)
                let closedBeforeBegin =
                    !started.withLock { $0 } && (error as? SQLGenError)?.kind == .connectionClosed
                if closedBeforeBegin, attempts < 3 { continue }
                throw error
            }
        }
    }

    public nonisolated func query<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> [S.Row] {
        try await run { connection throws(SQLGenError) in try await connection.query(statement) }
    }

    public nonisolated func queryFirst<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> S.Row? {
        try await run { connection throws(SQLGenError) in try await connection.queryFirst(statement) }
    }

    public nonisolated func execute<S: SQLStatement>(_ statement: S) async throws(SQLGenError) -> Int {
        try await run { connection throws(SQLGenError) in try await connection.execute(statement) }
    }

    public nonisolated func executeResult<S: SQLStatement>(_ statement: S) async throws(SQLGenError)
        -> SQLCommandResult
    {
        try await run { connection throws(SQLGenError) in try await connection.executeResult(statement) }
    }

    public nonisolated func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(SQLGenError) -> Int {
        try await run { connection throws(SQLGenError) in try await connection.copy(statements) }
    }

    public nonisolated func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(SQLGenError) -> Int where Rows.Element: SQLCopyStatement {
        try await run { connection throws(SQLGenError) in try await connection.copy(from: rows) }
    }

    public nonisolated func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [Int] {
        try await run { connection throws(SQLGenError) in try await connection.executeBatch(statements) }
    }

    public nonisolated func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [S.Row?] {
        try await run { connection throws(SQLGenError) in try await connection.queryFirstBatch(statements) }
    }

    public nonisolated func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(SQLGenError) -> [[S.Row]] {
        try await run { connection throws(SQLGenError) in try await connection.queryBatch(statements) }
    }

    /// Streams on a pooled connection, held until the stream ends.
    public nonisolated func stream<S: SQLStatement>(_ statement: S) -> SQLRowStream<S.Row> {
        SQLRowStream { sink throws(SQLGenError) in
            let replay = StreamReplayGuard()
            try await self.run { connection throws(SQLGenError) in
                try replay.refuseReplay(statement.statementName)
                try await connection.forEachRow(statement, replay.send(sink), whileOthersWait: sink.stopHoldingBack)
            }
        }
    }

    /// Runs `body` on a pooled connection; one found closed before anything was sent is discarded and
    /// another tried (nothing can be doubled: the statement never left).
    private nonisolated func run<T: Sendable>(
        _ body: (PostgresSession) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        try await withRetriedConnection(affinity: nil, group: nil, body)
    }

    /// Lends a connection (preferring `affinity`'s search path, counted against `group`) to `body`;
    /// one found closed before anything was sent is discarded and another tried.
    nonisolated func withRetriedConnection<T: Sendable>(
        affinity: String?, group: String?, _ body: (PostgresSession) async throws(SQLGenError) -> T
    ) async throws(SQLGenError) -> T {
        var attempts = 0
        while true {
            attempts += 1
            let connection: PostgresSession
            do {
                connection = try await acquire(affinity: affinity, group: group)
            } catch let error as SQLGenError {
                throw error
            } catch {
                throw SQLGenError(.cancelled, message: "cancelled while waiting for a connection")
            }
            do {
                let value = try await body(connection)
                await release(connection)
                return value
            } catch {
                await release(connection)
                if error.kind == .connectionClosed, attempts < 3 { continue }
                throw error
            }
        }
    }

    /// Takes a connection: an idle one, a new one, or the next one released (first come, first served).
    /// Internal: a connection an application held on to after giving it back would run its statements
    /// on another lease; applications run statements on the pool, or in `withTransaction`.
    func acquire() async throws -> PostgresSession {
        try await acquire(affinity: nil, group: nil)
    }

    /// Takes a connection, preferring an idle one already on the search path `affinity`. A `group`
    /// (a tenant) holds at most ``PoolOptions/maxConnectionsPerTenant`` at once, and a released
    /// connection goes to the waiter whose group holds fewest, so one busy tenant cannot starve the rest.
    func acquire(affinity: String?, group: String?) async throws -> PostgresSession {
        switch try await lend(affinity: affinity, group: group, read: nil) {
        case .connection(let connection, _):
            return connection
        case .served:
            throw SQLGenError(.connectionClosed, message: "no connection was lent")
        }
    }

    /// ``lend(affinity:group:read:)`` without its span; `waited` says whether the task waited in line.
    func lendNow(
        affinity: String?, group name: String?, read: BatchedRead?, waited: inout Bool
    ) async throws -> Lending {
        let started = ContinuousClock.now
        let group = group(named: name)
        defer {
            let waited = ContinuousClock.now - started
            acquireTimer.recordNanoseconds(
                waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
            publishGauges()
        }
        guard !closed else { throw SQLGenError(.connectionClosed, message: "the pool is closed") }
        let now = ContinuousClock.now
        while hasRoom(group), let candidate = takeIdle(affinity: affinity, group: group) {
            if now - candidate.opened > options.maxLifetime {
                await discard(candidate.connection)
                continue
            }
            if now - candidate.lastUsed > options.healthCheckAfterIdle {
                do {
                    try await candidate.connection.simpleQuery("SELECT 1")
                } catch {
                    await discard(candidate.connection)
                    continue
                }
            }
            lend(candidate.connection, to: group)
            return .connection(candidate.connection, mates: [])
        }
        // Idle connections left (and room): the task waits for its warm connection, coming back soon.
        let waitsForWarm = !idle.isEmpty && hasRoom(group)
        let ridesAlong = waitsToRideAlong(read)
        if openCount < options.maxConnections, hasRoom(group), !ridesAlong, !waitsForWarm {
            openCount += 1
            do {
                let connection = try await connectWithBackoff(deadline: started + options.acquireTimeout)
                register(connection)
                lend(connection, to: group)
                return .connection(connection, mates: [])
            } catch {
                openCount -= 1
                throw error
            }
        }
        let id = nextWaiterID
        nextWaiterID += 1
        waited = true
        let deadline = started + options.acquireTimeout
        if timeoutSweeper == nil {
            timeoutSweeper = Task { [weak self] in await self?.expireOverdueWaiters() }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(
                    Waiter(
                        id: id, group: group, affinity: affinity, enqueued: .now,
                        deadline: deadline, read: read, continuation: continuation))
                if waitsForWarm || ridesAlong { startPatienceTimer() }
            }
        } onCancel: {
            Task { await self.cancel(waiter: id) }
        }
    }

    /// Whether `group` may take another connection.
    func hasRoom(_ group: TenantGroup?) -> Bool {
        guard let group, let limit = options.maxConnectionsPerTenant else { return true }
        return groupsInUse[group.id, default: 0] < limit
    }

    func lend(_ connection: PostgresSession, to group: TenantGroup?) {
        lentSince[ObjectIdentifier(connection)] = .now
        guard let group else { return }
        noteServed(group, on: connection)
        lentGroups[ObjectIdentifier(connection)] = group
        groupsInUse[group.id, default: 0] += 1
    }

    func takeBack(_ connection: PostgresSession) {
        lentSince[ObjectIdentifier(connection)] = nil
        guard let group = lentGroups.removeValue(forKey: ObjectIdentifier(connection)) else { return }
        freePlace(of: group)
    }

    /// Counts one connection fewer held by `group`.
    func freePlace(of group: TenantGroup) {
        let remaining = groupsInUse[group.id, default: 1] - 1
        groupsInUse[group.id] = remaining > 0 ? remaining : nil
    }

    /// Connects, retrying failed attempts with exponential backoff and jitter until the deadline.
    /// Nothing has been sent when a connect fails, so retrying cannot repeat any work.
    func connectWithBackoff(deadline: ContinuousClock.Instant) async throws -> PostgresSession {
        var delay = options.reconnectDelay
        while true {
            let failure: SQLGenError
            do throws(SQLGenError) {
                return try await PostgresSession.connect(configuration, logger: logger, tracer: options.tracer)
            } catch {
                failure = error
            }
            let jittered = delay * Double.random(in: 0.5...1.5)
            guard failure.kind == .connectionFailed, ContinuousClock.now + jittered < deadline, !Task.isCancelled else {
                throw failure
            }
            logger.debug("connect failed; retrying", metadata: ["error": "\(failure.message)"])
            try await Task.sleep(for: jittered)
            delay = min(delay * 2, options.maxReconnectDelay)
        }
    }

    /// Closes idle connections past their idle timeout or lifetime, and opens connections up to `minIdle`.
    func maintain() async {
        let now = ContinuousClock.now
        var kept: [Idle] = []
        var expired: [PostgresSession] = []
        for entry in idle.reversed() {
            let tooOld = now - entry.opened > options.maxLifetime
            let unused = now - entry.lastUsed > options.idleTimeout && kept.count >= options.minIdle
            if tooOld || unused { expired.append(entry.connection) } else { kept.insert(entry, at: 0) }
        }
        idle = kept
        for connection in expired { await discard(connection) }
        while !closed, idle.count < options.minIdle, openCount < options.maxConnections, waiters.isEmpty {
            openCount += 1
            do {
                let connection = try await PostgresSession.connect(
                    configuration, logger: logger, tracer: options.tracer)
                register(connection)
                idle.append(Idle(connection: connection, opened: .now, lastUsed: .now))
            } catch {
                openCount -= 1
                logger.debug("could not open an idle connection", metadata: ["error": "\(error)"])
                break
            }
        }
        publishGauges()
    }

    /// Stops lending connections, waits for those lent out to come back, and closes every one.
    func drainAndClose() async {
        closed = true
        for waiter in waiters {
            waiter.continuation.resume(throwing: SQLGenError(.connectionClosed, message: "the pool is shutting down"))
        }
        waiters = []
        while openCount > idle.count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for entry in idle { await entry.connection.close() }
        openCount -= idle.count
        idle = []
        publishGauges()
    }

    /// Gives a connection back. One that is broken, or not idle (left in a transaction), is closed instead.
    func release(_ connection: PostgresSession) async {
        let state = connection.releaseState
        let healthy = state.isOpen && state.transaction == .idle
        takeBack(connection)
        defer { publishGauges() }
        guard healthy, !closed else {
            if !healthy { logger.debug("closing a connection returned broken or inside a transaction") }
            await discard(connection)
            return
        }
        // Plain SQL may have left session state the next borrower must not inherit: reset it first.
        var searchPath = state.searchPath
        if connection.sessionNeedsReset {
            guard await connection.resetSession(), !closed else {
                logger.debug("closing a connection whose session could not be reset after plain SQL")
                await discard(connection)
                return
            }
            searchPath = nil
        }
        if hand(connection, on: searchPath) { return }
        let openedAt = opened[ObjectIdentifier(connection)] ?? .now
        idle.append(Idle(connection: connection, opened: openedAt, lastUsed: .now, searchPath: searchPath))
    }

    /// Lends `connection` (on `searchPath`) to the waiter to serve next, with reads to send along; false
    /// when no waiter is to have it now.
    func hand(_ connection: PostgresSession, on searchPath: String?) -> Bool {
        guard let waiter = nextWaiter(for: connection, on: searchPath) else { return false }
        lend(connection, to: waiter.group)
        let mates = waiter.read.map { readsToSendAlong(with: $0, on: connection, searchPath: searchPath) } ?? []
        if !mates.isEmpty {
            readsSentAlong += mates.count
            readsSentAlongCounter.increment(by: mates.count)
        }
        waiter.continuation.resume(returning: .connection(connection, mates: mates))
        return true
    }

    /// Records a new connection's opening time and gives it the lowest free slot.
    func register(_ connection: PostgresSession) {
        opened[ObjectIdentifier(connection)] = .now
        let taken = Set(slots.values)
        let slot = (0...).first { !taken.contains($0) } ?? 0
        slots[ObjectIdentifier(connection)] = slot
        if servedGroups.indices.contains(slot) { servedGroups[slot] = [] }
    }

    func discard(_ connection: PostgresSession) async {
        opened[ObjectIdentifier(connection)] = nil
        slots[ObjectIdentifier(connection)] = nil
        takeBack(connection)
        openCount -= 1
        await connection.close()
        // A waiter can now open a connection of its own.
        if openCount < options.maxConnections, !closed, let waiter = nextWaiter() {
            await openConnection(for: waiter)
        }
    }

    /// Closes idle connections, fails waiters, and closes the rest as they come back.
    public func close() async {
        closed = true
        for waiter in waiters {
            waiter.continuation.resume(throwing: SQLGenError(.connectionClosed, message: "the pool is closed"))
        }
        waiters = []
        for entry in idle { await entry.connection.close() }
        openCount -= idle.count
        idle = []
    }
}

extension PostgresSession {
    /// The server-side transaction state, simplified.
    public enum TransactionState: Sendable {
        case idle, inTransaction, failed, unknown
    }
}
