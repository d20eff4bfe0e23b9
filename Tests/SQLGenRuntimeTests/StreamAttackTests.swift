import Foundation
import SQLGenRuntime
import Testing

// Attacks on row streaming (SQLRowStream): each test asserts an isolation / usability property and
// fails when it is broken.

/// A statement with instance SQL and a declared scope that is not plain SQL (as a generated statement
/// is): running it does not mark the session for DISCARD ALL, so leftovers stay visible.
struct AttackStatement<Value: SQLDecodable & Sendable>: SQLStatement {
    typealias Row = Value
    static var name: String { "AttackStatement" }
    static var sql: String { "" }
    static var scope: StatementScope { .global }

    var sqlText: String
    var declaredScope: StatementScope
    var parameters: [any SQLEncodable & Sendable]

    init(_ sql: String, scope: StatementScope = .global, _ parameters: any SQLEncodable & Sendable...) {
        self.sqlText = sql
        self.declaredScope = scope
        self.parameters = parameters
    }

    func bind(to bindings: inout SQLBindings) {
        for parameter in parameters { bindings.append(parameter) }
    }

    static func decode(_ row: SQLRow) throws(SQLGenError) -> Value {
        try row.decode(0, as: Value.self, name: "value")
    }
}

/// Two columns: a value and the backend pid that produced it.
struct PidRow: SQLStatement {
    struct Row: Sendable {
        var value: Int64
        var pid: Int32
    }
    static var name: String { "PidRow" }
    static var sql: String { "" }
    static var scope: StatementScope { .global }
    var sqlText: String
    var declaredScope: StatementScope
    init(_ sql: String, scope: StatementScope = .global) {
        self.sqlText = sql
        self.declaredScope = scope
    }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        Row(
            value: try row.decode(0, as: Int64.self, name: "value"), pid: try row.decode(1, as: Int32.self, name: "pid")
        )
    }
}

/// Runs `body` in an unstructured task and waits at most `seconds` for it; nil on timeout (the task is
/// left running: a deadlocked body cannot be cancelled).
func withinDeadline<T: Sendable>(
    _ seconds: Double, _ body: @escaping @Sendable () async throws -> T
) async -> Result<T, any Error>? {
    let box = LockedBox<CheckedContinuation<Result<T, any Error>?, Never>?>(nil)
    return await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
        box.set(continuation)
        Task {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            box.take()?.resume(returning: result)
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            box.take()?.resume(returning: nil)
        }
    }
}

final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) {
        lock.lock()
        value = newValue
        lock.unlock()
    }
    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    func take<W>() -> W? where Value == W? {
        lock.lock()
        defer { lock.unlock() }
        let taken = value
        value = nil
        return taken
    }
    func update<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// Rows the server is still producing when the consumer leaves (1M rows cannot sit in socket buffers).
let manyRows = "SELECT g::int8 FROM generate_series(1, 1000000) g"

@Suite("StreamAttack: plain connections, pools and transactions", .serialized)
struct StreamAttackPlainTests {
    /// Leaving a stream early inside a transaction must not discard the transaction's earlier writes:
    /// the stream reads under a savepoint, so the transaction goes on and commits them.
    @Test("StreamAttack: break inside a pool transaction keeps earlier writes")
    func breakInsideTransactionSilentlyRollsBack() async throws {
        let admin = try await TestDatabase.connect()
        defer { Task { await admin.close() } }
        try await admin.simpleQuery("DROP TABLE IF EXISTS stream_attack_tx; CREATE TABLE stream_attack_tx (v text)")
        let pool = PostgresPool(configuration: try TestDatabase.configuration())
        var committed = false
        do {
            try await pool.withTransaction { transaction in
                _ = try await transaction.execute(
                    AttackStatement<Int64>("INSERT INTO stream_attack_tx VALUES ('kept')"))
                var seen = 0
                for try await _ in transaction.stream(AttackStatement<Int64>(manyRows)) {
                    seen += 1
                    if seen == 1 { break }
                }
            }
            committed = true
        } catch {
            Issue.record("the transaction failed after a stream in it was left early: \(error)")
        }
        let count = try await admin.queryFirst(AttackStatement<Int64>("SELECT count(*) FROM stream_attack_tx")) ?? -1
        #expect(committed)
        #expect(count == 1, "the row written before the stream is gone")
        await pool.close()
    }

