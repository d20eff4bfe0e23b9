import Foundation
import Testing

@testable import SQLGenRuntime

@Suite(.serialized) struct ConnectionTests {
    @Test func serverErrorsCarrySQLStateAndFields() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery(
            "DROP TABLE IF EXISTS runtime_people; CREATE TABLE runtime_people (id int PRIMARY KEY, email text NOT NULL CHECK (email LIKE '%@%'))"
        )
        _ = try await connection.execute(SingleValue<Int32>("INSERT INTO runtime_people VALUES (1, 'a@b')"))
        do {
            _ = try await connection.execute(
                SingleValue<Int32>("INSERT INTO runtime_people VALUES ($1, 'c@d')", Int32(1)))
            Issue.record("duplicate key accepted")
        } catch {
            #expect(error.isUniqueViolation)
            #expect(error.constraint == "runtime_people_pkey")
            #expect(error.table == "runtime_people")
            #expect(error.detail == "Key (id)=(1) already exists.")
            #expect(error.statementName == "SingleValue")
        }
        do {
            _ = try await connection.execute(SingleValue<Int32>("INSERT INTO runtime_people VALUES (2, 'no-at')"))
        } catch {
            #expect(error.isCheckViolation)
        }
        do {
            _ = try await connection.execute(SingleValue<Int32>("INSERT INTO runtime_people VALUES (3, NULL)"))
        } catch {
            #expect(error.isNotNullViolation)
            #expect(error.column == "email")
        }
        do {
            _ = try await connection.query(SingleValue<Int32>("SELECT nope FROM runtime_people"))
        } catch {
            #expect(error.sqlState == "42703")
            #expect(error.position == 8)
        }
        await connection.close()
    }

    /// Runs `sql` in a task, cancels the task after `delay`, and expects the statement cancelled well
    /// before it would end, with the connection left idle and usable.
    static func expectCancelled(_ sql: String, after delay: Duration, on connection: PostgresSession) async throws {
        let started = ContinuousClock.now
        let task = Task { try await connection.query(SingleValue<String>(sql)) }
        try await Task.sleep(for: delay)
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .failure(let error as SQLGenError) = result else {
            Issue.record("the sleep was not cancelled: \(result)")
            return
        }
        #expect(error.kind == .cancelled)
        #expect(await connection.transactionStatus == .idle)
        #expect(try await connection.queryFirst(SingleValue<Int32>("SELECT 1")) == 1)
    }

    @Test func cancellingTheTaskCancelsTheQueryAndLeavesTheConnectionClean() async throws {
        let connection = try await TestDatabase.connect()
        try await Self.expectCancelled("SELECT pg_sleep(30)::text", after: .milliseconds(300), on: connection)
        await connection.close()
    }

    /// PostgreSQL drops a cancel that reaches the backend before the statement runs; a PL/pgSQL handler
    /// that swallows the first cancel stands in for that race here: only a repeated request stops the sleep.
    @Test func aCancelTheServerDidNotActOnIsSentAgain() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery(
            """
            CREATE OR REPLACE FUNCTION pg_temp.swallow_one_cancel() RETURNS text LANGUAGE plpgsql AS $$
            BEGIN
                BEGIN
                    PERFORM pg_sleep(5);
                EXCEPTION WHEN query_canceled THEN
                    NULL;
                END;
                PERFORM pg_sleep(30);
                RETURN 'slept';
            END $$
            """)
        try await Self.expectCancelled(
            "SELECT pg_temp.swallow_one_cancel()", after: .milliseconds(500), on: connection)
        await connection.close()
    }

    @Test func droppedPreparedStatementsArePreparedAgain() async throws {
        let connection = try await TestDatabase.connect()
        let statement = SingleValue<Int32>("SELECT $1::int + 1", Int32(41))
        #expect(try await connection.queryFirst(statement) == 42)
        try await connection.simpleQuery("DEALLOCATE ALL")
        #expect(try await connection.queryFirst(statement) == 42)
        await connection.close()
    }

    @Test func changedResultShapesArePreparedAgain() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery("DROP TABLE IF EXISTS runtime_shape; CREATE TABLE runtime_shape (a int)")
        try await connection.simpleQuery("INSERT INTO runtime_shape VALUES (7)")
        let statement = SingleValue<String>("SELECT * FROM runtime_shape")
        #expect(try await connection.queryFirst(statement) == "7")
        try await connection.simpleQuery("ALTER TABLE runtime_shape ALTER COLUMN a TYPE text")
        #expect(try await connection.queryFirst(statement) == "7")
        await connection.close()
    }

    @Test func transactionsCommitRollBackAndNestAsSavepoints() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery("DROP TABLE IF EXISTS runtime_ledger; CREATE TABLE runtime_ledger (n int)")
        try await connection.withTransaction { tx in
            _ = try await tx.execute(SingleValue<Int32>("INSERT INTO runtime_ledger VALUES (1)"))
            try? await tx.withTransaction { inner in
                _ = try await inner.execute(SingleValue<Int32>("INSERT INTO runtime_ledger VALUES (2)"))
                throw SQLGenError(.server, message: "undo the savepoint")
            }
            try await tx.withTransaction { inner in
                _ = try await inner.execute(SingleValue<Int32>("INSERT INTO runtime_ledger VALUES (3)"))
            }
        }
        await #expect(throws: SQLGenError.self) {
            try await connection.withTransaction { tx in
                _ = try await tx.execute(SingleValue<Int32>("INSERT INTO runtime_ledger VALUES (4)"))
                throw SQLGenError(.server, message: "roll it all back")
            }
        }
        let rows = try await connection.query(SingleValue<Int32>("SELECT n FROM runtime_ledger ORDER BY n"))
        #expect(rows == [1, 3])
        #expect(await connection.transactionStatus == .idle)
        await connection.close()
    }

    @Test func serializationFailuresAreRetriedWhenAskedFor() async throws {
        let connection = try await TestDatabase.connect()
        let attempts = Counter()
        let value = try await connection.withTransaction(
            isolation: .serializable, retry: .onSerializationFailure(attempts: 3)
        ) { tx in
            let attempt = await attempts.next()
            if attempt < 3 {
                // Raise a real serialization failure from the server.
                _ = try await tx.execute(
                    SingleValue<Int32>(
                        "DO $$ BEGIN RAISE EXCEPTION SQLSTATE '40001' USING MESSAGE = 'could not serialize'; END $$"))
            }
            return attempt
        }
        #expect(value == 3)
        await connection.close()
    }
}

actor Counter {
    var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}
