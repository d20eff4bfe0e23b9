import SQLGenWire

extension SQLGenError {
    /// The error the server reported with `fields`, for the statement `statementName`.
    init(server fields: ServerErrorFields, statementName: String?) {
        self.init(.server, message: fields.message, sqlState: fields.sqlState, statementName: statementName)
        // Every field in one change: each property's setter boxes the fields anew.
        update { error in
            error.detail = fields.detail
            error.hint = fields.hint
            error.constraint = fields.constraint
            error.table = fields.table
            error.column = fields.column
            error.position = fields.position
        }
    }

    /// The error for a wire `failure` of a statement that was sent: a server error keeps its fields; a
    /// broken connection leaves the outcome unknown.
    init(_ failure: WireFailure, statementName: String?) {
        switch failure {
        case .server(let fields): self.init(server: fields, statementName: statementName)
        case .connection(let message):
            self.init(.outcomeUnknown, message: message, statementName: statementName)
        case .notSent(let message):
            self.init(.invalidParameter, message: message, statementName: statementName)
        }
    }
}
