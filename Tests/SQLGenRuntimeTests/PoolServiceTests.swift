import Logging
import ServiceLifecycle
import Testing

@testable import SQLGenRuntime

@Suite(.serialized) struct PoolServiceTests {
    @Test func asAServiceItKeepsMinIdleAndDrainsOnGracefulShutdown() async throws {
        var options = PoolOptions()
        options.minIdle = 2
        options.maintenanceInterval = .milliseconds(20)
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), options: options)
        let group = ServiceGroup(services: [pool], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        // The service opens the idle connections in the background; give it up to thirty seconds (on a
        // loaded 2-core machine, under the whole parallel suite, five were once not enough).
        let deadline = ContinuousClock.now + .seconds(30)
        while await pool.idleCount < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await pool.idleCount == 2)

        // Work in flight when shutdown starts still completes; then every connection is closed.
        let inFlight = Task { try await pool.queryFirst(SingleValue<String>("SELECT pg_sleep(0.3)::text")) }
        try await Task.sleep(for: .milliseconds(50))
        await group.triggerGracefulShutdown()
        #expect(try await inFlight.value == "")
        try await running.value
        #expect(await pool.connectionCount == 0)
        await #expect(throws: SQLGenError.self) { _ = try await pool.queryFirst(SingleValue<Int32>("SELECT 1")) }
    }

    @Test func idleConnectionsPastTheirTimeoutAreClosed() async throws {
        var options = PoolOptions()
        options.idleTimeout = .milliseconds(50)
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), options: options)
        _ = try await pool.queryFirst(SingleValue<Int32>("SELECT 1"))
        #expect(await pool.idleCount == 1)
        try await Task.sleep(for: .milliseconds(100))
        await pool.maintain()
        #expect(await pool.connectionCount == 0)
        await pool.close()
    }

    @Test func connectingToANonexistentServerFailsAfterRetryingWithinTheTimeout() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.parameters["host"] = "127.0.0.1"
        configuration.parameters["port"] = "1"
        var options = PoolOptions()
        options.acquireTimeout = .milliseconds(400)
        let pool = PostgresPool(configuration: configuration, options: options)
        let started = ContinuousClock.now
        do {
            _ = try await pool.queryFirst(SingleValue<Int32>("SELECT 1"))
            Issue.record("connected to port 1")
        } catch {
            #expect(error.kind == .connectionFailed)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed > .milliseconds(100))
        #expect(elapsed < .seconds(3))
        #expect(await pool.connectionCount == 0)
        await pool.close()
    }
}
