import Foundation
import Logging
import PostgresNIO
import SQLGenPostgresNIO
import SQLGenRuntime

/// A point select's row, as sqlgen generates it: it decodes itself, one column per statement.
struct PointSelectRow: Sendable, SQLRowDecodable {
    var id: Int32
    var name: String
    var price: Decimal
    var createdAt: Date

    init(decoding row: SQLRow) throws(SQLGenError) {
        self.id = try row.decode(0, name: "id")
        self.name = try row.decode(1, name: "name")
        self.price = try row.decode(2, name: "price")
        self.createdAt = try row.decode(3, name: "created_at")
    }
}

/// A point select by primary key, as sqlgen generates it: a `QueryStatement` built by the query's function.
func pointSelect(id: Int32) -> QueryStatement<PointSelectRow, Int32> {
    QueryStatement(
        name: "PointSelect", scope: .unscoped, row: PointSelectRow.self, values: id,
        sql: "SELECT id, name, price, created_at FROM bench_items WHERE id = $1")
}

/// The same point select as a statement type of its own, as sqlgen generated it before `QueryStatement`.
struct PointSelect: SQLStatement {
    struct Row: Sendable {
        var id: Int32
        var name: String
        var price: Decimal
        var createdAt: Date
    }
    static let name = "PointSelect"
    static let sql = "SELECT id, name, price, created_at FROM bench_items WHERE id = $1"
    static let scope = StatementScope.unscoped
    var id: Int32

    func bind(to bindings: inout SQLBindings) { bindings.append(id) }

    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        Row(
            id: try row.decode(0, as: Int32.self, name: "id"), name: try row.decode(1, as: String.self, name: "name"),
            price: try row.decode(2, as: Decimal.self, name: "price"),
            createdAt: try row.decode(3, as: Date.self, name: "created_at"))
    }
}

/// The same statement for PostgresNIO.
struct NIOPointSelect: PostgresPreparedStatement {
    static let sql = "SELECT id, name, price, created_at FROM bench_items WHERE id = $1"
    typealias Row = (Int32, String, Decimal, Date)
    var id: Int32

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// A row of eight mixed columns, the model the decode benchmark fills.
struct WideItem: Sendable {
    var id: Int32
    var name: String
    var price: Decimal
    var createdAt: Date
    var active: Bool
    var quantity: Int64
    var score: Double
    var code: UUID
}

extension WideItem: SQLRowDecodable {
    /// Decodes a row as generated code does: one `decode(_:name:)` per column, each a generic of one type.
    init(decoding row: SQLRow) throws(SQLGenError) {
        self.id = try row.decode(0, name: "id")
        self.name = try row.decode(1, name: "name")
        self.price = try row.decode(2, name: "price")
        self.createdAt = try row.decode(3, name: "created_at")
        self.active = try row.decode(4, name: "active")
        self.quantity = try row.decode(5, name: "quantity")
        self.score = try row.decode(6, name: "score")
        self.code = try row.decode(7, name: "code")
    }
}

/// Every row of the eight-column table, decoded as generated code decodes them.
struct AllWideItems: SQLStatement {
    typealias Row = WideItem
    static let name = "AllWideItems"
    static let sql = "SELECT id, name, price, created_at, active, quantity, score, code FROM bench_wide"
    static let scope = StatementScope.unscoped
    func bind(to bindings: inout SQLBindings) {}
}

/// The same rows decoded with one `decodeColumns` call per row, as generated code did before it
/// moved to one call per column (which compiles to about half the code).
struct AllWideItemsOneCall: SQLStatement {
    typealias Row = WideItem
    static let name = "AllWideItemsOneCall"
    static let sql = AllWideItems.sql
    static let scope = StatementScope.unscoped
    func bind(to bindings: inout SQLBindings) {}
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row {
        let columns = try row.decodeColumns(
            Int32.self, String.self, Decimal.self, Date.self, Bool.self, Int64.self, Double.self, UUID.self)
        return WideItem(
            id: columns.0, name: columns.1, price: columns.2, createdAt: columns.3, active: columns.4,
            quantity: columns.5, score: columns.6, code: columns.7)
    }
}

/// One row for the copy and batch benchmarks, as a `:copyfrom` query generates it.
struct InsertItem: SQLCopyStatement {
    typealias Row = SQLNoRow
    static let name = "InsertItem"
    static let sql = "INSERT INTO bench_copy (id, name, price, created_at) VALUES ($1, $2, $3, $4)"
    static let scope = StatementScope.unscoped
    static let copyTable = "bench_copy"
    static let copyColumns = ["id", "name", "price", "created_at"]
    var id: Int32
    var name: String
    var price: Decimal
    var createdAt: Date

