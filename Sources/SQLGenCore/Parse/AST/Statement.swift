/// What a top-level SQL statement is.
public enum StatementKind: Sendable, Hashable {
    /// `CREATE SCHEMA`.
    case createSchema(CreateSchema)
    /// `CREATE TABLE`.
    case createTable(CreateTable)
    /// `ALTER TABLE`.
    case alterTable(AlterTable)
    /// `CREATE INDEX`.
    case createIndex(CreateIndex)
    /// `CREATE TYPE ... AS ENUM`.
    case createEnum(CreateEnum)
    /// `ALTER TYPE ... ADD VALUE` or `RENAME VALUE`.
    case alterEnum(AlterEnum)
    /// `CREATE TYPE ... AS (...)`.
    case createCompositeType(CreateCompositeType)
    /// `CREATE DOMAIN`.
    case createDomain(CreateDomain)
    /// `CREATE [MATERIALIZED] VIEW`, `CREATE TABLE ... AS` and `SELECT ... INTO`.
    case createView(CreateView)
    /// `CREATE SEQUENCE`, readable as a relation (`SELECT last_value FROM s`).
    case createSequence(QualifiedName, ifNotExists: Bool)
    /// `CREATE FUNCTION` or `CREATE PROCEDURE`.
    case createFunction(CreateFunction)
    /// `CREATE EXTENSION`.
    case createExtension(CreateExtension)
    /// `DROP ...`.
    case drop(DropObjects)
    /// `COMMENT ON ...`.
    case comment(CommentOn)
    /// `ALTER ... RENAME ...`.
    case rename(RenameObject)
    /// `ALTER ... SET SCHEMA`.
    case setSchema(SetSchema)
    /// SELECT, INSERT, UPDATE or DELETE.
    case query(DataStatement)
    /// `SET search_path TO ...` (session level): later unqualified names resolve through it.
    case setSearchPath([String])
    /// A statement that does not change what the catalog tracks (indexes,
    /// triggers, policies, grants, transaction control, ...). Its SQL keywords.
    case ignored(String)
    /// A statement the catalog cannot see into (a `DO` block, ...): its SQL keywords.
    case opaque(String)
    /// TRUNCATE, REFRESH MATERIALIZED VIEW, VACUUM, ANALYZE or LOCK: maintenance that changes no
    /// definition, with the relations it names (an annotated one is a query run with `:exec`).
    case utility(UtilityStatement)
}

extension StatementKind {
    /// Whether, in a query file, the statement can only be a query (DML or maintenance): without an
    /// annotation it is an error. Definitions there are schema.
    var needsAnnotation: Bool {
        switch self {
        case .query, .utility: return true
        default: return false
        }
    }
}

/// A maintenance statement and the relations it names.
public struct UtilityStatement: Sendable, Hashable {
    /// Its SQL keywords (`TRUNCATE`, `REFRESH MATERIALIZED VIEW`).
    public var keywords: String
    /// The relations it names.
    public var relations: [QualifiedName]
}

/// One statement of a file, with its place in the file.
public struct Statement: Sendable, Hashable {
    /// What it is.
    public var kind: StatementKind
    /// Byte offset of its first token.
    public var location: Int
    /// Its length in bytes.
    public var length: Int

    /// Creates a statement.
    public init(kind: StatementKind, location: Int, length: Int) {
        self.kind = kind
        self.location = location
        self.length = length
    }
}
