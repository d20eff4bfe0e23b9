import ServiceLifecycle

extension PostgresPool: Service {
    /// Runs the pool as a ServiceLifecycle service: keeps `minIdle` connections
    /// open and closes idle ones past their timeout until graceful shutdown (or
    /// cancellation), then stops lending connections, waits for the ones in use
    /// to come back, and closes them all.
    public nonisolated func run() async throws {
        let interval = options.maintenanceInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.maintain()
                try? await Task.sleep(for: interval)
            }
        }
        await drainAndClose()
    }
}