    func bind(to bindings: inout SQLBindings) {
        bindings.append(id)
        bindings.append(name)
        bindings.append(price)
        bindings.append(createdAt)
    }

    static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLNoRow { SQLNoRow() }
}

/// Milliseconds since `start`.
func milliseconds(since start: ContinuousClock.Instant) -> Int {
    let elapsed = ContinuousClock.now - start
    return Int(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
}

func items(_ count: Int) -> [InsertItem] {
    (1...count).map {
        InsertItem(
            id: Int32($0), name: "item \($0)", price: Decimal($0) / 4,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000 + Double($0)))
    }
}

/// Queries per second over `seconds`.
func perSecond(_ queries: Int, since start: ContinuousClock.Instant) -> Int {
    let elapsed = ContinuousClock.now - start
    return Int(Double(queries) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
}

// The measured loops are nonisolated functions, as a server's request handlers are: top-level code
// runs on the main actor, and every await from there hops back to the main thread.

/// Point selects per second through the API generated code uses, one connection, sequential; with
/// `statementType`, through a statement type of its own instead of a `QueryStatement`.
func sqlgenPointSelects(url: String, queries: Int, rows: Int32, statementType: Bool = false) async throws -> Int {
    let connection = try await PostgresSession.connect(PostgresConfiguration(url: url))
    let start = ContinuousClock.now
    for index in 0..<queries {
        let id = Int32(index) % rows + 1
        if statementType {
            guard try await connection.queryFirst(PointSelect(id: id)) != nil else { exit(1) }
        } else {
            guard try await connection.queryFirst(pointSelect(id: id)) != nil else { exit(1) }
        }
    }
    let result = perSecond(queries, since: start)
    await connection.close()
    return result
}

/// Runs `body` on one connection leased from a running PostgresNIO client on the same unix socket the
/// others use (PGHOST, a folder, and PGPORT name it).
func withNIOConnection(
    _ body: @escaping @Sendable (PostgresNIO.PostgresConnection, Logger) async throws -> Int
) async throws -> Int {
    let environment = ProcessInfo.processInfo.environment
    let socket = "\(environment["PGHOST"] ?? "/tmp")/.s.PGSQL.\(environment["PGPORT"] ?? "5432")"
    let configuration = PostgresClient.Configuration(
        unixSocketPath: socket, username: environment["PGUSER"] ?? "postgres", password: nil,
        database: environment["PGDATABASE"] ?? "postgres")
    let logger = Logger(label: "bench")
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Int.self) { group in
        group.addTask {
            await client.run()
            return 0
        }
        let result = try await client.withConnection { connection in try await body(connection, logger) }
        group.cancelAll()
        return result
    }
}

/// Point selects per second through PostgresNIO with a prepared statement on one leased connection.
func nioPointSelects(queries: Int, rows: Int32) async throws -> Int {
    try await withNIOConnection { connection, logger in
        let start = ContinuousClock.now
        for index in 0..<queries {
            var found = false
            for try await _ in try await connection.execute(NIOPointSelect(id: Int32(index) % rows + 1), logger: logger)
            {
                found = true
            }
            guard found else { exit(1) }
        }
        return perSecond(queries, since: start)
    }
}

/// Milliseconds to insert `rows` through PostgresNIO as multi-row INSERTs of 1,000 rows each (4,000 bound
/// values a statement), the usual way to load rows with it.
func nioMultiRowInsert(_ rows: [InsertItem]) async throws -> Int {
    try await withNIOConnection { connection, logger in
        _ = try await connection.query("TRUNCATE bench_copy", logger: logger)
        let start = ContinuousClock.now
        for chunkStart in stride(from: 0, to: rows.count, by: 1_000) {
            let chunk = rows[chunkStart..<min(chunkStart + 1_000, rows.count)]
            var bindings = PostgresBindings(capacity: chunk.count * 4)
            var placeholders: [String] = []
            for (index, row) in chunk.enumerated() {
                let first = index * 4
                placeholders.append("($\(first + 1), $\(first + 2), $\(first + 3), $\(first + 4))")
                bindings.append(row.id)
                bindings.append(row.name)
                try bindings.append(row.price)
                bindings.append(row.createdAt)
            }
            let sql =
                "INSERT INTO bench_copy (id, name, price, created_at) VALUES " + placeholders.joined(separator: ", ")
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        }
        return milliseconds(since: start)
    }
}

/// Milliseconds to fetch every row of bench_wide and decode it into `WideItem`s, through SQLGenRuntime
/// (with one `decodeColumns` call per row with `oneCall`).
func sqlgenDecode(url: String, rows: Int, oneCall: Bool = false) async throws -> Int {
    let connection = try await PostgresSession.connect(PostgresConfiguration(url: url))
    let start = ContinuousClock.now
    let count =
        oneCall
        ? try await connection.query(AllWideItemsOneCall()).count : try await connection.query(AllWideItems()).count
    guard count == rows else { exit(1) }
    let result = milliseconds(since: start)
    await connection.close()
    return result
}

/// The same through PostgresNIO: the rows decoded as a tuple of the eight types, then into `WideItem`s.
func nioDecode(rows: Int) async throws -> Int {
    try await withNIOConnection { connection, logger in
        let start = ContinuousClock.now
        var items: [WideItem] = []
        let sequence = try await connection.query(PostgresQuery(unsafeSQL: AllWideItems.sql), logger: logger)
        for try await row in sequence {
            let (id, name, price, createdAt, active, quantity, score, code) = try row.decode(
                (Int32, String, Decimal, Date, Bool, Int64, Double, UUID).self)
            items.append(
                WideItem(
                    id: id, name: name, price: price, createdAt: createdAt, active: active, quantity: quantity,
                    score: score, code: code))
        }
        guard items.count == rows else { exit(1) }
        return milliseconds(since: start)
    }
}

/// Point selects per second through the generated code's statement on sqlgen's PostgresNIO executor,
/// over one leased connection.
func sqlgenNIOPointSelects(queries: Int, rows: Int32) async throws -> Int {
    try await withNIOConnection { connection, logger in
        let database = PostgresNIOExecutor(connection: connection, logger: logger)
        let start = ContinuousClock.now
        for index in 0..<queries {
            guard try await database.queryFirst(pointSelect(id: Int32(index) % rows + 1)) != nil else { exit(1) }
        }
        return perSecond(queries, since: start)
    }
}

/// Milliseconds to fetch every row of bench_wide and decode it into `WideItem`s through sqlgen's
/// PostgresNIO executor (sqlgen's codecs over PostgresNIO's binary rows).
func sqlgenNIODecode(rows: Int) async throws -> Int {
    try await withNIOConnection { connection, logger in
        let database = PostgresNIOExecutor(connection: connection, logger: logger)
        let start = ContinuousClock.now
        guard try await database.query(AllWideItems()).count == rows else { exit(1) }
        return milliseconds(since: start)
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    print(
        "usage: RuntimeBenchmarks "
            + "sqlgen|sqlgenstatementtype|nio|decode|decodeonecall|niodecode|copy|copytext|nioinsert|batch|onebyone "
            + "URL COUNT ROWS")
    exit(2)
}
let queries = Int(arguments[3]) ?? 20_000
let rows = Int32(arguments[4]) ?? 50_000

switch arguments[1] {
case "sqlgen":
    print(try await sqlgenPointSelects(url: arguments[2], queries: queries, rows: rows))
case "sqlgenstatementtype":
    print(try await sqlgenPointSelects(url: arguments[2], queries: queries, rows: rows, statementType: true))
case "nio":
    print(try await nioPointSelects(queries: queries, rows: rows))
case "decode":
    print(try await sqlgenDecode(url: arguments[2], rows: Int(rows)))
case "decodeonecall":
    print(try await sqlgenDecode(url: arguments[2], rows: Int(rows), oneCall: true))
case "sqlgennio":
    print(try await sqlgenNIOPointSelects(queries: queries, rows: rows))
case "sqlgenniodecode":
    print(try await sqlgenNIODecode(rows: Int(rows)))
case "niodecode":
    print(try await nioDecode(rows: Int(rows)))
case "copy", "copytext":
    // Milliseconds to COPY `queries` rows into bench_copy: binary where the columns allow (the default),
    // or always text.
    var configuration = try PostgresConfiguration(url: arguments[2])
    configuration.binaryCopy = arguments[1] == "copy"
    let connection = try await PostgresSession.connect(configuration)
    try await connection.simpleQuery("TRUNCATE bench_copy")
    let rows = items(queries)
    let start = ContinuousClock.now
    guard try await connection.copy(rows) == queries else { exit(1) }
    print(milliseconds(since: start))
    await connection.close()
case "nioinsert":
    print(try await nioMultiRowInsert(items(queries)))
case "batch", "onebyone":
    // Milliseconds to insert `queries` rows pipelined in one batch, or one statement at a time.
    let connection = try await PostgresSession.connect(PostgresConfiguration(url: arguments[2]))
    try await connection.simpleQuery("TRUNCATE bench_copy")
    let rows = items(queries)
    let start = ContinuousClock.now
    if arguments[1] == "batch" {
        guard try await connection.executeBatch(rows).count == queries else { exit(1) }
    } else {
        for row in rows { _ = try await connection.execute(row) }
    }
    print(milliseconds(since: start))
    await connection.close()
default:
    print("unknown client \(arguments[1])")
    exit(2)
}
