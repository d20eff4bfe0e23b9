/// An element of a `CREATE TABLE` body.
public enum TableElement: Sendable, Hashable {
    /// A column.
    case column(ColumnDefinition)
    /// A table constraint.
    case constraint(ConstraintDefinition)
    /// `LIKE other_table`: copies its columns, with their types and NOT NULL.
    case like(QualifiedName)
}

/// `CREATE TABLE`.
public struct CreateTable: Sendable, Hashable {
    /// The new table's name.
    public var name: QualifiedName
    /// Columns, table constraints and LIKE clauses, in order.
    public var elements: [TableElement]
    /// `INHERITS (...)` parents, or the single parent of `PARTITION OF`.
    public var parents: [QualifiedName]
    /// Whether this is `PARTITION OF` its parent.
    public var isPartition: Bool
    /// Whether it is partitioned itself (`PARTITION BY`).
    public var isPartitioned: Bool
    /// `IF NOT EXISTS`.
    public var ifNotExists: Bool
    /// `OF type_name` for typed tables.
    public var ofType: TypeReference?
    /// `CREATE TEMP TABLE` or a table in `pg_temp`: it lives only in the session that creates it.
    public var isTemporary = false
    /// The columns of `PARTITION BY`, in order (an expression key has none).
    public var partitionColumns: [String] = []
}

/// One action of `ALTER TABLE`.
public enum AlterTableAction: Sendable, Hashable {
    /// `ADD COLUMN`.
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    /// `DROP COLUMN`.
    case dropColumn(String, missingOK: Bool)
    /// `ALTER COLUMN ... TYPE`, with whether a `USING` expression converts the values.
    case alterColumnType(String, TypeReference, hasUsing: Bool)
    /// `ALTER COLUMN ... SET NOT NULL`.
    case setNotNull(String)
    /// `ALTER COLUMN ... DROP NOT NULL`.
    case dropNotNull(String)
    /// `ADD CONSTRAINT`.
    case addConstraint(ConstraintDefinition)
    /// `ALTER COLUMN ... ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY` (as pg_dump writes identities).
    case addIdentity(String, always: Bool)
    /// `ALTER COLUMN ... SET GENERATED {ALWAYS | BY DEFAULT}`.
    case setIdentityGeneration(String, always: Bool)
    /// `ALTER COLUMN ... DROP IDENTITY`.
    case dropIdentity(String)
    /// An action that does not change what the catalog tracks (defaults, indexes, owners, ...).
    case other
}

/// `ALTER TABLE` (also on views and materialized views).
public struct AlterTable: Sendable, Hashable {
    /// The table.
    public var table: QualifiedName
    /// Its actions, in order.
    public var actions: [AlterTableAction]
    /// `IF EXISTS`.
    public var missingOK: Bool
}

/// `CREATE [UNIQUE] INDEX`: the catalog keeps unique indexes on plain columns as unique keys.
public struct CreateIndex: Sendable, Hashable {
    /// The indexed table.
    public var table: QualifiedName
    /// `UNIQUE`.
    public var isUnique: Bool
    /// The indexed columns; nil when an expression is indexed.
    public var columns: [String]?
    /// Whether it is a partial index (`WHERE ...`), unique only among some rows.
    public var isPartial: Bool
}
