/// An error from the database or the runtime, with everything known about it.
///
/// Server errors carry the SQLSTATE and the server's fields; every error
/// carries the statement's name when it came from a generated query.
public struct SQLGenError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable {
        /// The server rejected the statement.
        case server
        /// The connection could not be made.
        case connectionFailed
        /// The connection broke before the statement was sent: it was not run.
        case connectionClosed
        /// The connection broke after the statement was sent: it may or may not have run.
        case outcomeUnknown
        /// A value could not be decoded into its Swift type.
        case decoding
        /// The task was cancelled; the statement was cancelled on the server.
        case cancelled
        /// A tenant-scoped statement ran with no tenant in the task's context; nothing was sent.
        case noTenant
        /// Plain SQL reached a tenant pool without declaring its scope; nothing was sent.
        case undeclaredScope
        /// The registry has no such tenant.
        case unknownTenant
        /// The tenant is suspended.
        case tenantSuspended
        /// The tenant is deleted.
        case tenantDeleted
        /// The tenant's schema name is not one the allowlist accepts.
        case invalidTenantSchema
        /// The tenant's schema is missing on the server, or the search path was not the one required:
        /// the statement's work was discarded (rolled back) rather than run in another schema.
        case tenantSchemaUnavailable
        /// The pool gave no connection in time.
        case poolTimeout
        /// A parameter's value cannot be sent as it is (a NUL character in text); nothing was sent.
        case invalidParameter
        /// A tenant-scoped statement reached an executor that does not route (a connection, a plain pool
        /// or its transaction): it runs only through a ``TenantPool``; nothing was sent.
        case tenantStatementNotRouted
        /// A transaction's value was used after its `withTransaction` returned; nothing was sent.
        case transactionEnded
        /// A statement that returns exactly one row by its form (an INSERT of one row with RETURNING, an
        /// aggregate without GROUP BY) returned none: a trigger or rule suppressed the row.
        case noRow
        /// Behind a transaction pooler (``PostgresConfiguration/transactionPooling``), a statement would
        /// leave state in the session (a session-level `SET`, `set_config(..., false)`, a temp table,
        /// LISTEN, a session advisory lock): the pooler shares that server connection with other
        /// clients, so it is refused; nothing was sent.
        case sessionStateBehindPooler
        /// The statement reads what an earlier statement of the session left (`lastval()`, `currval()`), which on a
        /// pooled connection may come from another lease, for another tenant; nothing was sent.
        case sessionStateRead
        /// Transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT`) sent as a statement to an
        /// executor that runs transactions itself; nothing was sent.
        case transactionControlRefused
        /// Another run of ``TenantProvisioner/migrateAll(_:parallelism:progress:)`` (another deploy)
        /// holds the migration lock of this registry; nothing was migrated.
        case migrationInProgress
        /// The server would read the statement's text differently from the runtime's checks: it has a
        /// backslash and the session's `standard_conforming_strings` is off, it has non-ASCII text and
        /// the session's `client_encoding` is not UTF-8, or it may change either setting (or calls
        /// `set_config` on a setting not named by a plain string literal); nothing was sent.
        case standardConformingStringsOff
        /// Under tenant roles (``TenantRoles``), a tenant statement could leave the tenant's role for a
        /// moment: it sets or resets the role, is a `DO` block, uses a `U&` escape, or calls a built-in
        /// that runs SQL given as text or reads a table named at run time (`query_to_xml`,
        /// `table_to_xml`, `ts_rewrite`, `dblink`, ...); nothing was sent.
        case refusedUnderTenantRole
        /// The subdomain, or the schema it names, belongs to another tenant (a tenant renamed away from a
        /// subdomain keeps its schema, and with it the subdomain's name); nothing was changed.
        case tenantExists
        /// A tenant's copied data did not match its source (row counts or checksums); the copy was undone.
        case tenantDataMismatch
        /// A tenant export could not be written or read, or its manifest is not one this runtime reads.
        case tenantArchive
        /// A tenant's registry row names a placement (a server) that ``TenancyOptions/placements`` does
        /// not configure; nothing was sent.
        case unknownPlacement
        /// A statement in a ``TenantTransaction`` would run on another server than the transaction's: a
        /// global statement in the transaction of a tenant placed on another server, or a tenant of
        /// another server; nothing was sent.
        case placementMismatch
    }

    /// The fields, behind one reference (see ``Storage``).
    var storage: Storage

    /// What kind of failure this is.
    public var kind: Kind {
        get { fields.kind }
        set { update { $0.kind = newValue } }
    }
    /// The SQLSTATE code (`23505` for a unique violation).
    public var sqlState: String? {
        get { fields.sqlState }
        set { update { $0.sqlState = newValue } }
    }
    /// The primary message.
    public var message: String {
        get { fields.message }
        set { update { $0.message = newValue } }
    }
    /// The server's detail, if any.
    public var detail: String? {
        get { fields.detail }
        set { update { $0.detail = newValue } }
    }
    /// The server's hint, if any.
    public var hint: String? {
        get { fields.hint }
        set { update { $0.hint = newValue } }
    }
    /// The constraint the server names, if any.
    public var constraint: String? {
        get { fields.constraint }
        set { update { $0.constraint = newValue } }
    }
    /// The table the server names, if any.
    public var table: String? {
        get { fields.table }
        set { update { $0.table = newValue } }
    }
    /// The column the server (or the decoder) names, if any.
    public var column: String? {
        get { fields.column }
        set { update { $0.column = newValue } }
    }
    /// The 1-based character position in the statement the server points at.
    public var position: Int? {
        get { fields.position }
        set { update { $0.position = newValue } }
    }
    /// The generated statement's name (`GetContact`), or nil for plain SQL.
    public var statementName: String? {
        get { fields.statementName }
        set { update { $0.statementName = newValue } }
    }

    /// An error of a kind, with its message.
    public init(
        _ kind: Kind, message: String, sqlState: String? = nil, statementName: String? = nil
    ) {
        storage = Storage(
            Fields(kind: kind, sqlState: sqlState, message: message, statementName: statementName))
    }

    /// The statement's name, the message, the SQLSTATE and the detail, on one line.
    public var description: String {
        var text = statementName.map { "\($0): " } ?? ""
        text += message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "; " + detail }
        return text
    }

    /// `23505`: a UNIQUE or PRIMARY KEY constraint was violated.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// `23503`: a FOREIGN KEY constraint was violated.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// `23502`: NULL in a NOT NULL column.
    public var isNotNullViolation: Bool { sqlState == "23502" }
    /// `23514`: a CHECK constraint was violated.
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// `40001`: the transaction could not be serialized; retrying it may succeed.
    public var isSerializationFailure: Bool { sqlState == "40001" }
    /// `40P01`: a deadlock was detected; retrying may succeed.
    public var isDeadlock: Bool { sqlState == "40P01" }
}
