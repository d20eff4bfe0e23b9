/// The kinds of object that DROP, COMMENT ON, RENAME and SET SCHEMA name.
public enum ObjectKind: String, Sendable, Hashable {
    /// Kinds of object DDL names, with the words PostgreSQL spells them with.
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
    /// What kind of object is dropped.
    public var kind: ObjectKind
    /// The objects dropped.
    public var objects: [ObjectName]
    /// `IF EXISTS`.
    public var missingOK: Bool
    /// `CASCADE`.
    public var cascade: Bool
}

/// `COMMENT ON kind name IS 'text'` (a NULL comment removes it).
public struct CommentOn: Sendable, Hashable {
    /// What kind of object is commented on.
    public var kind: ObjectKind
    /// The object.
    public var object: ObjectName
    /// The comment, or nil for `IS NULL`.
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
    /// What kind of object moves.
    public var kind: ObjectKind
    /// The relation that moves, when it is one.
    public var relation: QualifiedName?
    /// The object that moves, when it is not a relation.
    public var object: ObjectName?
    /// The schema it moves to.
    public var newSchema: String
    /// `IF EXISTS`.
    public var missingOK: Bool
}