    /// A statement run on the same session from inside the loop body of a long stream must not hang
    /// forever (the session's gate is held by the parked producer).
    @Test("StreamAttack: a query inside the loop of a long stream on the same session does not deadlock")
    func queryInsideLoopOnSameSession() async throws {
        let session = try await TestDatabase.connect()
        let outcome = await withinDeadline(10) {
            var seen = 0
            for try await _ in session.stream(AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 2000) g"))
            {
                seen += 1
                if seen == 1 { _ = try await session.queryFirst(AttackStatement<Int64>("SELECT 1::int8")) }
                if seen == 3 { break }
            }
            return seen
        }
        #expect(outcome != nil, "deadlock: the query inside the stream's loop waits forever for the session")
    }

    /// A stream returned out of a pool transaction (the stream is Sendable and lazy) must not run later
    /// on a connection that now belongs to another lease, inside that lease's transaction.
    @Test("StreamAttack: a stream returned out of pool.withTransaction does not run inside the next lease")
    func staleTransactionStreamRunsInNextLease() async throws {
        let admin = try await TestDatabase.connect()
        defer { Task { await admin.close() } }
        try await admin.simpleQuery(
            "DROP TABLE IF EXISTS stream_attack_secret; CREATE TABLE stream_attack_secret (v text)")
        var options = PoolOptions()
        options.maxConnections = 1
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), options: options)
        let stale = try await pool.withTransaction { transaction in
            transaction.stream(AttackStatement<String>("SELECT v FROM stream_attack_secret"))
        }
        let seen = LockedBox<[String]>([])
        let failure = LockedBox<String?>(nil)
        struct RollBack: Error {}
        do {
            try await pool.withTransaction { transaction -> Void in
                // The next lease writes something it has not committed (and will roll back).
                _ = try await transaction.execute(
                    AttackStatement<Int64>("INSERT INTO stream_attack_secret VALUES ('uncommitted-of-lease-2')"))
                // Another task iterates the stale stream meanwhile.
                let reader = Task {
                    do {
                        for try await value in stale { seen.update { $0.append(value) } }
                    } catch {
                        failure.set("\(error)")
                    }
                }
                _ = await reader.value
                throw RollBack()  // lease 2 rolls back
            }
        } catch is RollBack {}
        #expect(
            seen.get().isEmpty,
            "the stale stream read another lease's uncommitted row: \(seen.get()) (error: \(failure.get() ?? "none"))")
        // It is refused as a value of a transaction that has ended.
        #expect(failure.get()?.contains("has ended") == true, "\(failure.get() ?? "no error")")
        await pool.close()
    }
}

extension StreamAttackPlainTests {
    /// After a stream left early (break, iterated once then dropped, consumer cancelled while the producer
    /// is parked on a full buffer), the same session must answer later statements correctly: no leftover
    /// rows, no single-row mode leaking into plain or pipelined statements.
    @Test("StreamAttack: a session stays correct after abandoned streams")
    func sessionAfterAbandonedStreams() async throws {
        let session = try await TestDatabase.connect()
        // break
        for try await _ in session.stream(AttackStatement<Int64>(manyRows)) { break }
        #expect(
            try await session.query(AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 3) g")) == [1, 2, 3])
        // iterated once, then dropped
        do {
            var iterator = session.stream(AttackStatement<Int64>(manyRows)).makeAsyncIterator()
            _ = try await iterator.next()
        }
        #expect(
            try await session.queryBatch([AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 2) g")]) == [
                [1, 2]
            ])
        // cancelled while the producer is parked on a full buffer
        let reader = Task {
            var seen = 0
            do {
                for try await _ in session.stream(AttackStatement<Int64>(manyRows)) {
                    seen += 1
                    if seen == 1 { try? await Task.sleep(for: .seconds(30)) }
                }
            } catch {}
            return seen
        }
        try await Task.sleep(for: .milliseconds(500))
        reader.cancel()
        _ = await reader.value
        #expect(try await session.queryFirst(AttackStatement<Int64>("SELECT 42::int8")) == 42)
        #expect(await session.transactionStatus == .idle)
        // A failing stream, then the next statement.
        var failure: SQLGenError?
        do {
            for try await _ in session.stream(
                AttackStatement<Int64>("SELECT (10 / (3 - g))::int8 FROM generate_series(1, 5) g"))
            {}
        } catch {
            failure = error
        }
        #expect(failure?.sqlState == "22012")
        #expect(
            try await session.query(AttackStatement<Int64>("SELECT g::int8 FROM generate_series(7, 8) g")) == [7, 8])
        await session.close()
    }
}

