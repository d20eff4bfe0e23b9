import Foundation
import Testing

@testable import SQLGenRuntime

/// A closure the test aborts, to see what its transaction kept, and what it saw of the refusal.
private struct Abort: Error {
    var refusal: SQLGenError? = nil
    var laterRefusal: SQLGenError? = nil
}

/// A transaction the runtime opened is all-or-nothing: a statement that ends it early (COMMIT), undoes
/// it and carries on outside it (ROLLBACK), or moves its savepoints, would make the closure's work
/// commit in part, or run the rest in autocommit. Each such statement is refused before it is sent.
@Suite("Transaction control inside the runtime's transactions, attacked", .serialized)
struct TransactionControlAttackTests {
    /// Statements that end, restart or mark a transaction, in the spellings PostgreSQL accepts.
    static let controls = [
        "COMMIT", "commit", "  END", "ROLLBACK", "ABORT", "BEGIN", "START TRANSACTION",
        "SAVEPOINT attack", "RELEASE SAVEPOINT sqlgen_savepoint_1", "ROLLBACK TO SAVEPOINT sqlgen_savepoint_1",
        "/* c */ COMMIT", "SELECT 1; COMMIT", "PREPARE TRANSACTION 'attack'",
    ]

    /// The rows of Acme's items, read through a pool of its own.
    static func acmeStamps(_ configuration: PostgresConfiguration) async throws -> [String] {
        let reader = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await reader.close() } }
        return try await reader.withTenant(subdomain: "acme") { try await reader.query(ItemStamps()) }
    }

    @Test(arguments: [TenantSwitching.sessionAffinity, .transactionLocal])
    func tenantTransactionKeepsNothingOfAnAbortedClosure(switching: TenantSwitching) async throws {
        let configuration = try await TenancyDatabase.create("atk_txctl_\(String(describing: switching).lowercased())")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        let pool = try TenancyDatabase.pool(configuration, maxConnections: 1, switching: switching)
        defer { Task { await pool.close() } }
        var escaped: [String] = []
        for (index, control) in Self.controls.enumerated() {
            for scope in [StatementScope.global, .tenant] {
                var refused = false
                do {
                    try await pool.withTenant(subdomain: "acme") {
                        try await pool.withTransaction { transaction in
                            _ = try await transaction.execute(InsertItem(tenant: "before-\(index)", value: 1))
                            var abort = Abort()
                            do {
                                _ = try await transaction.execute(AttackRaw(control, scope))
                            } catch let error as SQLGenError { abort.refusal = error }
                            _ = try? await transaction.execute(InsertItem(tenant: "after-\(index)", value: 1))
                            throw abort
                        }
                    }
                } catch let abort as Abort {
                    refused = abort.refusal?.kind == .transactionControlRefused
                } catch {}
                if !refused { escaped.append("\(control) (\(scope)) was not refused") }
            }
        }
        let kept = try await Self.acmeStamps(configuration)
        #expect(kept.isEmpty, "an aborted transaction kept \(kept)")
        #expect(escaped.isEmpty, "\(escaped.joined(separator: "\n"))")
    }

    @Test func batchInsideATransactionCannotCommitIt() async throws {
        let configuration = try await TenancyDatabase.create("atk_txctl_batch")
        _ = try await TenancyDatabase.acmeAndGlobex(configuration)
        let pool = try TenancyDatabase.pool(configuration, maxConnections: 1)
        defer { Task { await pool.close() } }
        var error: SQLGenError?
        do {
            try await pool.withTenant(subdomain: "acme") {
                try await pool.withTransaction { transaction in
                    _ = try await transaction.execute(InsertItem(tenant: "before", value: 1))
                    var abort = Abort()
                    do {
                        _ = try await transaction.executeBatch([
                            AttackRaw("COMMIT", .global), AttackRaw("SELECT 1", .global),
                        ])
                    } catch let failure as SQLGenError { abort.refusal = failure }
                    throw abort
                }
            }
        } catch let abort as Abort { error = abort.refusal }
        #expect(error?.kind == .transactionControlRefused, "\(String(describing: error))")
        #expect(try await Self.acmeStamps(configuration).isEmpty)
    }

    @Test func plainPoolTransactionCannotBeEndedEarly() async throws {
        let configuration = try await TenancyDatabase.create("atk_txctl_plain")
        let admin = try await PostgresSession.connect(configuration)
        try await admin.simpleQuery("CREATE TABLE public.ledger (entry text NOT NULL)")
        await admin.close()
        let pool = PostgresPool(configuration: configuration)
        defer { Task { await pool.close() } }
        var refusals = 0
        for control in Self.controls {
            do {
                try await pool.withTransaction { transaction in
                    _ = try await transaction.execute(PlainStatement("INSERT INTO public.ledger VALUES ('x')"))
                    var abort = Abort()
                    do {
                        _ = try await transaction.execute(PlainStatement(control))
                    } catch let error as SQLGenError { abort.refusal = error }
                    _ = try? await transaction.execute(PlainStatement("INSERT INTO public.ledger VALUES ('y')"))
                    throw abort
                }
            } catch let abort as Abort where abort.refusal?.kind == .transactionControlRefused {
                refusals += 1
            } catch {}
        }
        let kept = try await TenancyDatabase.adminValues(configuration, "SELECT count(*)::text FROM public.ledger")
        #expect(kept == ["0"])
        #expect(refusals == Self.controls.count)
    }

    @Test func ownConnectionRefusesTransactionControlOnlyInsideItsTransaction() async throws {
        let configuration = try TestDatabase.configuration()
        let session = try await PostgresSession.connect(configuration)
        defer { Task { await session.close() } }
        var refusals: [SQLGenError?] = []
        do {
            try await session.withTransaction { transaction in
                var abort = Abort()
                do {
                    try await transaction.simpleQuery("CREATE TEMP TABLE own_tx (x int); COMMIT")
                } catch let error as SQLGenError { abort.refusal = error }
                do {
                    try await session.simpleQuery("ROLLBACK")
                } catch let error as SQLGenError { abort.laterRefusal = error }
                throw abort
            }
        } catch let abort as Abort { refusals = [abort.refusal, abort.laterRefusal] }
        #expect(refusals.count == 2)
        #expect(refusals.allSatisfy { $0?.kind == .transactionControlRefused }, "\(refusals)")
        // Outside a transaction of the runtime's, the connection is the caller's to drive.
        try await session.simpleQuery("BEGIN")
        try await session.simpleQuery("COMMIT")
        let state = await session.transactionStatus
        #expect(state == .idle)
    }

    @Test func ownConnectionRefusesATransactionInsideItsTransaction() async throws {
        let configuration = try TestDatabase.configuration()
        let session = try await PostgresSession.connect(configuration)
        defer { Task { await session.close() } }
        try await session.simpleQuery("CREATE TEMP TABLE nested_tx (x int)")
        var refusal: SQLGenError?
        do {
            try await session.withTransaction { transaction in
                try await transaction.simpleQuery("INSERT INTO nested_tx VALUES (1)")
                var abort = Abort()
                do {
                    // The inner COMMIT would have committed the outer transaction's row.
                    try await session.withTransaction { inner in
                        try await inner.simpleQuery("INSERT INTO nested_tx VALUES (2)")
                    }
                } catch let error as SQLGenError { abort.refusal = error }
                throw abort
            }
        } catch let abort as Abort { refusal = abort.refusal }
        #expect(refusal?.kind == .transactionControlRefused, "\(String(describing: refusal))")
        let rows = try await session.query(PlainStatement("SELECT count(*)::text AS n FROM nested_tx"))
        #expect(rows.first?["n"] == "0")
    }

    /// A routed statement that fails inside the BEGIN its pipeline sent (whose COMMIT is then skipped)
    /// leaves the connection idle, not in an aborted transaction the pool would have to close.
    @Test func failedWrappedStatementLeavesTheConnectionIdle() async throws {
        let session = try await PostgresSession.connect(try TestDatabase.configuration())
        defer { Task { await session.close() } }
        let route = SearchPathRoute(tenant: nil, sharedSchemas: ["public"])
        var failure: SQLGenError?
        do {
            _ = try await session.runRouted(
                AttackRaw("SELECT 1 / 0", .global), route: route, switching: .transactionLocal
            ) {
                _ in 0
            }
        } catch { failure = error }
        #expect(failure?.sqlState == "22012", "\(String(describing: failure))")
        let state = await session.transactionStatus
        #expect(state == .idle)
        let next = try await session.query(PlainStatement("SELECT 1 AS one"))
        #expect(next.first?["one"] == "1")
    }
}
