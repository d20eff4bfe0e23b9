import CLibPQ
import Foundation

/// The fields of an error the server reported (libpq's `PQresultErrorField`), nil where it sent none.
package struct ServerErrorFields: Sendable, Hashable {
    /// The primary message (`M`), or libpq's whole message when the server sent none.
    package var message: String
    /// The SQLSTATE code (`C`).
    package var sqlState: String?
    /// `DETAIL` (`D`).
    package var detail: String?
    /// `HINT` (`H`).
    package var hint: String?
    /// The constraint that failed (`n`).
    package var constraint: String?
    /// The table the error concerns (`t`).
    package var table: String?
    /// The column the error concerns (`c`).
    package var column: String?
    /// The 1-based character position in the statement the error points at (`P`).
    package var position: Int?

    /// The fields of the failed `result`.
    package init(_ result: OpaquePointer) {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) }
        }
        message = field("M") ?? Self.trimmed(PQresultErrorMessage(result))
        sqlState = field("C")
        detail = field("D")
        hint = field("H")
        constraint = field("n")
        table = field("t")
        column = field("c")
        position = field("P").flatMap { Int($0) }
    }

    /// A libpq message as text without its trailing newline; empty for none.
    package static func trimmed(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Why a statement failed on the wire: the server refused it, or the connection broke while it ran.
package enum WireFailure: Error, Sendable, Hashable {
    /// The server reported an error; the connection is still usable.
    case server(ServerErrorFields)
    /// The connection broke or could not send (libpq's message); what the server did is unknown.
    case connection(String)
    /// The statement was refused before anything was sent (a NUL character in its text).
    case notSent(String)

    /// What went wrong, in one line.
    package var message: String {
        switch self {
        case .server(let fields): fields.message
        case .connection(let message), .notSent(let message): message
        }
    }

    /// The failure `result` reports on `handle`, or nil when `result` is a success.
    package static func of(_ result: OpaquePointer?, on handle: OpaquePointer) -> WireFailure? {
        if let result, !ResultChannel.failed(result) { return nil }
        guard let result, PQstatus(handle) == CONNECTION_OK else {
            return .connection(ServerErrorFields.trimmed(PQerrorMessage(handle)))
        }
        return .server(ServerErrorFields(result))
    }
}
