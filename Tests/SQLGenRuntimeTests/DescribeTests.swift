import Testing

@testable import SQLGenRuntime

/// `PostgresSession.describe`: what the server infers for a statement, without running it.
@Suite(.serialized) struct DescribeTests {
    @Test func describeReportsInferredParameterAndColumnTypes() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.simpleQuery(
            "DROP TABLE IF EXISTS describe_items; CREATE TABLE describe_items (id bigint PRIMARY KEY, label varchar(20), tags text[])"
        )
        let description = try await connection.describe(
            "INSERT INTO describe_items VALUES ($1, $2) RETURNING id, label, tags, id > $3 AS large")
        // int8, varchar, int8 (the comparison's other side); int8, varchar, text[], bool.
        #expect(description.parameterTypeOIDs == [20, 1043, 20])
        #expect(description.columns.map(\.name) == ["id", "label", "tags", "large"])
        #expect(description.columns.map(\.typeOID) == [20, 1043, 1009, 16])
        // Nothing ran.
        #expect(try await connection.queryFirst(SingleValue<Int64>("SELECT count(*) FROM describe_items")) == 0)
        let utility = try await connection.describe("TRUNCATE describe_items")
        #expect(utility.parameterTypeOIDs.isEmpty && utility.columns.isEmpty)
        await connection.close()
    }

    @Test func describeThrowsTheServersErrorAndTheConnectionStaysUsable() async throws {
        let connection = try await TestDatabase.connect()
        do {
            _ = try await connection.describe("SELECT missing_column FROM pg_class")
            Issue.record("an unknown column was described")
        } catch {
            #expect(error.kind == .server)
            #expect(error.sqlState == "42703")
            #expect(error.position == 8)
        }
        do {
            _ = try await connection.describe("SELECT 1\0; DROP TABLE pg_class")
            Issue.record("SQL holding NUL was sent")
        } catch {
            #expect(error.kind == .invalidParameter)
        }
        #expect(await connection.transactionStatus == .idle)
        #expect(try await connection.queryFirst(SingleValue<Int32>("SELECT 2")) == 2)
        await connection.close()
    }
}