/// Backends of `database` other than the caller's, with their state.
func backendStates(_ configuration: PostgresConfiguration) async throws -> [String] {
    let database = configuration.parameters["dbname"] ?? ""
    let values = try await TenancyDatabase.adminValues(
        configuration,
        "SELECT state || ': ' || query FROM pg_stat_activity WHERE datname = '\(database)' "
            + "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
    return values.map { $0 ?? "nil" }
}

@Suite("StreamAttack: tenant pools", .serialized)
struct StreamAttackTenancyTests {
    static let tenantRows =
        "SELECT g::int8 FROM generate_series(1, 1000000) g CROSS JOIN (SELECT count(*) FROM items) c"

    /// A tenant transaction shared by child tasks of two tenants: tenant b leaving its stream early must
    /// not make tenant a's statements fail, nor silently roll back a's writes.
    @Test(
        "StreamAttack: one tenant's abandoned stream does not poison another tenant's statements in a shared transaction"
    )
    func abandonedStreamPoisonsSharedTransaction() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_shared_tx")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        var acmeError: String?
        var committed = false
        do {
            try await withTenant(acme) {
                try await database.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: "acme", value: 1))
                    // globex's child task streams and leaves early.
                    try await withTenant(globex) {
                        for try await _ in transaction.stream(AttackStatement<Int64>(Self.tenantRows, scope: .tenant)) {
                            break
                        }
                    }
                    _ = try await transaction.execute(InsertItem(tenant: "acme", value: 2))
                }
            }
            committed = true
        } catch {
            acmeError = "\(error)"
        }
        #expect(acmeError == nil, "acme's statement failed after globex's abandoned stream: \(acmeError ?? "")")
        let stamps = try await withTenant(acme) { try await database.query(ItemStamps()) }
        if committed { #expect(stamps == ["acme", "acme"], "acme's transaction reported success but kept \(stamps)") }
        await database.close()
    }

    /// A stream whose rows were all handed out must not be run again (delivering its rows twice) when the
    /// connection turns out closed at the path check after the last row.
    @Test("StreamAttack: a TenantPool stream is not replayed after its rows were delivered")
    func streamReplayedAfterConnectionLoss() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_replay")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        var values: [Int64] = []
        var pids: Set<Int32> = []
        var failure: SQLGenError?
        try await withTenant(acme) {
            let stream = database.stream(
                PidRow("SELECT g::int8, pg_backend_pid() FROM generate_series(1, 300) g", scope: .tenant))
            do {
                var first = true
                for try await row in stream {
                    values.append(row.value)
                    pids.insert(row.pid)
                    if first {
                        first = false
                        // The producer fills the buffer and parks; the server has sent everything and is idle
                        // in the stream's transaction. The backend then goes away.
                        try await Task.sleep(for: .milliseconds(300))
                        try await TenancyDatabase.admin(configuration, "SELECT pg_terminate_backend(\(row.pid))")
                        try await Task.sleep(for: .milliseconds(300))
                    }
                }
            } catch let error as SQLGenError {
                failure = error
            }
        }
        #expect(
            Set(values).count == values.count,
            "rows delivered twice: \(values.count) rows, \(Set(values).count) distinct, from backends \(pids.sorted()) (error: \(failure.map { "\($0)" } ?? "none"))"
        )
        await database.close()
    }

    /// Abandoned streams (break, dropped after one row, consumer cancelled while the producer is parked,
    /// a failing stream) return the one connection clean: the next tenant sees its own rows only, and no
    /// statement keeps running on the server.
    @Test("StreamAttack: abandoned TenantPool streams leave the connection clean for the next tenant")
    func abandonedStreamsLeaveConnectionClean() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_clean")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        try await withTenant(acme) { _ = try await database.execute(InsertItem(tenant: "acme", value: 1)) }
        try await withTenant(globex) { _ = try await database.execute(InsertItem(tenant: "globex", value: 1)) }
        let rows = AttackStatement<Int64>(Self.tenantRows, scope: .tenant)
        @Sendable func checkGlobex(_ step: String) async throws {
            let stamps = try await withTenant(globex) { try await database.query(ItemStamps()) }
            #expect(stamps == ["globex"], "after \(step): globex saw \(stamps)")
            let schemas = try await withTenant(globex) { try await database.queryFirst(CurrentSchemas()) }
            #expect(schemas == [globex.schemaName, "public"], "after \(step)")
            let states = try await backendStates(configuration)
            #expect(states.allSatisfy { $0.hasPrefix("idle:") }, "after \(step): \(states)")
            #expect(await database.connectionCount <= 1)
        }
        try await withTenant(acme) { for try await _ in database.stream(rows) { break } }
        try await checkGlobex("break")
        try await withTenant(acme) {
            var iterator = database.stream(rows).makeAsyncIterator()
            _ = try await iterator.next()
        }
        try await checkGlobex("one next() then drop")
        let reader = Task {
            await withTenant(acme) {
                var seen = 0
                do {
                    for try await _ in database.stream(rows) {
                        seen += 1
                        if seen == 1 { try? await Task.sleep(for: .seconds(30)) }
                    }
                } catch {}
                return seen
            }
        }
        try await Task.sleep(for: .milliseconds(700))
        reader.cancel()
        _ = await reader.value
        try await checkGlobex("cancel while parked")
        // The consumer throws inside the loop body.
        struct Boom: Error {}
        do {
            try await withTenant(acme) { for try await _ in database.stream(rows) { throw Boom() } }
        } catch is Boom {}
        try await checkGlobex("throw in body")
        var failure: SQLGenError?
        do {
            try await withTenant(acme) {
                for try await _ in database.stream(
                    AttackStatement<Int64>(
                        "SELECT (10 / (300 - g))::int8 FROM generate_series(1, 1000) g CROSS JOIN items", scope: .tenant
                    ))
                {}
            }
        } catch let error as SQLGenError {
            failure = error
        }
        #expect(failure?.sqlState == "22012")
        try await checkGlobex("failing stream")
        // Many concurrent abandoned streams on one connection, then the next tenant.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await withTenant(acme) {
                        var iterator = database.stream(rows).makeAsyncIterator()
                        if index % 2 == 0 { _ = try await iterator.next() }
                    }
                }
            }
            try await group.waitForAll()
        }
        let outcome = await withinDeadline(20) { try await checkGlobex("20 concurrent abandoned streams") }
        #expect(outcome != nil, "the pool did not get its connection back after abandoned streams")
        // Streams never iterated hold nothing.
        let idle = await database.connectionCount
        let never = (0..<50).map { _ in database.stream(rows) }
        #expect(never.count == 50)
        #expect(await database.connectionCount == idle)
        await database.close()
    }

    /// Late cancels: many streams left right after their first row (their statement already finished on
    /// the server) on the one connection, each followed at once by another tenant's statement, which must
    /// never fail with a cancel meant for the stream.
    @Test("StreamAttack: a stream's cancel never reaches the next tenant's statement")
    func lateCancelReachesNextTenant() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_late_cancel")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 1)
        try await withTenant(globex) { _ = try await database.execute(InsertItem(tenant: "globex", value: 1)) }
        var failures: [String] = []
        for _ in 0..<40 {
            try await withTenant(acme) {
                for try await _ in database.stream(
                    AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 300) g", scope: .tenant))
                {
                    break
                }
            }
            do {
                let stamps = try await withTenant(globex) { try await database.query(ItemStamps()) }
                if stamps != ["globex"] { failures.append("rows \(stamps)") }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        await database.close()
    }

    /// A stream made inside withTenant(acme) and iterated inside withTenant(globex): the rows code running
    /// as globex gets are never acme's.
    @Test("StreamAttack: a stream made under one tenant and iterated under another yields no rows of the first")
    func streamCrossesTenantScopes() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_cross_scope")
        let (acme, globex) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        try await withTenant(acme) { _ = try await database.execute(InsertItem(tenant: "acme", value: 1)) }
        try await withTenant(globex) { _ = try await database.execute(InsertItem(tenant: "globex", value: 1)) }
        let made = withTenant(acme) { database.stream(ItemStamps()) }
        let underGlobex = try await withTenant(globex) {
            var stamps: [String] = []
            for try await stamp in made { stamps.append(stamp) }
            return stamps
        }
        #expect(!underGlobex.contains("acme"), "globex got acme's rows: \(underGlobex)")
        var outside: Result<[String], SQLGenError>
        do {
            var stamps: [String] = []
            for try await stamp in made { stamps.append(stamp) }
            outside = .success(stamps)
        } catch {
            outside = .failure(error)
        }
        if case .success(let stamps) = outside {
            #expect(stamps.isEmpty, "outside any tenant the stream gave \(stamps)")
        }
        // A tenant transaction's stream iterated by a child task of another tenant.
        let fromTransaction = try await withTenant(acme) {
            try await database.withTransaction { transaction in
                try await withTenant(globex) {
                    var stamps: [String] = []
                    for try await stamp in transaction.stream(ItemStamps()) { stamps.append(stamp) }
                    return stamps
                }
            }
        }
        #expect(fromTransaction == ["globex"], "\(fromTransaction)")
        await database.close()
    }

    /// A statement of the same tenant transaction inside the loop of its stream must not hang forever.
    @Test("StreamAttack: a statement inside the loop of a long tenant-transaction stream does not deadlock")
    func tenantTransactionQueryInsideLoop() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_tx_loop")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        let outcome = await withinDeadline(10) {
            try await withTenant(acme) {
                try await database.withTransaction { transaction in
                    var seen = 0
                    for try await _ in transaction.stream(
                        AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 2000) g", scope: .tenant))
                    {
                        seen += 1
                        if seen == 1 { _ = try await transaction.query(ItemStamps()) }
                        if seen == 3 { break }
                    }
                    return seen
                }
            }
        }
        #expect(outcome != nil, "deadlock: the transaction's statement waits forever for its own stream")
        // Whatever happened, the pool still serves (the stuck transaction holds one of two connections).
        let after = await withinDeadline(10) { try await withTenant(acme) { try await database.query(ItemStamps()) } }
        #expect(after != nil)
    }

    /// A tenant transaction's stream whose iterator outlives the transaction's closure: the transaction
    /// must still end (withTransaction returns), and no row may come from the connection after that.
    @Test("StreamAttack: an iterator kept past its tenant transaction neither blocks the end nor reads after it")
    func iteratorOutlivesTenantTransaction() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_escaped")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        final class Keep: @unchecked Sendable { var iterator: SQLRowStream<Int64>.Iterator? }
        let keep = Keep()
        let ended = await withinDeadline(10) {
            try await withTenant(acme) {
                try await database.withTransaction { transaction in
                    var iterator = transaction.stream(
                        AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 2000) g", scope: .tenant)
                    ).makeAsyncIterator()
                    _ = try await iterator.next()
                    keep.iterator = iterator
                }
            }
        }
        #expect(ended != nil, "withTransaction never returned: the kept iterator's producer holds the connection")
        _ = keep
    }
}

