import ServiceLifecycle

extension TenantPool: Service {
    /// Runs the tenant pool as a ServiceLifecycle service: its connections are kept and closed as
    /// ``PostgresPool/run()`` keeps them, and drained on graceful shutdown.
    public func run() async throws {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await self.pool.run() }
                for placed in placedPools.values { group.addTask { try await placed.run() } }
            }
        } catch {
            await registry.close()
            throw error
        }
        await registry.close()
    }
}
