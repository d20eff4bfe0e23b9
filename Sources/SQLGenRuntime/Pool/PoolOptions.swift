import Foundation

/// Limits and timings of a ``PostgresPool``.
public struct PoolOptions: Sendable {
    /// The most connections open at once.
    public var maxConnections: Int = 10
    /// How long an acquire waits for a connection before failing.
    public var acquireTimeout: Duration = .seconds(10)
    /// An idle connection older than this is closed rather than reused.
    public var maxLifetime: Duration = .seconds(30 * 60)
    /// An idle connection unused for this long is checked with a round trip before reuse.
    public var healthCheckAfterIdle: Duration = .seconds(30)
    /// Connections kept open while idle (when the pool runs as a service).
    public var minIdle: Int = 0
    /// Idle connections beyond `minIdle` unused for this long are closed (when the pool runs as a service).
    public var idleTimeout: Duration = .seconds(5 * 60)
    /// How often the service checks idle connections.
    public var maintenanceInterval: Duration = .seconds(1)
    /// The first delay before retrying a failed connect; it doubles, with jitter, up to `maxReconnectDelay`.
    public var reconnectDelay: Duration = .milliseconds(50)
    public var maxReconnectDelay: Duration = .seconds(2)
    /// The most connections one tenant may hold at once through a ``TenantPool`` (nil: no limit but the pool's).
    public var maxConnectionsPerTenant: Int?
    /// How long a tenant's task waits for a connection that is warm for its tenant (its home connection,
    /// or one that served the tenant before) while other connections are free or the first in line may be
    /// passed over. Each tenant has a home connection, so each server process prepares statements and
    /// caches tables for a share of the tenants only; after this long, any connection serves the task.
    public var affinityPatience: Duration = .milliseconds(50)
    /// Up to this many tenant reads with qualified names (``SQLStatement/tenantNameOffsets``) go to the
    /// server in one round trip when tasks wait for connections: the task lent a connection sends the
    /// reads of waiting tasks with its own, ended by one Sync; reads the server skips after another's
    /// error are sent again at once, so each succeeds or fails alone. A read sent along this way is not
    /// cancelled on the server when its task is. 1 turns this off.
    public var readsPerRoundTrip: Int = 8
    /// How long a read that can be sent along with others waits for a connection that is lent out before
    /// the pool opens another (below ``maxConnections``). While the connections lent out can take the
    /// waiting reads in their next two round trips, a new read waits for one of them instead of opening
    /// a connection: on a busy server, fewer connections each sending more reads per round trip do more
    /// work than many sending few. A connection lent out for longer than this counts as held by
    /// something slow: it is not waited for.
    public var batchingPatience: Duration = .milliseconds(5)

    public init() {}
}
