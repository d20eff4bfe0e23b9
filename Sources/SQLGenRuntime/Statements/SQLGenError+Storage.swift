extension SQLGenError {
    /// Everything an error carries.
    struct Fields: Sendable {
        var kind: Kind
        var sqlState: String?
        var message: String
        var detail: String?
        var hint: String?
        var constraint: String?
        var table: String?
        var column: String?
        var position: Int?
        var statementName: String?

        init(kind: Kind, sqlState: String?, message: String, statementName: String?) {
            self.kind = kind
            self.sqlState = sqlState
            self.message = message
            self.statementName = statementName
        }
    }

    /// The fields behind one reference, so that the error itself is one word.
    ///
    /// Every `try` of a function that throws `SQLGenError` copies the error it catches; with the
    /// fields stored inline that was some 150 bytes, loaded and stored field by field at every call
    /// site of every generated statement, which made the generated code large and slow to compile.
    /// Errors are rare, so a change allocates a new box rather than sharing a mutable one.
    final class Storage: Sendable {
        let fields: Fields

        init(_ fields: Fields) { self.fields = fields }
    }

    var fields: Fields { storage.fields }

    /// Changes a field: a new box, so copies of the error made before keep what they had.
    mutating func update(_ change: (inout Fields) -> Void) {
        var copy = storage.fields
        change(&copy)
        storage = Storage(copy)
    }
}