extension StreamAttackTenancyTests {
    /// The single-tenant form: a tenant transaction that leaves a stream early and then returns normally
    /// must keep its earlier writes (or fail loudly).
    @Test("StreamAttack: TenantTransaction break keeps earlier writes or fails loudly")
    func tenantTransactionBreakSilentRollback() async throws {
        let configuration = try await TenancyDatabase.create("stream_attack_tx_silent")
        let (acme, _) = try await TenancyDatabase.acmeAndGlobex(configuration)
        let database = try TenancyDatabase.pool(configuration, maxConnections: 2)
        var committed = false
        do {
            try await withTenant(acme) {
                try await database.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: "acme", value: 1))
                    for try await _ in transaction.stream(AttackStatement<Int64>(Self.tenantRows, scope: .tenant)) {
                        break
                    }
                }
            }
            committed = true
        } catch {}
        let stamps = try await withTenant(acme) { try await database.query(ItemStamps()) }
        if committed {
            #expect(stamps == ["acme"], "withTransaction returned normally, yet acme's row is gone: \(stamps)")
        }
        await database.close()
    }
}

extension StreamAttackPlainTests {
    /// next() after the end or after a failure returns nil and never runs the statement again.
    @Test("StreamAttack: next() after the end or a failure does not run the statement again")
    func nextAfterEnd() async throws {
        let session = try await TestDatabase.connect()
        try await session.simpleQuery(
            "DROP TABLE IF EXISTS stream_attack_once; CREATE TABLE stream_attack_once (v int8)")
        var iterator = session.stream(AttackStatement<Int64>("INSERT INTO stream_attack_once VALUES (1) RETURNING v"))
            .makeAsyncIterator()
        #expect(try await iterator.next() == 1)
        #expect(try await iterator.next() == nil)
        #expect(try await iterator.next() == nil)
        var copy = iterator
        #expect(try await copy.next() == nil)
        var failing = session.stream(AttackStatement<Int64>("SELECT (1 / 0)::int8")).makeAsyncIterator()
        await #expect(throws: SQLGenError.self) { _ = try await failing.next() }
        #expect(try await failing.next() == nil)
        #expect(try await session.queryFirst(AttackStatement<Int64>("SELECT count(*) FROM stream_attack_once")) == 1)
        await session.close()
    }

