import Metrics
import MetricsTestKit
import Testing

@testable import SQLGenRuntime

/// The metrics system can be bootstrapped once per process: this does it for the tests that read metrics.
enum SharedTestMetrics {
    static let metrics: TestMetrics = {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()
}

@Suite(.serialized) struct ObservabilityTests {
    @Test func queriesRecordDurationsByNameAndErrorsBySQLStateClass() async throws {
        let metrics = SharedTestMetrics.metrics
        let connection = try await TestDatabase.connect()
        for _ in 0..<3 { _ = try await connection.queryFirst(SingleValue<Int32>("SELECT 1")) }
        await #expect(throws: SQLGenError.self) {
            _ = try await connection.query(SingleValue<Int32>("SELECT no_such_column"))
        }
        let timer = try metrics.expectTimer("sqlgen_query_duration", [("statement", "SingleValue")])
        #expect(timer.values.count >= 4)
        #expect(timer.values.allSatisfy { $0 > 0 })
        let errors = try metrics.expectCounter("sqlgen_query_errors", [("sqlstate_class", "42")])
        #expect(errors.totalValue >= 1)
        await connection.close()
    }

    @Test func thePoolPublishesItsSize() async throws {
        let metrics = SharedTestMetrics.metrics
        let pool = PostgresPool(configuration: try TestDatabase.configuration())
        _ = try await pool.queryFirst(SingleValue<Int32>("SELECT 1"))
        let connections = try metrics.expectGauge("sqlgen_pool_connections")
        #expect(connections.lastValue == 1)
        let acquireWait = try metrics.expectTimer("sqlgen_pool_acquire_wait")
        #expect(!acquireWait.values.isEmpty)
        await pool.close()
    }
}
