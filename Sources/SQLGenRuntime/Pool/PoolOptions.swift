import Foundation
import Tracing

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
    /// The longest delay between connect attempts.
    public var maxReconnectDelay: Duration = .seconds(2)
    /// The most connections one tenant may hold at once through a ``TenantPool`` (nil: no limit but the pool's).
    public var maxConnectionsPerTenant: Int?
    /// How long a task may wait for the connection the pool prefers for it, while it could be served
    /// otherwise: one warm for its tenant (its home connection, or one that served the tenant before)
    /// rather than an idle cold one, or, for a read that can be sent along with others, a connection lent
    /// out rather than a new one. Each tenant has a home connection, so each server process prepares
    /// statements and caches tables for a share of the tenants only; and fewer connections each sending
    /// more reads per round trip do more on a busy server than many sending few. A connection lent out
    /// longer than this counts as held by something slow, and is not waited for.
    public var affinityPatience: Duration = .milliseconds(50)
    /// Up to this many tenant reads with qualified names (``SQLStatement/tenantNameOffsets``) go to the
    /// server in one round trip when tasks wait for connections: the task lent a connection sends the
    /// reads of waiting tasks with its own, ended by one Sync; reads the server skips after another's
    /// error are sent again at once, so each succeeds or fails alone. A read sent along this way is not
    /// cancelled on the server when its task is. 1 turns this off.
    public var readsPerRoundTrip: Int = 8
    /// A connection lent out within this long counts as coming back soon: a task waits for it, if it is
    /// warm for the task's tenant, rather than take a cold idle one. A read that can be sent along with
    /// others waits for the connections lent out (within ``affinityPatience``) instead of opening one
    /// (below ``maxConnections``) while they can take the waiting reads in their next two round trips;
    /// the first task in line is looked at again each time this long has passed, and gets a connection
    /// of its own once they cannot.
    public var batchingPatience: Duration = .milliseconds(5)
    /// The tracer of the spans of the pool's statements and acquires (see ``SQLTracing``); nil: the
    /// tracer `InstrumentationSystem` has when each span starts (the no-op tracer unless one was
    /// bootstrapped or bound with `withTracer`).
    public var tracer: (any Tracer)?

    /// The defaults.
    public init() {}
}
