import CLibPQ

/// What the server says of a prepared statement: the types it inferred for the parameters and the
/// columns a run would return.
package struct StatementShape: Sendable, Hashable {
    /// The OID of each parameter's type, `$1` first.
    package var parameterTypeOIDs: [UInt32]
    /// Each result column's name and type OID, in order; empty for a statement that returns no rows.
    package var columns: [Column]

    /// One result column.
    package struct Column: Sendable, Hashable {
        /// The column's name, as the server names it (`?column?` for an unnamed expression).
        package var name: String
        /// The OID of the column's type.
        package var typeOID: UInt32
    }

    /// The shape `PQdescribePrepared`'s result reports.
    package init(describing result: OpaquePointer) {
        parameterTypeOIDs = (0..<PQnparams(result)).map { PQparamtype(result, $0) }
        columns = (0..<PQnfields(result)).map { index in
            Column(name: PQfname(result, index).map { String(cString: $0) } ?? "", typeOID: PQftype(result, index))
        }
    }
}

extension ResultChannel {
    /// Prepares `sql` as the unnamed statement and describes it; nothing is run. The caller has made
    /// sure `sql` holds no NUL (libpq would cut it there).
    nonisolated(nonsending) package func describe(_ sql: String) async throws(WireFailure) -> StatementShape {
        let prepared = await resultOfQueued(queued: PQsendPrepare(handle, "", sql, 0, nil) == 1)
        defer { PQclear(prepared) }
        if let failure = WireFailure.of(prepared, on: handle) { throw failure }
        let described = await resultOfQueued(queued: PQsendDescribePrepared(handle, "") == 1)
        defer { PQclear(described) }
        if let failure = WireFailure.of(described, on: handle) { throw failure }
        guard let described else { throw .connection("the server did not describe the statement") }
        return StatementShape(describing: described)
    }
}
