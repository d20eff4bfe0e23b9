/// A tenant schema's data as the life-cycle operations copy it: its tables in an order that keeps
/// foreign keys satisfied, the columns that hold data, and its sequences' positions.
struct TenantSchemaData: Sendable, Equatable {
    typealias Table = TenantExportManifest.Table
    typealias Sequence = TenantExportManifest.Sequence

    var tables: [Table]
    var sequences: [Sequence]

    /// The settings under which row text (COPY data and checksums) reads the same on every server.
    static let stableTextSettings =
        "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; "
        + "SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'"

    /// Reads `schema`'s tables (not `schema_migrations`, nor partitions: their parent's data holds
    /// theirs) and sequences on `connection`, inside its transaction.
    static func read(
        _ schema: String, on connection: PostgresSession, counting: Bool
    ) async throws -> TenantSchemaData {
        let namespace = SchemaName.quoted(schema)
        // One row per stored column (a table without any has one row with a NULL column).
        let columnRows = try await connection.query(
            PlainStatement(
                """
                SELECT c.relname, pg_catalog.quote_ident(a.attname) AS column FROM pg_catalog.pg_class c
                LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum > 0
                    AND NOT a.attisdropped AND a.attgenerated OPERATOR(pg_catalog.=) ''
                WHERE c.relnamespace OPERATOR(pg_catalog.=) $1::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')
                    AND NOT c.relispartition AND c.relname OPERATOR(pg_catalog.<>) 'schema_migrations'
                ORDER BY c.relname, a.attnum
                """, bindings: bindings(namespace)))
        let edgeRows = try await connection.query(
            PlainStatement(
                """
                SELECT DISTINCT c.relname AS child, p.relname AS parent FROM pg_catalog.pg_constraint f
                JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) f.conrelid
                JOIN pg_catalog.pg_class p ON p.oid OPERATOR(pg_catalog.=) f.confrelid
                WHERE f.contype OPERATOR(pg_catalog.=) 'f' AND c.oid OPERATOR(pg_catalog.<>) p.oid
                    AND c.relnamespace OPERATOR(pg_catalog.=) $1::pg_catalog.regnamespace
                    AND p.relnamespace OPERATOR(pg_catalog.=) c.relnamespace
                """, bindings: bindings(namespace)))
        var tables: [Table] = []
        for row in columnRows {
            guard let name = row["relname"] else { continue }
            if tables.last?.name != name { tables.append(Table(name: name, columns: [])) }
            if let column = row["column"] { tables[tables.count - 1].columns.append(column) }
        }
        let edges = edgeRows.compactMap { row in row["child"].flatMap { child in row["parent"].map { (child, $0) } } }
        tables = try inDependencyOrder(tables, edges: edges, schema: schema)
        if counting {
            for index in tables.indices {
                let (rows, checksum) = try await tally(tables[index].name, in: schema, on: connection)
                tables[index].rows = rows
                tables[index].checksum = checksum
            }
        }
        let sequenceNames = try await connection.query(
            PlainStatement(
                """
                SELECT c.relname FROM pg_catalog.pg_class c
                WHERE c.relnamespace OPERATOR(pg_catalog.=) $1::pg_catalog.regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'S'
                ORDER BY c.relname
                """, bindings: bindings(namespace)))
        var sequences: [Sequence] = []
        for row in sequenceNames {
            guard let name = row["relname"] else { continue }
            let position = try await connection.queryFirst(
                PlainStatement(
                    "SELECT last_value::pg_catalog.text, is_called FROM \(namespace).\(SchemaName.quoted(name))"))
            guard let position, let lastValue = position["last_value"] else { continue }
            sequences.append(Sequence(name: name, lastValue: lastValue, isCalled: position["is_called"] == "t"))
        }
        return TenantSchemaData(tables: tables, sequences: sequences)
    }

    /// How many rows `table` holds and the checksum of their text, under ``stableTextSettings``.
    static func tally(
        _ table: String, in schema: String, on connection: PostgresSession
    ) async throws -> (Int, String) {
        let row = try await connection.queryFirst(
            PlainStatement(
                "SELECT pg_catalog.count(*) AS rows, COALESCE(pg_catalog.sum(pg_catalog.hashtextextended(t::pg_catalog.text, 0)), 0)::pg_catalog.text AS checksum FROM \(SchemaName.quoted(schema)).\(SchemaName.quoted(table)) t"
            ))
        guard let row, let rows = row["rows"].flatMap({ Int($0) }), let checksum = row["checksum"] else {
            throw SQLGenError(.decoding, message: "no row count for table \"\(table)\" of schema \"\(schema)\"")
        }
        return (rows, checksum)
    }

    /// `tables` with every table after the tables its foreign keys reference (a table referencing
    /// itself is copied in one statement, which the key allows); a cycle between tables is an error.
    static func inDependencyOrder(
        _ tables: [Table], edges: [(child: String, parent: String)], schema: String
    ) throws(SQLGenError) -> [Table] {
        var parents: [String: Set<String>] = [:]
        let names = Set(tables.map(\.name))
        for edge in edges where names.contains(edge.child) && names.contains(edge.parent) {
            parents[edge.child, default: []].insert(edge.parent)
        }
        var ordered: [Table] = []
        var placed: Set<String> = []
        var remaining = tables
        while !remaining.isEmpty {
            let ready = remaining.filter { parents[$0.name, default: []].isSubset(of: placed) }
            guard !ready.isEmpty else {
                throw SQLGenError(
                    .invalidParameter,
                    message: "the foreign keys of schema \"\(schema)\" form a cycle between "
                        + remaining.map { "\"\($0.name)\"" }.joined(separator: ", ")
                        + ": its data cannot be copied table by table")
            }
            ordered += ready
            placed.formUnion(ready.map(\.name))
            remaining.removeAll { placed.contains($0.name) }
        }
        return ordered
    }

    /// Sets `schema`'s sequences to these positions.
    func restoreSequences(in schema: String, on connection: PostgresSession) async throws {
        for sequence in sequences {
            let qualified = SchemaName.quoted(schema) + "." + SchemaName.quoted(sequence.name)
            _ = try await connection.query(
                PlainStatement(
                    "SELECT pg_catalog.setval($1::pg_catalog.regclass, $2::pg_catalog.int8, $3)",
                    bindings: bindings(qualified, sequence.lastValue, sequence.isCalled)))
        }
    }

    /// Empties `schema`'s tables, which the migrations that built it may have filled (reference rows a
    /// migration inserts): the copied rows replace them. Only for a schema just built in the caller's
    /// transaction.
    func emptyTables(in schema: String, on connection: PostgresSession) async throws {
        guard !tables.isEmpty else { return }
        try await connection.simpleQuery(
            "TRUNCATE "
                + tables.map { "\(SchemaName.quoted(schema)).\(SchemaName.quoted($0.name))" }.joined(separator: ", "))
    }

    /// Turns the user triggers of `schema`'s tables off (a copy is not a new write) or on again; the
    /// triggers that check foreign keys stay on.
    func setUserTriggers(enabled: Bool, in schema: String, on connection: PostgresSession) async throws {
        guard !tables.isEmpty else { return }
        let verb = enabled ? "ENABLE" : "DISABLE"
        try await connection.simpleQuery(
            tables.map { "ALTER TABLE \(SchemaName.quoted(schema)).\(SchemaName.quoted($0.name)) \(verb) TRIGGER USER" }
                .joined(separator: "; "))
    }
}
