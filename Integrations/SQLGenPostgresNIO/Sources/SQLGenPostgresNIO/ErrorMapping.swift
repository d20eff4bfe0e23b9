import PostgresNIO
import SQLGenRuntime

extension SQLGenError {
    /// PostgresNIO's failure as sqlgen's: a server error keeps its SQLSTATE and message; a closed
    /// connection, a cancelled task and anything else say so.
    static func fromPostgresNIO(_ error: any Error, statementName: String) -> SQLGenError {
        if let error = error as? SQLGenError { return error }
        if error is CancellationError {
            return SQLGenError(.cancelled, message: "the task was cancelled", statementName: statementName)
        }
        guard let error = error as? PSQLError else {
            return SQLGenError(.outcomeUnknown, message: "\(error)", statementName: statementName)
        }
        if let server = error.serverInfo {
            let message = server[.message] ?? "the server rejected the statement"
            let detail = server[.detail].map { " (\($0))" } ?? ""
            return SQLGenError(
                .server, message: message + detail, sqlState: server[.sqlState], statementName: statementName)
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return SQLGenError(.connectionClosed, message: "the connection is closed", statementName: statementName)
        case .queryCancelled:
            return SQLGenError(.cancelled, message: "the statement was cancelled", statementName: statementName)
        case .connectionError:
            return SQLGenError(.connectionFailed, message: "\(error)", statementName: statementName)
        default:
            return SQLGenError(.outcomeUnknown, message: "\(error.code)", statementName: statementName)
        }
    }
}
