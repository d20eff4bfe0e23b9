import Foundation
import Logging
import Metrics

/// Limits and timings of a ``PostgresPool``.
public struct PoolOptions: Sendable {
    /// The most connections open at once.
    public var maxConnections: Int = 10
    /// How long an acquire waits for a connection before failing.
    public var acquireTimeout: Duration = .seconds(10)
    /// An idle connection older than this is closed rather than reused.
    public var maxLifetime: Duration = .seconds(30 * 60)
    /// An idle connection unused for this long is checked with a round trip before reuse.
    public var healthCheckAfterIdle: Duration = .seconds(30)
    /// Connections kept open while idle (when the pool runs as a service).
    public var minIdle: Int = 0
    /// Idle connections beyond `minIdle` unused for this long are closed (when the pool runs as a service).
    public var idleTimeout: Duration = .seconds(5 * 60)
    /// How often the service checks idle connections.
    public var maintenanceInterval: Duration = .seconds(1)
    /// The first delay before retrying a failed connect; it doubles, with jitter, up to `maxReconnectDelay`.
    public var reconnectDelay: Duration = .milliseconds(50)
    public var maxReconnectDelay: Duration = .seconds(2)
    /// The most connections one tenant may hold at once through a ``TenantPool`` (nil: no limit but the pool's).
    public var maxConnectionsPerTenant: Int?
    /// How long a tenant's task waits for a connection that is warm for its tenant (its home connection,
    /// or one that served the tenant before) while other connections are free or the first in line may be
    /// passed over. Each tenant has a home connection, so each server process prepares statements and
    /// caches tables for a share of the tenants only; after this long, any connection serves the task.
    public var affinityPatience: Duration = .milliseconds(50)
    /// Up to this many tenant reads with qualified names (``SQLStatement/tenantNameOffsets``) go to the
    /// server in one round trip when tasks wait for connections: the task lent a connection sends the
    /// reads of waiting tasks with its own, ended by one Sync; reads the server skips after another's
    /// error are sent again at once, so each succeeds or fails alone. A read sent along this way is not
    /// cancelled on the server when its task is. 1 turns this off.
    public var readsPerRoundTrip: Int = 8
    /// How long a read that can be sent along with others waits for a connection that is lent out before
    /// the pool opens another (below ``maxConnections``). While the connections lent out can take the
    /// waiting reads in their next two round trips, a new read waits for one of them instead of opening
    /// a connection: on a busy server, fewer connections each sending more reads per round trip do more
    /// work than many sending few. A connection lent out for longer than this counts as held by
    /// something slow: it is not waited for.
    public var batchingPatience: Duration = .milliseconds(5)

    public init() {}
}

