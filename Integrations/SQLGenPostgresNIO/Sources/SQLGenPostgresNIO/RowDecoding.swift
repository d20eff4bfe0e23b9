import NIOCore
import PostgresNIO
import SQLGenRuntime

/// Hands PostgresNIO's rows to a statement's decoder: each row's values are copied into one reused
/// buffer, and the decoder reads them as an ``SQLRow`` with the column types and formats the result
/// gave (PostgresNIO receives every column in binary).
struct RowDecoding<S: SQLStatement> {
    private var columns: SQLResultColumns?
    private var bytes: [UInt8] = []
    private var cells: [SQLCell] = []
    private let statementName: String

    init(statementName: String) {
        self.statementName = statementName
    }

    /// Decodes one row.
    mutating func decode(_ row: PostgresRow) throws(SQLGenError) -> S.Row {
        bytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        let columns: SQLResultColumns
        if let known = self.columns {
            columns = known
        } else {
            var names: [String] = []
            var types: [UInt32] = []
            var binary: [Bool] = []
            for cell in row {
                names.append(cell.columnName)
                types.append(cell.dataType.rawValue)
                binary.append(cell.format == .binary)
            }
            columns = SQLResultColumns(names: names, types: types, binary: binary)
            self.columns = columns
        }
        for cell in row {
            if let value = cell.bytes {
                cells.append(SQLCell(start: bytes.count, length: value.readableBytes))
                bytes.append(contentsOf: value.readableBytesView)
            } else {
                cells.append(.null)
            }
        }
        let name = statementName
        let decoded: Result<S.Row, SQLGenError> = bytes.withUnsafeBytes { bytes in
            cells.withUnsafeBufferPointer { cells in
                do throws(SQLGenError) {
                    return .success(
                        try S.decode(SQLRow(columns: columns, bytes: bytes, cells: cells, statementName: name)))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try decoded.get()
    }
}
