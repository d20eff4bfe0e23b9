import CLibPQ

/// Reads a libpq result the ways the executors need: all rows, the first row, the affected rows.
enum ResultReading {
    static func rows<S: SQLStatement>(
        _ result: OpaquePointer, of _: S.Type, name: String
    ) throws(SQLGenError) -> [S.Row] {
        let count = PQntuples(result)
        var rows: [S.Row] = []
        rows.reserveCapacity(Int(count))
        for index in 0..<count {
            rows.append(try S.decode(SQLRow(result: result, index: index, statementName: name)))
        }
        return rows
    }

    static func firstRow<S: SQLStatement>(
        _ result: OpaquePointer, of _: S.Type, name: String
    ) throws(SQLGenError) -> S.Row? {
        guard PQntuples(result) > 0 else { return nil }
        return try S.decode(SQLRow(result: result, index: 0, statementName: name))
    }

    static func affectedRows(_ result: OpaquePointer) -> Int {
        Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    static func commandResult(_ result: OpaquePointer) -> SQLCommandResult {
        SQLCommandResult(tag: String(cString: PQcmdStatus(result)), rowsAffected: affectedRows(result))
    }
}
