/// `CREATE TYPE name AS ENUM (...)`.
public struct CreateEnum: Sendable, Hashable {
    public var name: QualifiedName
    public var labels: [String]
}

/// `ALTER TYPE name ADD VALUE` or `RENAME VALUE`.
public struct AlterEnum: Sendable, Hashable {
    public var name: QualifiedName
    /// The label renamed, for RENAME VALUE.
    public var oldLabel: String?
    /// The label added or the new name.
    public var newLabel: String
    /// BEFORE/AFTER neighbour of an added label.
    public var neighbor: String?
    /// Whether the label goes after ``neighbor``.
    public var isAfter: Bool
    /// `ADD VALUE IF NOT EXISTS`.
    public var ifNotExists: Bool
}

/// `CREATE TYPE name AS (field type, ...)`.
public struct CreateCompositeType: Sendable, Hashable {
    public var name: QualifiedName
    public var fields: [ColumnDefinition]
}

/// `CREATE DOMAIN name AS type [NOT NULL] [CHECK ...]`.
public struct CreateDomain: Sendable, Hashable {
    public var name: QualifiedName
    public var baseType: TypeReference
    public var constraints: [ConstraintDefinition]
}
