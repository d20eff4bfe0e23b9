/// `CREATE TYPE name AS ENUM (...)`.
public struct CreateEnum: Sendable, Hashable {
    /// The enum's name.
    public var name: QualifiedName
    /// Its labels, in order.
    public var labels: [String]
}

/// `ALTER TYPE name ADD VALUE` or `RENAME VALUE`.
public struct AlterEnum: Sendable, Hashable {
    /// The enum's name.
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
    /// The type's name.
    public var name: QualifiedName
    /// Its fields, in order.
    public var fields: [ColumnDefinition]
}

/// `CREATE DOMAIN name AS type [NOT NULL] [CHECK ...]`.
public struct CreateDomain: Sendable, Hashable {
    /// The domain's name.
    public var name: QualifiedName
    /// The base type.
    public var baseType: TypeReference
    /// `NOT NULL` and `CHECK` constraints.
    public var constraints: [ConstraintDefinition]
}
