import Foundation
import PostgresNIO
import SQLGenPostgresNIO
import SQLGenPostgresNIOTestSupport
import SQLGenRuntime
import Testing

/// The generated statements of the fixture on PostgresNIO, beside the libpq runtime: the same
/// values decode the same on both, every kind of generated function runs, and what would leave
/// state on a lent connection is refused.
@Suite("generated code on PostgresNIO", .serialized)
struct PostgresNIOExecutorTests {
    static let server = TestServer(database: "sqlgen_nio_tests") { configuration in
        let session = try await PostgresSession.connect(configuration)
        defer { Task { await session.close() } }
        try await session.simpleQuery(String(contentsOf: TestServer.file("sql/schema.sql"), encoding: .utf8))
    }

    /// A row of values that are hard to decode.
    static func awkward(_ label: String) throws -> QueriesQueries.InsertSampleParams {
        QueriesQueries.InsertSampleParams(
            label: label, mood: .inBetween, moods: [.happy, .inBetween], scores: [1, -2, 2_147_483_647],
            names: ["a b", "", "NULL", "x\"y", "back\\slash", "{}", "é"],
            amount: Decimal(string: "-12345.678901"), big: "123456789012345678901234567890123456789012.000000000001",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123456),
            day: try SQLDate.decode(sqlText: "2024-02-29"),
            atTime: try SQLTime.decode(sqlText: "23:59:59.999999"),
            span: try SQLInterval.decode(sqlText: "P1Y2M3DT4H5M6.5S"),
            doc: try JSONValue.decode(sqlText: #"{"a": [1, 2.5, null, "x"], "b": {"c": true}}"#),
            home: Address(street: "1 Main St, \"Apt\" (2)", zip: nil, tags: ["x", "y z", ""]),
            ip: SQLInet(address: "2001:db8::1", prefixLength: 64), raw: Data([0, 255, 16, 92]),
            uid: UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), ratio: -1.5e-300, flag: true)
    }

    /// A row whose nullable columns are all NULL.
    static func empty(_ label: String) -> QueriesQueries.InsertSampleParams {
        QueriesQueries.InsertSampleParams(
            label: label, mood: .sad, moods: nil, scores: nil, names: nil, amount: nil, big: nil,
            createdAt: Date(timeIntervalSince1970: -86_400 * 365 * 100), day: nil, atTime: nil, span: nil, doc: nil,
            home: nil, ip: nil, raw: nil, uid: nil, ratio: nil, flag: nil)
    }

    @Test("rows written by either runtime decode to equal values on both")
    func sameValuesOnBothRuntimes() async throws {
        let session = try await PostgresSession.connect(Self.server.libpqConfiguration())
        defer { Task { await session.close() } }
        try await Self.server.withClient { client in
            let libpq = QueriesQueries(session)
            let nio = QueriesQueries(PostgresNIOExecutor(client))
            _ = try await libpq.deleteSamples(pattern: "same-%")
            let written = [
                try await libpq.insertSample(Self.awkward("same-1")),
                try await libpq.insertSample(Self.empty("same-2")),
                try await nio.insertSample(Self.awkward("same-3")), try await nio.insertSample(Self.empty("same-4")),
            ]
            let onLibpq = try await libpq.listSamples(pattern: "same-%")
            let onNIO = try await nio.listSamples(pattern: "same-%")
            #expect(onNIO == onLibpq)
            #expect(onNIO == written)
            #expect(onNIO[2].big == "123456789012345678901234567890123456789012.000000000001")
            #expect(onNIO[0].names == ["a b", "", "NULL", "x\"y", "back\\slash", "{}", "é"])
            #expect(try await nio.getSample(id: written[0].id) == written[0])
            #expect(try await nio.sampleHomes(pattern: "same-%") == (try await libpq.sampleHomes(pattern: "same-%")))
            var streamed: [Sample] = []
            for try await sample in nio.listSamplesStream(pattern: "same-%") { streamed.append(sample) }
            #expect(streamed == onLibpq)
        }
    }

    static func copyRow(_ index: Int) -> QueriesQueries.CopySamples {
        let mood: Mood = index % 2 == 0 ? .happy : .inBetween
        let scores: [Int32]? = index % 3 == 0 ? nil : [Int32(index), 0]
        let amount: Decimal = Decimal(index) / 4
        return QueriesQueries.CopySamples(
            label: "kind-copy-\(index)", mood: mood, createdAt: Date(timeIntervalSince1970: Double(index)),
            amount: amount, scores: scores)
    }

    /// The kind of error `body` fails with, or nil when it does not fail.
    static func failure(_ body: () async throws(SQLGenError) -> Void) async -> SQLGenError.Kind? {
        do {
            try await body()
            return nil
        } catch {
            return error.kind
        }
    }

    @Test("every kind of generated function runs: exec, execrows, execresult, copyfrom and the batches")
    func everyKindRuns() async throws {
        try await Self.server.withClient { client in
            let nio = QueriesQueries(PostgresNIOExecutor(client))
            _ = try await nio.deleteSamples(pattern: "kind-%")
            let first = try await nio.insertSample(Self.empty("kind-a"))
            #expect(try await nio.renameSample(label: "kind-b", id: first.id) == 1)
            #expect(try await nio.renameSample(label: "kind-b", id: -1) == 0)
            try await nio.flipSample(id: first.id)
            #expect(try await nio.getSample(id: first.id)?.flag == true)
            let rows = (0..<300).map(Self.copyRow)
            #expect(try await nio.copySamples(rows) == 300)
            let copied = try await nio.listSamples(pattern: "kind-copy-%")
            #expect(copied.count == 300)
            #expect(copied.map(\.label) == rows.map(\.label))
            #expect(copied.map(\.scores) == rows.map(\.scores))
            #expect(copied.map(\.amount) == rows.map(\.amount))
            let found = try await nio.labelBatch([.init(label: "kind-b"), .init(label: "kind-missing")])
            #expect(found.map { $0?.id } == [first.id, nil])
            #expect(
                try await nio.relabelBatch([
                    .init(newLabel: "kind-c", label: "kind-b"), .init(newLabel: "x", label: "none"),
                ]) == [1, 0])
            let moods = try await nio.moodBatch([
                .init(mood: .happy, pattern: "kind-copy-1%"), .init(mood: .sad, pattern: "kind-c"),
            ])
            #expect(moods[1] == [first.id])
            #expect(moods[0].count == copied.filter { $0.label.hasPrefix("kind-copy-1") && $0.mood == .happy }.count)
            let deleted = try await nio.deleteSamples(pattern: "kind-%")
            #expect(deleted.tag == "DELETE 301")
            #expect(deleted.rowsAffected == 301)
        }
    }

    @Test("a batch and a transaction are all or none; a transaction's executor kept past its end is refused")
    func transactions() async throws {
        try await Self.server.withClient { client in
            let database = PostgresNIOExecutor(client)
            let nio = QueriesQueries(database)
            _ = try await nio.deleteSamples(pattern: "tx-%")
            let row = try await nio.insertSample(Self.empty("tx-1"))
            await #expect(throws: SQLGenError.self) {
                try await database.withTransaction { transaction in
                    _ = try await QueriesQueries(transaction).renameSample(label: "tx-renamed", id: row.id)
                    throw SQLGenError(.invalidParameter, message: "undo")
                }
            }
            #expect(try await nio.getSample(id: row.id)?.label == "tx-1")
            let kept = try await database.withTransaction(isolation: .serializable) { transaction in
                _ = try await QueriesQueries(transaction).renameSample(label: "tx-2", id: row.id)
                try? await transaction.withTransaction { inner in
                    _ = try await QueriesQueries(inner).renameSample(label: "tx-inner", id: row.id)
                    throw SQLGenError(.invalidParameter, message: "undo the savepoint")
                }
                return transaction
            }
            #expect(try await nio.getSample(id: row.id)?.label == "tx-2")
            await #expect(throws: SQLGenError.self) { _ = try await QueriesQueries(kept).getSample(id: row.id) }
            // The second statement fails (a label of NULL): the first one's update is undone too.
            let failing = [
                QueriesQueries.RelabelBatch(newLabel: "tx-batch", label: "tx-2"),
                QueriesQueries.RelabelBatch(newLabel: String(repeating: "x", count: 3) + "\u{0}", label: "tx-2"),
            ]
            await #expect(throws: SQLGenError.self) { _ = try await nio.relabelBatch(failing) }
            #expect(try await nio.getSample(id: row.id)?.label == "tx-2")
        }
    }

    @Test("statements that would leave state on a lent connection, or read another lease's, are refused")
    func sessionStateIsRefused() async throws {
        try await Self.server.withClient { client in
            let database = PostgresNIOExecutor(client)
            let refused: [(String, SQLGenError.Kind)] = [
                ("SET search_path = pg_catalog", .sessionStateBehindPooler),
                ("SELECT set_config('search_path', 'x', false)", .sessionStateBehindPooler),
                ("CREATE TEMP TABLE t (x int)", .sessionStateBehindPooler),
                ("PREPARE p AS SELECT 1", .sessionStateBehindPooler), ("LISTEN c", .sessionStateBehindPooler),
                ("SELECT pg_advisory_lock(1)", .sessionStateBehindPooler), ("SELECT lastval()", .sessionStateRead),
            ]
            for (sql, kind) in refused {
                let failed = await Self.failure { () async throws(SQLGenError) in
                    _ = try await database.execute(PlainStatement(sql))
                }
                #expect(failed == kind, "\(sql)")
            }
            let unrouted = await Self.failure { () async throws(SQLGenError) in
                _ = try await database.query(PlainStatement("SELECT 1", scope: .tenant))
            }
            #expect(unrouted == .tenantStatementNotRouted)
            // The server's errors keep their SQLSTATE.
            do throws(SQLGenError) {
                _ = try await database.query(PlainStatement("SELECT * FROM no_such_table"))
                Issue.record("a missing table was not an error")
            } catch {
                #expect(error.kind == .server)
                #expect(error.sqlState == "42P01")
            }
            // Nothing the refused statements asked for reached a connection.
            let path = try await database.query(PlainStatement("SELECT current_setting('search_path')"))
            #expect(path.first?.values == ["\"$user\", public"])
        }
    }
}
