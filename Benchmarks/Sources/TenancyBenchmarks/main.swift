import Foundation
import SQLGenRuntime

// The tenancy benchmark (scripts/bench-tenancy.sh drives it):
//   TenancyBenchmarks setup URL TENANTS ROWS         registry rows and schemas with ROWS accounts each
//   TenancyBenchmarks run URL random|single[-path] SECONDS TENANTS ROWS
//                                                    64 tasks, pool of 16, point selects through generated
//                                                    code for a Zipf-random or a single tenant: queries/s;
//                                                    -path: under the tenant's search path, names unqualified;
//                                                    READS_PER_ROUND_TRIP sets PoolOptions.readsPerRoundTrip,
//                                                    BATCHING_PATIENCE_MS PoolOptions.batchingPatience;
//                                                    SHOW_POOL=1 reports the connections opened on stderr
//   TenancyBenchmarks provision URL COUNT MIGRATIONS tenants created from the CRM template: tenants/s
//   TenancyBenchmarks memory URL COUNT               the runtime's registry cache and one server backend
//                                                    after touching COUNT tenants (setup's): KiB each
//   TenancyBenchmarks move URL SECOND_URL ROWS       a tenant of ROWS rows moved to a second server: ms

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: TenancyBenchmarks setup|run|provision|scale|grant-roles URL ...") }
let configuration: PostgresConfiguration
do {
    configuration = try PostgresConfiguration(url: arguments[2])
} catch {
    fail("\(error)")
}

/// The tenant roles of the second wall, in the benchmark's database.
let benchRoles = TenantRoles(prefix: "bench_")

func tenantPool(maxConnections: Int, qualifiesTenantNames: Bool = true, walled: Bool = false) throws -> TenantPool {
    var options = PoolOptions()
    options.maxConnections = maxConnections
    options.acquireTimeout = .seconds(60)
    if let reads = ProcessInfo.processInfo.environment["READS_PER_ROUND_TRIP"].flatMap(Int.init) {
        options.readsPerRoundTrip = reads
    }
    if let milliseconds = ProcessInfo.processInfo.environment["BATCHING_PATIENCE_MS"].flatMap(Int.init) {
        options.batchingPatience = .milliseconds(milliseconds)
    }
    var tenancy = TenancyOptions()
    tenancy.qualifiesTenantNames = qualifiesTenantNames
    if walled { tenancy.tenantRoles = benchRoles }
    return try TenantPool(configuration: configuration, poolOptions: options, tenancy: tenancy)
}

/// A fast seeded generator (SplitMix64), as pgbench uses its own: the system generator costs a
/// `getrandom` call per number, which would be counted against the runtime.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Zipf-distributed indices in 0..<count (exponent 1), by inverse transform over the cumulative weights.
struct Zipf {
    let cumulative: [Double]

