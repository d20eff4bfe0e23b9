/// The second wall (opt-in, defense in depth): each tenant's statements run under a PostgreSQL role
/// of its own, which holds privileges on its own schema and on the shared tables only. Then even a
/// search path gone wrong (a bug in routing, a schema name written by hand) cannot read or write
/// another tenant's schema: the role may not use it, so the server skips it on the path (a name
/// is not found, `42P01`) and refuses a name written with it (`42501`, permission denied).
///
/// - ``TenantProvisioner`` creates the role `prefix + schema name` (`NOLOGIN`) with the tenant,
///   makes the connecting user a member (so it may `SET ROLE` to it), grants it `USAGE` and
///   `SELECT, INSERT, UPDATE, DELETE` on its schema's tables (sequences and functions too, and the
///   same for objects later migrations create, through default privileges), `USAGE` on the shared
///   schemas and ``sharedTablePrivileges`` on their tables, and nothing on the registry table.
///   ``TenantProvisioner/grantTenantRoles(_:)`` does the same for tenants created before.
/// - ``TenantPool`` runs every routed statement in a transaction that sets `role` (with
///   `set_config('role', …, true)`) after the path: the tenant's role for tenant statements, the
///   connecting user for global ones, and checks `current_user` with the path.
/// - The connecting user needs `CREATEROLE` (or to be a superuser) to provision, and must not be
///   the owner's only way in: a superuser bypasses privileges, the tenant role does not.
///
/// Role names are cluster-wide while schemas are per database: give each application (each
/// database on one server) its own `prefix`. A statement that sets another role itself is caught by
/// the check after it and rolled back (privileges are checked as each statement starts, under the
/// tenant's role), and one that calls a built-in running SQL given as text (`query_to_xml`,
/// `cursor_to_xml`, `ts_stat`, `dblink`) is refused. Views and `SECURITY DEFINER` functions in the
/// shared schemas run with their owners' rights: only tables are granted. The wall is against
/// mistakes, not against SQL written to get around it (an application's function could set a role
/// and reset it before the check). Executors other than
/// `TenantPool` (the PostgresNIO integration) refuse a registry whose options ask for tenant roles.
public struct TenantRoles: Sendable, Hashable {
    /// Written in front of the schema name to make the role's name (a plain lower-case identifier
    /// starting with a letter, or empty).
    public var prefix: String
    /// What each tenant role may do on the tables of the shared schemas (the registry table excepted).
    public var sharedTablePrivileges: Set<SharedTablePrivilege>

    /// A privilege on the shared tables.
    public enum SharedTablePrivilege: String, Sendable, Hashable, CaseIterable {
        /// `SELECT`.
        case select = "SELECT"
        /// `INSERT`.
        case insert = "INSERT"
        /// `UPDATE`.
        case update = "UPDATE"
        /// `DELETE`.
        case delete = "DELETE"
    }

    /// Roles named `prefix` + the schema name, reading the shared tables and writing none by default.
    public init(prefix: String = "", sharedTablePrivileges: Set<SharedTablePrivilege> = [.select]) {
        self.prefix = prefix
        self.sharedTablePrivileges = sharedTablePrivileges
    }

    /// The role of the tenant whose schema is `schema`.
    func role(forSchema schema: String) -> String { prefix + schema }

    /// Refuses a prefix that would not make a plain role name.
    func validate(_ options: TenancyOptions) throws(SQLGenError) {
        let letters = prefix.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
        guard letters, prefix.first.map({ ("a"..."z").contains($0) }) ?? true, prefix.count <= 6 else {
            throw SQLGenError(
                .invalidParameter,
                message:
                    "tenant role prefix \"\(prefix)\" must be at most 6 lower-case letters, digits or underscores, starting with a letter"
            )
        }
    }
}
