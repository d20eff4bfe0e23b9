/// The kinds of object that DROP, COMMENT ON, RENAME and SET SCHEMA name.
public enum ObjectKind: String, Sendable, Hashable {
    case table, view, materializedView = "materialized view", type, domain, schema, function, procedure
    case `extension`, index, sequence, column, trigger, policy, enumValue = "enum value", constraint
    case foreignTable = "foreign table", other
}

/// A named object in DROP or COMMENT ON: its name parts and where they start.
public struct ObjectName: Sendable, Hashable {
    /// The name parts as written.
    public var parts: [String]
    /// Byte offset of the name (-1 when libpg_query gives none).
    public var location: Int

    /// Creates an object name.
    public init(parts: [String], location: Int) {
        self.parts = parts
        self.location = location
    }
}

/// `DROP kind name [, ...]`.
public struct DropObjects: Sendable, Hashable {
    public var kind: ObjectKind
    public var objects: [ObjectName]
    public var missingOK: Bool
    public var cascade: Bool
}

/// `COMMENT ON kind name IS 'text'` (a NULL comment removes it).
public struct CommentOn: Sendable, Hashable {
    public var kind: ObjectKind
    public var object: ObjectName
    public var text: String?
}

/// `ALTER ... RENAME` of tables, views, columns, types, schemas and constraints.
public struct RenameObject: Sendable, Hashable {
    /// What is renamed (a column's rename has kind `.column`).
    public var kind: ObjectKind
    /// The relation renamed or holding the column.
    public var relation: QualifiedName?
    /// The object renamed, for non-relations (types, schemas).
    public var object: ObjectName?
    /// The old name of a column, attribute or constraint.
    public var subname: String?
    /// The new name.
    public var newName: String
    /// `IF EXISTS`.
    public var missingOK: Bool
}

/// `ALTER ... SET SCHEMA`.
public struct SetSchema: Sendable, Hashable {
    public var kind: ObjectKind
    public var relation: QualifiedName?
    public var object: ObjectName?
    public var newSchema: String
    public var missingOK: Bool
}
