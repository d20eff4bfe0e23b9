import CLibPQ

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
        let prepared = await resultOfQueued(handle, queued: PQsendPrepare(handle, "", sql, 0, nil) == 1)
        defer { PQclear(prepared) }
        try check(prepared, statementName: nil, sent: true)
        let described = await resultOfQueued(handle, queued: PQsendDescribePrepared(handle, "") == 1)
        defer { PQclear(described) }
        try check(described, statementName: nil, sent: true)
        guard let described else {
            throw SQLGenError(.outcomeUnknown, message: "the server did not describe the statement")
        }
        return StatementDescription(
            parameterTypeOIDs: (0..<PQnparams(described)).map { PQparamtype(described, $0) },
            columns: (0..<PQnfields(described)).map { index in
                StatementDescription.Column(
                    name: PQfname(described, index).map { String(cString: $0) } ?? "",
                    typeOID: PQftype(described, index))
            })
    }
}