    init(count: Int) {
        var total = 0.0
        var cumulative: [Double] = []
        for rank in 1...count {
            total += 1.0 / Double(rank)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    func next(using generator: inout some RandomNumberGenerator) -> Int {
        let target = Double.random(in: 0..<1, using: &generator)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The benchmark's tenant template: one table of `rows` accounts.
func accountsMigration(rows: Int) -> TenantMigration {
    TenantMigration(
        version: 1, name: "accounts",
        sql: """
            CREATE SCHEMA tenant_template;
            CREATE TABLE tenant_template.accounts (id integer PRIMARY KEY, name text NOT NULL, balance bigint NOT NULL);
            INSERT INTO tenant_template.accounts SELECT n, 'account ' || n, n * 10 FROM generate_series(1, \(rows)) n;
            """)
}

func setup(tenants: Int, rows: Int) async throws {
    let database = try tenantPool(maxConnections: 4)
    let accounts = accountsMigration(rows: rows)
    let provisioner = TenantProvisioner(tenantPool: database, migrations: [accounts])
    try await createTenants(provisioner, count: tenants, prefix: "bench")
    await database.close()
}

/// Creates `count` tenants four at a time; returns the seconds it took.
@discardableResult
func createTenants(_ provisioner: TenantProvisioner, count: Int, prefix: String) async throws -> Double {
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<4 {
            group.addTask {
                for index in stride(from: worker, to: count, by: 4) {
                    try await provisioner.createTenant(name: "\(prefix) \(index)", subdomain: "\(prefix)\(index)")
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Seconds since `started`.
func seconds(since started: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// `count` tenants of a one-table template: tenants created per second, then `migrateAll` with
/// nothing to apply (seconds), then a real migration of every tenant (seconds), one line each.
func scale(count: Int, parallelism: Int) async throws {
    let database = try tenantPool(maxConnections: parallelism + 2)
    let first = TenantMigration(
        version: 1, name: "notes",
        sql: """
            CREATE SCHEMA tenant_template;
            CREATE TABLE tenant_template.notes (id bigserial PRIMARY KEY, body text NOT NULL);
            """)
    let second = TenantMigration(
        version: 2, name: "notes_created",
        sql: "ALTER TABLE tenant_template.notes ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();")
    let created = try await createTenants(
        TenantProvisioner(tenantPool: database, migrations: [first]), count: count, prefix: "scale")
    print("scale_provision \(Int(Double(count) / created))")
    let upToDate = TenantProvisioner(tenantPool: database, migrations: [first])
    var started = ContinuousClock.now
    let unchanged = try await upToDate.migrateAll(parallelism: parallelism)
    print("scale_noop_ms \(Int(seconds(since: started) * 1000))")
    guard unchanged.count == count, unchanged.allSatisfy({ $0.applied.isEmpty && $0.failure == nil }) else {
        fail("migrateAll with nothing to apply did something: \(unchanged.filter { !$0.applied.isEmpty }.count)")
    }
    started = ContinuousClock.now
    let migrated = try await TenantProvisioner(tenantPool: database, migrations: [first, second])
        .migrateAll(parallelism: parallelism)
    print("scale_migrate_ms \(Int(seconds(since: started) * 1000))")
    guard migrated.allSatisfy({ $0.applied == [2] }) else {
        fail("\(migrated.filter { $0.applied != [2] }.count) tenants were not migrated")
    }
    await database.close()
}

func run(random: Bool, qualified: Bool, walled: Bool = false, seconds: Int, tenants count: Int, rows: Int)
    async throws -> Int
{
    let database = try tenantPool(maxConnections: 16, qualifiesTenantNames: qualified, walled: walled)
    var resolved: [RegisteredTenant] = []
    for index in 0..<count { resolved.append(try await database.registry.tenant(subdomain: "bench\(index)")) }
    let tenants = resolved
    let zipf = Zipf(count: count)
    let queries = AccountsQueries(database)
    // Warm up: the same load for a third of the measured time, unmeasured (connections open, server caches filled).
    _ = try await load(queries, tenants: tenants, random: random, zipf: zipf, rows: rows, for: max(1, seconds / 3))
    let total = try await load(queries, tenants: tenants, random: random, zipf: zipf, rows: rows, for: seconds)
    if ProcessInfo.processInfo.environment["SHOW_POOL"] != nil {
        let open = await database.connectionCount
        let sentAlong = await database.readsSentAlong
        FileHandle.standardError.write(Data("connections \(open), reads sent along \(sentAlong)\n".utf8))
    }
    await database.close()
    return total / seconds
}

/// 64 tasks issuing point selects until `seconds` have passed; returns how many completed.
func load(
    _ queries: AccountsQueries, tenants: [RegisteredTenant], random: Bool, zipf: Zipf, rows: Int, for seconds: Int
) async throws -> Int {
    let deadline = ContinuousClock.now + .seconds(seconds)
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<64 {
            group.addTask {
                var generator = SplitMix64(state: UInt64.random(in: 0...UInt64.max))
                var done = 0
                while ContinuousClock.now < deadline {
                    let tenant = random ? tenants[zipf.next(using: &generator)] : tenants[0]
                    let id = Int32.random(in: 1...Int32(rows), using: &generator)
                    let row = try await withTenant(tenant) { try await queries.getAccount(id: id) }
                    guard row?.id == id else { fail("account \(id) of \(tenant.subdomain) is missing") }
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
    return total
}

/// The same load on pgbench's table through the plain pool: the runtime's cost without tenancy.
func plain(seconds: Int) async throws -> Int {
    var options = PoolOptions()
    options.maxConnections = 16
    let pool = PostgresPool(configuration: configuration, options: options)
    let deadline = ContinuousClock.now + .seconds(seconds)
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<64 {
            group.addTask {
                var done = 0
                while ContinuousClock.now < deadline {
                    var bindings = SQLBindings()
                    bindings.append(Int32.random(in: 1...1_000_000))
                    _ = try await pool.queryFirst(
                        PlainStatement("SELECT abalance FROM pgbench_accounts WHERE aid = $1", bindings: bindings))
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
    await pool.close()
    return total / seconds
}

/// The process's resident memory, in KiB (`/proc/self/statm`).
func residentKiB() -> Int {
    let statm: String
    do {
        statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
    } catch {
        fail("/proc/self/statm: \(error)")
    }
    guard let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
        fail("/proc/self/statm: \(statm)")
    }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

/// The memory of the backend of a pool's one connection, in KiB (`pg_backend_memory_contexts`).
struct BackendMemory: SQLStatement {
    typealias Row = Int64
    static var name: String { "BackendMemory" }
    static var sql: String { "SELECT (sum(total_bytes) / 1024)::bigint FROM pg_backend_memory_contexts" }
    static var scope: StatementScope { .global }
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Int64 { try row.decode(0, name: "kib") }
}

/// Looks up `count` tenants and reads one account of each on a pool of one connection: the growth
/// of this process's memory (the registry cache and routes) and of that connection's backend (its
/// catalog caches and prepared statements), one line each.
func memory(count: Int) async throws {
    let database = try tenantPool(maxConnections: 1)
    let queries = AccountsQueries(database)
    let first = try await database.registry.tenant(subdomain: "bench0")
    _ = try await withTenant(first) { try await queries.getAccount(id: 1) }
    let backendBefore = try await database.queryFirst(BackendMemory()) ?? 0
    let processBefore = residentKiB()
    for index in 0..<count {
        let tenant = try await database.registry.tenant(subdomain: "bench\(index)")
        guard try await withTenant(tenant, { try await queries.getAccount(id: 1) }) != nil else {
            fail("account 1 of bench\(index) is missing")
        }
    }
    let processAfter = residentKiB()
    let backendAfter = try await database.queryFirst(BackendMemory()) ?? 0
    print("memory_process_kib_\(count) \(processAfter - processBefore)")
    print("memory_backend_kib_\(count) \(backendAfter - backendBefore)")
    await database.close()
}

/// Creates a tenant with `rows` accounts on the first server and moves it to the second; prints the
/// move's time and its write freeze in milliseconds.
func move(second: PostgresConfiguration, rows: Int) async throws {
    var poolOptions = PoolOptions()
    poolOptions.maxConnections = 4
    var tenancy = TenancyOptions()
    tenancy.placements = ["second": second]
    let database = try TenantPool(configuration: configuration, poolOptions: poolOptions, tenancy: tenancy)
    let accounts = accountsMigration(rows: rows)
    let provisioner = TenantProvisioner(tenantPool: database, migrations: [accounts])
    let tenant = try await provisioner.createTenant(name: "Moving", subdomain: "moving\(rows)")
    let started = ContinuousClock.now
    let moved = try await provisioner.moveTenant(id: tenant.id, to: "second")
    let total = seconds(since: started)
    let freeze = Double(moved.writeFreeze.components.seconds) + Double(moved.writeFreeze.components.attoseconds) / 1e18
    print("move_ms_\(rows) \(Int(total * 1000))")
    print("move_freeze_ms_\(rows) \(Int(freeze * 1000))")
    await database.close()
}

do {
    switch arguments[1] {
    case "setup" where arguments.count == 5:
        try await setup(tenants: Int(arguments[3]) ?? 1000, rows: Int(arguments[4]) ?? 1000)
    case "run" where arguments.count == 7:
        let rate = try await run(
            random: arguments[3].hasPrefix("random"), qualified: !arguments[3].hasSuffix("-path"),
            walled: arguments[3].hasSuffix("-wall"), seconds: Int(arguments[4]) ?? 5,
            tenants: Int(arguments[5]) ?? 1000,
            rows: Int(arguments[6]) ?? 1000)
        print(rate)
    case "grant-roles" where arguments.count == 3:
        let database = try tenantPool(maxConnections: 4, walled: true)
        let granted = try await TenantProvisioner(tenantPool: database, migrations: []).grantTenantRoles()
        await database.close()
        print(granted)
    case "scale" where arguments.count == 5:
        try await scale(count: Int(arguments[3]) ?? 10_000, parallelism: Int(arguments[4]) ?? 4)
    case "memory" where arguments.count == 4:
        try await memory(count: Int(arguments[3]) ?? 1000)
    case "move" where arguments.count == 5:
        try await move(second: try PostgresConfiguration(url: arguments[3]), rows: Int(arguments[4]) ?? 100_000)
    case "plain" where arguments.count == 4:
        print(try await plain(seconds: Int(arguments[3]) ?? 5))
    case "provision" where arguments.count == 5:
        let database = try tenantPool(maxConnections: 4)
        let migrations = try TenantMigration.load(
            directory: URL(fileURLWithPath: arguments[4]), templateSchema: "tenant_template")
        let count = Int(arguments[3]) ?? 100
        let elapsed = try await createTenants(
            TenantProvisioner(tenantPool: database, migrations: migrations), count: count, prefix: "crm")
        await database.close()
        print(Int(Double(count) / elapsed))
    default:
        fail("usage: TenancyBenchmarks setup|run|provision|scale|grant-roles URL ...")
    }
} catch {
    fail("\(error)")
}