/// A pool of connections: async acquire with fair FIFO waiting, a maximum
/// size, an acquire timeout, a maximum connection lifetime, health checks of
/// idle connections, and no connection ever returned to it dirty.
public actor PostgresPool: SQLExecutor {
    private struct Idle {
        var connection: PostgresConnection
        var opened: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
        /// The search path the connection is known to be on.
        var searchPath: String?
    }

    /// A tenant group as the pool keeps it: a number of its own, and its home slot (see ``group(named:)``).
    private struct TenantGroup {
        var id: Int
        /// The slot of the connections the group's work goes to first.
        var home: Int?
    }

    private struct Waiter {
        var id: Int
        var group: TenantGroup?
        var affinity: String?
        var enqueued: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
        /// A tenant read another task may send along with its own.
        var read: BatchedRead?
        var continuation: CheckedContinuation<Lending, any Error>
    }

    private let configuration: PostgresConfiguration
    let options: PoolOptions
    private let logger: Logger
    private let connectionsGauge = Gauge(label: "sqlgen_pool_connections")
    private let idleGauge = Gauge(label: "sqlgen_pool_idle")
    private let waitersGauge = Gauge(label: "sqlgen_pool_waiters")
    private let acquireTimer = Timer(label: "sqlgen_pool_acquire_wait")
    private let readsSentAlongCounter = Counter(label: "sqlgen_pool_reads_sent_along")
    /// Waiting reads handed so far to a task lent a connection, to send along with its own.
    public private(set) var readsSentAlong = 0
    private var idle: [Idle] = []
    private var opened: [ObjectIdentifier: ContinuousClock.Instant] = [:]
    /// Each open connection's slot in `0..<maxConnections`: tenants are spread over slots, so each
    /// connection (and its server process) prepares statements and caches tables for a share of them.
    private var slots: [ObjectIdentifier: Int] = [:]
    /// Each tenant group by name, the number the next group gets, and how many groups each slot is home to.
    private var groups: [String: TenantGroup] = [:]
    private var nextGroupID = 0
    private var groupsPerSlot: [Int]
    /// The tenant groups each slot's connections were lent to (its server process has their statements
    /// prepared and tables cached); emptied when a slot's connection is replaced.
    private var servedGroups: [Set<Int>]
    /// The task that hands idle connections to tasks waiting past ``PoolOptions/affinityPatience``.
    private var patienceTimer: Task<Void, Never>?
    /// When each connection lent out was lent.
    private var lentSince: [ObjectIdentifier: ContinuousClock.Instant] = [:]
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var openCount = 0
    /// The tenant group of each lent connection, and how many each group holds.
    private var lentGroups: [ObjectIdentifier: TenantGroup] = [:]
    private var groupsInUse: [Int: Int] = [:]
    /// The one task that fails waiters past their acquire timeout, running while there are waiters.
    private var timeoutSweeper: Task<Void, Never>?
    private var closed = false

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
    var idleConnections: [(connection: PostgresConnection, searchPath: String?)] {
        idle.map { ($0.connection, $0.searchPath) }
    }
    /// Tasks waiting for a connection.
    public var waiterCount: Int { waiters.count }

    /// Lends a connection to `body` and takes it back afterwards.
    public nonisolated func withConnection<T: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> T
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
                    !started.withLock { $0 } && (error as? PostgresError)?.kind == .connectionClosed
                if closedBeforeBegin, attempts < 3 { continue }
                throw error
            }
        }
    }

    public nonisolated func query<S: SQLStatement>(_ statement: S) async throws(PostgresError) -> [S.Row] {
        try await run { connection throws(PostgresError) in try await connection.query(statement) }
    }

    public nonisolated func queryFirst<S: SQLStatement>(_ statement: S) async throws(PostgresError) -> S.Row? {
        try await run { connection throws(PostgresError) in try await connection.queryFirst(statement) }
    }

    public nonisolated func execute<S: SQLStatement>(_ statement: S) async throws(PostgresError) -> Int {
        try await run { connection throws(PostgresError) in try await connection.execute(statement) }
    }

    public nonisolated func executeResult<S: SQLStatement>(_ statement: S) async throws(PostgresError)
        -> SQLCommandResult
    {
        try await run { connection throws(PostgresError) in try await connection.executeResult(statement) }
    }

    public nonisolated func copy<S: SQLCopyStatement>(_ statements: [S]) async throws(PostgresError) -> Int {
        try await run { connection throws(PostgresError) in try await connection.copy(statements) }
    }

    public nonisolated func copy<Rows: AsyncSequence & Sendable>(
        from rows: Rows
    ) async throws(PostgresError) -> Int where Rows.Element: SQLCopyStatement {
        try await run { connection throws(PostgresError) in try await connection.copy(from: rows) }
    }

    public nonisolated func executeBatch<S: SQLStatement>(_ statements: [S]) async throws(PostgresError) -> [Int] {
        try await run { connection throws(PostgresError) in try await connection.executeBatch(statements) }
    }

    public nonisolated func queryFirstBatch<S: SQLStatement>(_ statements: [S]) async throws(PostgresError) -> [S.Row?]
    {
        try await run { connection throws(PostgresError) in try await connection.queryFirstBatch(statements) }
    }

    public nonisolated func queryBatch<S: SQLStatement>(_ statements: [S]) async throws(PostgresError) -> [[S.Row]] {
        try await run { connection throws(PostgresError) in try await connection.queryBatch(statements) }
    }

    /// Streams on a pooled connection, held until the stream ends.
    public nonisolated func stream<S: SQLStatement>(_ statement: S) -> AsyncThrowingStream<S.Row, any Error> {
        rowStream { yield in
            try await self.withConnection { connection in try await connection.forEachRow(statement, yield) }
        }
    }

    /// Runs `body` on a pooled connection; one found closed before anything was sent is discarded and
    /// another tried (nothing can be doubled: the statement never left).
    private nonisolated func run<T: Sendable>(
        _ body: (PostgresConnection) async throws(PostgresError) -> T
    ) async throws(PostgresError) -> T {
        try await withRetriedConnection(affinity: nil, group: nil, body)
    }

    /// Lends a connection (preferring `affinity`'s search path, counted against `group`) to `body`;
    /// one found closed before anything was sent is discarded and another tried.
    nonisolated func withRetriedConnection<T: Sendable>(
        affinity: String?, group: String?, _ body: (PostgresConnection) async throws(PostgresError) -> T
    ) async throws(PostgresError) -> T {
        var attempts = 0
        while true {
            attempts += 1
            let connection: PostgresConnection
            do {
                connection = try await acquire(affinity: affinity, group: group)
            } catch let error as PostgresError {
                throw error
            } catch {
                throw PostgresError(.cancelled, message: "cancelled while waiting for a connection")
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
    public func acquire() async throws -> PostgresConnection {
        try await acquire(affinity: nil, group: nil)
    }

    /// Takes a connection, preferring an idle one already on the search path `affinity`. A `group`
    /// (a tenant) holds at most ``PoolOptions/maxConnectionsPerTenant`` at once, and a released
    /// connection goes to the waiter whose group holds fewest, so one busy tenant cannot starve the rest.
    func acquire(affinity: String?, group: String?) async throws -> PostgresConnection {
        switch try await lend(affinity: affinity, group: group, read: nil) {
        case .connection(let connection, _):
            return connection
        case .served:
            throw PostgresError(.connectionClosed, message: "no connection was lent")
        }
    }

    /// Lends a connection as ``acquire(affinity:group:)`` does; a task waiting with a `read` may instead
    /// find it sent by another task (``Lending/served``), or be lent a connection with waiting reads to
    /// send along with its own.
    func lend(affinity: String?, group name: String?, read: BatchedRead?) async throws -> Lending {
        let started = ContinuousClock.now
        let group = group(named: name)
        defer {
            let waited = ContinuousClock.now - started
            acquireTimer.recordNanoseconds(
                waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
            publishGauges()
        }
        guard !closed else { throw PostgresError(.connectionClosed, message: "the pool is closed") }
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

    /// Whether a task with `read` is to wait for a connection lent out rather than open one: it can be
    /// sent along with another's, and the connections lent out lately (not held by anything slow) can
    /// take every waiting read in their next two round trips.
    private func waitsToRideAlong(_ read: BatchedRead?) -> Bool {
        guard read != nil, options.readsPerRoundTrip > 1, options.maxConnectionsPerTenant == nil else { return false }
        let now = ContinuousClock.now
        // Connections being opened count too: they come back as soon as they are open.
        var comingBack = max(openCount - idle.count - lentSince.count, 0)
        for since in lentSince.values where now - since < options.batchingPatience { comingBack += 1 }
        guard comingBack > 0 else { return false }
        var waitingReads = 0
        for index in waiters.indices where waiters[index].read != nil { waitingReads += 1 }
        return waitingReads < comingBack * options.readsPerRoundTrip * 2
    }

    /// Whether `group` may take another connection.
    private func hasRoom(_ group: TenantGroup?) -> Bool {
        guard let group, let limit = options.maxConnectionsPerTenant else { return true }
        return groupsInUse[group.id, default: 0] < limit
    }

    /// The idle connection to reuse: one on `affinity`'s path, else one warm for `group` (its home, or one
    /// that served it), else the most recently used; but none when a connection warm for the group was
    /// lent out lately and will come back soon: the task waits for that one, for up to
    /// ``PoolOptions/affinityPatience``.
    private func takeIdle(affinity: String?, group: TenantGroup?) -> Idle? {
        if let affinity, let index = idle.lastIndex(where: { $0.searchPath == affinity }) {
            return idle.remove(at: index)
        }
        guard let group, group.home != nil else { return idle.popLast() }
        if let index = idle.lastIndex(where: { isWarm(slot(of: $0.connection), for: group) }) {
            return idle.remove(at: index)
        }
        let waitsForWarm = slotsComingBack().contains { isWarm($0, for: group) }
        return waitsForWarm ? nil : idle.popLast()
    }

    /// The slots of the connections lent out lately (within ``PoolOptions/batchingPatience``), which
    /// will come back soon unless something slow holds them.
    private func slotsComingBack() -> [Int] {
        let now = ContinuousClock.now
        var comingBack: [Int] = []
        for (connection, since) in lentSince where now - since < options.batchingPatience {
            if let slot = slots[connection] { comingBack.append(slot) }
        }
        return comingBack
    }

    /// The slot of an open connection.
    private func slot(of connection: PostgresConnection) -> Int? {
        slots[ObjectIdentifier(connection)]
    }

    /// Whether `slot`'s connection is `group`'s home or has served it.
    private func isWarm(_ slot: Int?, for group: TenantGroup?) -> Bool {
        guard let slot, let group else { return false }
        return slot == group.home || servedGroups[slot].contains(group.id)
    }

    private func lend(_ connection: PostgresConnection, to group: TenantGroup?) {
        lentSince[ObjectIdentifier(connection)] = .now
        guard let group else { return }
        noteServed(group, on: connection)
        lentGroups[ObjectIdentifier(connection)] = group
        groupsInUse[group.id, default: 0] += 1
    }

    private func takeBack(_ connection: PostgresConnection) {
        lentSince[ObjectIdentifier(connection)] = nil
        guard let group = lentGroups.removeValue(forKey: ObjectIdentifier(connection)) else { return }
        let remaining = groupsInUse[group.id, default: 1] - 1
        groupsInUse[group.id] = remaining > 0 ? remaining : nil
    }

    /// The waiter to serve next with a connection on `searchPath`: one of the first few in line that
    /// wants that path (no switch needed); else, unless the first in line has waited past
    /// ``PoolOptions/affinityPatience``, the first of the next 64 for whose group the connection is warm
    /// (its home, or it served the group), else the first of the next 16 that no connection lent out is
    /// warm for, else none (the connection stays idle for the waiters' own warm connections, which are
    /// lent out and will come back); else,
    /// among those whose group has room, the one whose group holds the fewest connections, the longest
    /// waiting first.
    private func nextWaiter(for connection: PostgresConnection? = nil, on searchPath: String? = nil) -> Waiter? {
        // Waiters are looked at in place, by index: copying one costs more than the look.
        if let searchPath {
            for index in waiters.indices.prefix(16)
            where waiters[index].affinity == searchPath && hasRoom(waiters[index].group) {
                return waiters.remove(at: index)
            }
        }
        if let connection, let first = waiters.first?.enqueued, ContinuousClock.now - first < options.affinityPatience {
            let slot = slot(of: connection)
            for index in waiters.indices.prefix(64)
            where isWarm(slot, for: waiters[index].group) && hasRoom(waiters[index].group) {
                return waiters.remove(at: index)
            }
            // One none of whose warm connections will come back soon gains nothing by waiting: it is served now.
            let comingBack = slotsComingBack()
            for index in waiters.indices.prefix(16) where hasRoom(waiters[index].group) {
                guard let group = waiters[index].group, comingBack.contains(where: { isWarm($0, for: group) }) else {
                    return waiters.remove(at: index)
                }
            }
            startPatienceTimer()
            return nil
        }
        var chosen: (index: Int, held: Int)?
        for index in waiters.indices where hasRoom(waiters[index].group) {
            let held = waiters[index].group.map { groupsInUse[$0.id, default: 0] } ?? 0
            if chosen == nil || held < chosen?.held ?? 0 { chosen = (index, held) }
            if held == 0 { break }
        }
        guard let chosen else { return nil }
        return waiters.remove(at: chosen.index)
    }

    /// Connects, retrying failed attempts with exponential backoff and jitter until the deadline.
    /// Nothing has been sent when a connect fails, so retrying cannot repeat any work.
    private func connectWithBackoff(deadline: ContinuousClock.Instant) async throws -> PostgresConnection {
        var delay = options.reconnectDelay
        while true {
            let failure: PostgresError
            do throws(PostgresError) {
                return try await PostgresConnection.connect(configuration, logger: logger)
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
        var expired: [PostgresConnection] = []
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
                let connection = try await PostgresConnection.connect(configuration, logger: logger)
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
            waiter.continuation.resume(throwing: PostgresError(.connectionClosed, message: "the pool is shutting down"))
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

    /// Sleeps until the earliest waiter's deadline and fails the waiters past theirs; ends when none wait.
    /// One timer for the whole pool, rather than one per waiting task.
    private func expireOverdueWaiters() async {
        while let earliest = waiters.map(\.deadline).min() {
            try? await Task.sleep(until: earliest, clock: .continuous)
            let now = ContinuousClock.now
            let overdue = waiters.filter { $0.deadline <= now }
            waiters.removeAll { $0.deadline <= now }
            for waiter in overdue {
                waiter.continuation.resume(
                    throwing: PostgresError(
                        .poolTimeout, message: "no connection became free within \(options.acquireTimeout)"))
            }
        }
        timeoutSweeper = nil
    }

    private func cancel(waiter id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(
            throwing: PostgresError(.cancelled, message: "cancelled while waiting for a connection"))
    }

    /// Gives a connection back. One that is broken, or not idle (left in a transaction), is closed instead.
    public func release(_ connection: PostgresConnection) async {
        let state = connection.releaseState
        let healthy = state.isOpen && state.transaction == .idle
        takeBack(connection)
        defer { publishGauges() }
        guard healthy, !closed else {
            if !healthy { logger.debug("closing a connection returned broken or inside a transaction") }
            await discard(connection)
            return
        }
        if hand(connection, on: state.searchPath) { return }
        let openedAt = opened[ObjectIdentifier(connection)] ?? .now
        idle.append(Idle(connection: connection, opened: openedAt, lastUsed: .now, searchPath: state.searchPath))
    }

    /// Lends `connection` (on `searchPath`) to the waiter to serve next, with reads to send along; false
    /// when no waiter is to have it now.
    private func hand(_ connection: PostgresConnection, on searchPath: String?) -> Bool {
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

    /// Starts the timer that serves the first task in line once it has waited long enough: with an idle
    /// connection after ``PoolOptions/affinityPatience``, or with a new one after
    /// ``PoolOptions/batchingPatience`` when none is idle and the pool may grow; and so on while tasks wait.
    private func startPatienceTimer() {
        guard patienceTimer == nil else { return }
        patienceTimer = Task { [weak self] in await self?.serveOverdueWaiters() }
    }

    private func serveOverdueWaiters() async {
        while !closed, let first = waiters.first {
            let now = ContinuousClock.now
            if let entry = idle.last {
                let due = first.enqueued + options.affinityPatience
                if now < due {
                    try? await Task.sleep(until: due, clock: .continuous)
                    continue
                }
                idle.removeLast()
                if now - entry.opened > options.maxLifetime || now - entry.lastUsed > options.healthCheckAfterIdle {
                    // Checked or replaced as an acquire would; a fresh connection goes to the next waiter.
                    await discard(entry.connection)
                } else if !hand(entry.connection, on: entry.searchPath) {
                    idle.append(entry)
                    break
                }
            } else if openCount < options.maxConnections, hasRoom(first.group) {
                // Another connection once the first in line has waited the patience, unless the connections
                // lent out are coming back quickly enough to take it (then it is looked at again later).
                let due = first.enqueued + options.batchingPatience
                if now < due || (first.read != nil && waitsToRideAlong(first.read)) {
                    try? await Task.sleep(until: max(due, now + options.batchingPatience), clock: .continuous)
                    continue
                }
                await openConnection(for: waiters.removeFirst())
            } else {
                break
            }
        }
        patienceTimer = nil
    }

    /// Opens a connection for a task taken out of line, or hands it the error.
    private func openConnection(for waiter: Waiter) async {
        openCount += 1
        do {
            let connection = try await connectWithBackoff(deadline: waiter.deadline)
            register(connection)
            lend(connection, to: waiter.group)
            waiter.continuation.resume(returning: .connection(connection, mates: []))
        } catch {
            openCount -= 1
            waiter.continuation.resume(throwing: error)
        }
    }

    /// Waiting reads to send with `read` on `connection` (on `searchPath`): those at home on the
    /// connection's slot first, then those of tenants it served; none unless the connection is on the
    /// reads' shared path.
    private func readsToSendAlong(with read: BatchedRead, on connection: PostgresConnection, searchPath: String?)
        -> [BatchedRead]
    {
        let limit = options.readsPerRoundTrip - 1
        guard limit > 0, searchPath == read.sharedPath, options.maxConnectionsPerTenant == nil else { return [] }
        let slot = slot(of: connection)
        var chosen: [Int] = []
        for index in waiters.indices where chosen.count < limit && waiters[index].read != nil {
            if let slot, waiters[index].group?.home == slot { chosen.append(index) }
        }
        for index in waiters.indices where chosen.count < limit && waiters[index].read != nil {
            let group = waiters[index].group
            if group?.home != slot, isWarm(slot, for: group) { chosen.append(index) }
        }
        var mates: [BatchedRead] = []
        for index in chosen.sorted(by: >) {
            let waiter = waiters.remove(at: index)
            if let read = waiter.read {
                read.hold(waiter.continuation)
                noteServed(waiter.group, on: connection)
                mates.append(read)
            }
        }
        return mates.reversed()
    }

    /// Records a new connection's opening time and gives it the lowest free slot.
    private func register(_ connection: PostgresConnection) {
        opened[ObjectIdentifier(connection)] = .now
        let taken = Set(slots.values)
        let slot = (0...).first { !taken.contains($0) } ?? 0
        slots[ObjectIdentifier(connection)] = slot
        if servedGroups.indices.contains(slot) { servedGroups[slot] = [] }
    }

    /// Notes that `connection` serves `group` (up to 10,000 groups a slot; then it starts anew).
    private func noteServed(_ group: TenantGroup?, on connection: PostgresConnection) {
        guard let group, let slot = slot(of: connection), servedGroups.indices.contains(slot) else { return }
        if servedGroups[slot].count >= 10_000 { servedGroups[slot] = [] }
        servedGroups[slot].insert(group.id)
    }

    /// The group named `name`, numbered when first seen and given as its home (the slot whose connections
    /// serve it first) the slot home to the fewest groups; a group whose home slot has no connection open
    /// is served first by the connections that served it before. Kept for up to 100,000 groups; then they
    /// are numbered and dealt out anew (numbers are never reused, so counts of connections held stay apart).
    private func group(named name: String?) -> TenantGroup? {
        guard let name else { return nil }
        if let known = groups[name] { return known }
        if groups.count >= 100_000 {
            groups.removeAll()
            groupsPerSlot = groupsPerSlot.map { _ in 0 }
        }
        var home: Int?
        if options.maxConnections > 1 {
            var fewest = 0
            for slot in groupsPerSlot.indices where groupsPerSlot[slot] < groupsPerSlot[fewest] { fewest = slot }
            groupsPerSlot[fewest] += 1
            home = fewest
        }
        let group = TenantGroup(id: nextGroupID, home: home)
        nextGroupID += 1
        groups[name] = group
        return group
    }

    private func discard(_ connection: PostgresConnection) async {
        opened[ObjectIdentifier(connection)] = nil
        slots[ObjectIdentifier(connection)] = nil
        takeBack(connection)
        openCount -= 1
        await connection.close()
        // A waiter can now open a connection of its own.
        if openCount < options.maxConnections, !closed, let waiter = nextWaiter() {
            openCount += 1
            lend(connection, to: waiter.group)
            do {
                let fresh = try await PostgresConnection.connect(configuration, logger: logger)
                takeBack(connection)
                register(fresh)
                lend(fresh, to: waiter.group)
                waiter.continuation.resume(returning: .connection(fresh, mates: []))
            } catch {
                takeBack(connection)
                openCount -= 1
                waiter.continuation.resume(throwing: error)
            }
        }
    }

    /// Closes idle connections, fails waiters, and closes the rest as they come back.
    public func close() async {
        closed = true
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(.connectionClosed, message: "the pool is closed"))
        }
        waiters = []
        for entry in idle { await entry.connection.close() }
        openCount -= idle.count
        idle = []
    }
}

extension PostgresConnection {
    /// The server-side transaction state, simplified.
    public enum TransactionState: Sendable {
        case idle, inTransaction, failed, unknown
    }
}
