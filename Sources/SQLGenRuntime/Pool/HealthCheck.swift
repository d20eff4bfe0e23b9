/// What a readiness endpoint reports: the server's version, one round trip's time, and the pool's state.
public struct HealthReport: Sendable, Hashable {
    /// `server_version` as the server reports it (`15.18 (Debian 15.18-0+deb12u1)`).
    public var serverVersion: String
    /// The time of a `SELECT` round trip on a pooled connection.
    public var roundTrip: Duration
    /// Connections open (in use or idle).
    public var connections: Int
    /// Connections idle.
    public var idle: Int
    /// Tasks waiting for a connection.
    public var waiters: Int
}

/// `SHOW server_version` as a statement.
struct ServerVersionStatement: SQLStatement {
    typealias Row = String
    static let name = "HealthCheck"
    static let sql = "SELECT current_setting('server_version')"
    static let scope = StatementScope.unscoped

    func bind(to bindings: inout SQLBindings) {}

    static func decode(_ row: SQLRow) throws(SQLGenError) -> String {
        try row.decode(0, as: String.self, name: "server_version")
    }
}

extension PostgresPool {
    /// Checks the database through the pool: for a readiness endpoint.
    public nonisolated func healthCheck() async throws(SQLGenError) -> HealthReport {
        let clock = ContinuousClock()
        let start = clock.now
        let version = try await queryFirst(ServerVersionStatement()) ?? "unknown"
        let roundTrip = clock.now - start
        return HealthReport(
            serverVersion: version, roundTrip: roundTrip, connections: await connectionCount, idle: await idleCount,
            waiters: await waiterCount)
    }
}