    /// Two copies of one iterator read concurrently (through an unchecked box: the iterator is not
    /// Sendable): both calls must return, neither may hang.
    @Test("StreamAttack: concurrent next() on copies of one iterator does not hang")
    func concurrentCopies() async throws {
        let session = try await TestDatabase.connect()
        final class Box: @unchecked Sendable {
            var iterator: SQLRowStream<Int64>.Iterator
            init(iterator: SQLRowStream<Int64>.Iterator) { self.iterator = iterator }
        }
        let iterator = session.stream(
            AttackStatement<Int64>("SELECT g::int8 FROM generate_series(1, 3) g WHERE pg_sleep(0.3) IS NOT NULL")
        ).makeAsyncIterator()
        let first = Box(iterator: iterator)
        let second = Box(iterator: iterator)
        @Sendable func read(_ box: Box) async -> String {
            do {
                return "row \(String(describing: try await box.iterator.next()))"
            } catch {
                return "refused: \(error.kind)"
            }
        }
        let outcome = await withinDeadline(10) { () async throws -> [String] in
            async let a = read(first)
            async let b = read(second)
            return [await a, await b]
        }
        #expect(outcome != nil, "one of two concurrent next() calls never returned")
        // The second reader is refused (one reader at a time), the first gets its row.
        let answers = (try? outcome?.get()) ?? []
        #expect(answers.filter { $0 == "refused: invalidParameter" }.count == 1, "\(answers)")
        #expect(answers.filter { $0 == "row Optional(1)" }.count == 1, "\(answers)")
        await session.close()
    }
}

extension StreamAttackPlainTests {
    /// A transaction value kept past its closure refuses every statement, not just streams: its
    /// connection may by then run another lease's transaction.
    @Test("a PostgresTransaction kept past its closure refuses statements, savepoints included")
    func aKeptTransactionRefusesStatements() async throws {
        let session = try await TestDatabase.connect()
        let kept = try await session.withTransaction { transaction in transaction }
        await #expect(throws: SQLGenError.self) { _ = try await kept.query(AttackStatement<Int64>("SELECT 1::int8")) }
        do {
            _ = try await kept.execute(AttackStatement<Int64>("SELECT 1::int8"))
            Issue.record("a kept transaction ran a statement")
        } catch {
            #expect(error.kind == .transactionEnded)
        }
        let keptSavepoint = try await session.withTransaction { transaction in
            try await transaction.withTransaction { savepoint in savepoint }
        }
        await #expect(throws: SQLGenError.self) {
            _ = try await keptSavepoint.queryFirst(AttackStatement<Int64>("SELECT 1::int8"))
        }
        #expect(try await session.queryFirst(AttackStatement<Int64>("SELECT 2::int8")) == 2)
        await session.close()
    }
}
