import SQLGenWire

/// What the server says of a statement it has prepared, without running it: the types it inferred for
/// the parameters and the columns a run would return.
public struct StatementDescription: Sendable, Hashable {
    /// One result column: its name and the OID of its type.
    public struct Column: Sendable, Hashable {
        /// The column's name, as the server names it (`?column?` for an unnamed expression).
        public var name: String
        /// The OID of the column's type (`format_type(oid, NULL)` spells it).
        public var typeOID: UInt32

        /// A column named `name` of the type `typeOID`.
        public init(name: String, typeOID: UInt32) {
            self.name = name
            self.typeOID = typeOID
        }
    }

    /// The OID of each parameter's type, `$1` first.
    public var parameterTypeOIDs: [UInt32]
    /// The result columns, in order; empty for a statement that returns no rows.
    public var columns: [Column]

    /// What the server reported in `shape`.
    init(_ shape: StatementShape) {
        self.init(
            parameterTypeOIDs: shape.parameterTypeOIDs,
            columns: shape.columns.map { Column(name: $0.name, typeOID: $0.typeOID) })
    }

    /// A description with these parameter types and columns.
    public init(parameterTypeOIDs: [UInt32], columns: [Column]) {
        self.parameterTypeOIDs = parameterTypeOIDs
        self.columns = columns
    }
}

extension PostgresSession {
    /// Prepares `sql` as the unnamed statement and returns what the server inferred for it; nothing is run.
    /// The statement is resolved under the connection's search path. A statement the server refuses
    /// throws its ``SQLGenError/Kind/server`` error (message, SQLSTATE, position); SQL holding a NUL
    /// character is ``SQLGenError/Kind/invalidParameter`` and nothing is sent.
    public func describe(_ sql: String) async throws(SQLGenError) -> StatementDescription {
        try TransactionLifetime.current?.checkOpen("describe")
        if sql.utf8.contains(0) {
            throw SQLGenError(
                .invalidParameter,
                message: "the statement holds a NUL character, which libpq would cut it at; nothing was sent")
        }
        try refuseUnreadableText(sql, name: nil)
        await enterGate()
        defer { leaveGate() }
        let handle = try openHandle("describe")
        do {
            return StatementDescription(try await channel(handle).describe(sql))
        } catch {
            throw SQLGenError(error, statementName: nil)
        }
    }
}
