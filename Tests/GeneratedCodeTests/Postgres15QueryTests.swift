import Foundation
import SQLGenRuntime
import Testing

/// The code sqlgen generates for the postgres15 corpus, run against the throwaway server: procedure
/// calls with INOUT and OUT parameters, named arguments, zero-column rows, system columns and
/// sequences read as relations come back through the generated functions as PostgreSQL returns them.
@Suite(.serialized) struct Postgres15QueryTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../SQLGenCoreTests/Fixtures/queries/postgres15/schema.sql").standardizedFileURL.path

    /// A fresh database with the corpus schema and two teams: team 1 has two open tickets and a
    /// closed one, team 2 none.
    static func database(_ name: String) async throws -> PostgresSession {
        let connection = try await GeneratedCodeTests.database(name, schema: schemaPath)
        try await connection.simpleQuery(
            """
            INSERT INTO teams (id, name) VALUES (1, 'Core'), (2, 'Edge');
            INSERT INTO tickets (id, team_id, title, score, closed_at) VALUES
                (1, 1, 'a', 1.5, NULL), (2, 1, 'b', NULL, NULL), (3, 1, 'c', 2, now());
            """)
        return connection
    }

    @Test func proceduresReturnTheirInOutAndOutParameters() async throws {
        let connection = try await Self.database("pg15_procedures")
        defer { Task { await connection.close() } }
        let calls = CallsQueries(connection)
        #expect(try await calls.callInOut(team: 1) == 2)
        #expect(try await calls.callInOutNamed(team: 2) == 0)
        let summary = try await calls.callOutParameters(team: 1)
        #expect(summary.opened == 3)
        #expect(summary.closed == 1)
        try await calls.callClose(ticket: 2)
        #expect(try await calls.callInOut(team: 1) == 1)
        #expect(try await calls.callCloseMacro(ticketID: 1, closedAt: nil) == 0)
        try await calls.callVariadic(ids: 1, ids2: 3)
        #expect(Set(try await MiscQueries(connection).arrayElementCompare(p1: 1, p2: "urgent")) == [1, 3])
    }

    @Test func namedArgumentsReachTheirParameters() async throws {
        let connection = try await Self.database("pg15_named_arguments")
        defer { Task { await connection.close() } }
        let calls = CallsQueries(connection)
        // weighted(score => 2.0, bonus => $1) is 2.0 * 1.0 + bonus.
        #expect(try await calls.weightedByName(bonus: 5)?.w == 7)
        // weighted(bonus => $1, weight => $2, score => $3) is score * weight + bonus.
        #expect(try await calls.weightedNamedOutOfOrder(bonus: 1, weight: 3, score: 2)?.w == 7)
        #expect(try await calls.variadicExpanded(items: 4)?.t == 7)
        #expect(try await calls.variadicNamed(items: [1, 2, 3])?.t == 6)
        #expect(
            try await calls.builtinNamedInterval(days: 1, hours: 2)
                == SQLInterval(months: 0, days: 1, microseconds: 7_200_000_000))
    }

    @Test func zeroColumnRowsAreCountedAndSystemColumnsRead() async throws {
        let connection = try await Self.database("pg15_zero_columns")
        defer { Task { await connection.close() } }
        let misc = MiscQueries(connection)
        #expect(try await misc.zeroColumns(teamID: 1).count == 3)
        #expect(try await misc.zeroColumns(teamID: 2).isEmpty)
        #expect(try await misc.zeroColumnsOne(id: 2) != nil)
        #expect(try await misc.zeroColumnsOne(id: 9) == nil)
        let system = SystemQueries(connection)
        #expect(try await system.upsertReportsInserted(id: 3, name: "New").inserted)
        #expect(try await system.upsertReportsInserted(id: 3, name: "Renamed").inserted == false)
        let sequence = try await system.sequenceRelation()
        #expect(sequence?.lastValue == 1002)
        #expect(sequence?.isCalled == true)
    }

    @Test func systemColumnsAndObjectIdentifiersHaveSwiftTypes() async throws {
        let connection = try await Self.database("pg15_system_types")
        defer { Task { await connection.close() } }
        let system = SystemQueries(connection)
        let rows = try await system.tupleIdentity()
        #expect(rows.count == 3)
        let first = try #require(rows.first)
        let ctid: SQLTupleID = first.ctid
        let xmin: UInt32 = first.xmin
        #expect(ctid.offset >= 1)
        #expect(xmin > 0)
        #expect(Set(rows.map(\.ctid)).count == 3)
        let names: [String] = try await system.tableOidAsName().map(\.relation)
        #expect(names == ["tickets", "tickets", "tickets"])
        try await connection.simpleQuery("INSERT INTO comments (ticket_id, body) VALUES (1, 'x')")
        let joined = try await system.outerJoinedSystemColumn()
        let comment = try #require(joined.compactMap(\.ctid).first)
        #expect(joined.filter { $0.ctid == nil }.count == 2)
        #expect(try await system.deleteByCtid(ctid: comment) == 1)
        #expect(try await system.deleteByCtid(ctid: comment) == 0)
        #expect(throws: SQLDecodingFailure.self) { try SQLTupleID.decode(sqlText: "(1,70000)") }
    }
}
