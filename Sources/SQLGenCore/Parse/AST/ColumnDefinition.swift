/// The kinds of constraint a column or table definition can carry.
public enum ConstraintKind: Sendable, Hashable {
    /// `NULL`, `NOT NULL`, `DEFAULT`, `GENERATED ... AS IDENTITY`, `GENERATED ALWAYS AS (...)`, `CHECK`.
    case null, notNull, defaultValue, identity, generated, check
    /// `PRIMARY KEY`, `UNIQUE`, `EXCLUDE`, `REFERENCES` or `FOREIGN KEY`.
    case primaryKey, unique, exclusion, foreignKey
    /// DEFERRABLE and similar attributes of the preceding constraint.
    case attribute
}

/// A constraint in a column definition, a table definition or `ALTER TABLE ... ADD`.
public struct ConstraintDefinition: Sendable, Hashable {
    /// What the constraint is.
    public var kind: ConstraintKind
    /// Its name, when one was given.
    public var name: String?
    /// The columns it covers, for table constraints (`PRIMARY KEY (a, b)`).
    public var columns: [String]
    /// The referenced table of a foreign key.
    public var referencedTable: QualifiedName?
    /// Byte offset of the constraint.
    public var location: Int
    /// The referenced columns of a foreign key (empty: the referenced table's primary key).
    public var referencedColumns: [String] = []
    /// Whether an identity is `GENERATED ALWAYS` (not `BY DEFAULT`).
    public var generatedAlways = false

    /// Creates a constraint.
    public init(
        kind: ConstraintKind, name: String? = nil, columns: [String] = [],
        referencedTable: QualifiedName? = nil, location: Int = -1
    ) {
        self.kind = kind
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.location = location
    }
}

/// One column in `CREATE TABLE`, `ALTER TABLE ADD COLUMN` or `CREATE TYPE ... AS (...)`.
public struct ColumnDefinition: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// Its type; `nil` in `PARTITION OF` and typed tables, where only constraints are added.
    public var type: TypeReference?
    /// Its constraints, in order.
    public var constraints: [ConstraintDefinition]
    /// Byte offset of the definition.
    public var location: Int

    /// Creates a column definition.
    public init(name: String, type: TypeReference?, constraints: [ConstraintDefinition] = [], location: Int = -1) {
        self.name = name
        self.type = type
        self.constraints = constraints
        self.location = location
    }

    /// Whether a constraint makes the column NOT NULL (NOT NULL, PRIMARY KEY, identity).
    public var declaresNotNull: Bool {
        var notNull = false
        for constraint in constraints {
            switch constraint.kind {
            case .notNull, .primaryKey, .identity: notNull = true
            case .null: notNull = false
            default: break
            }
        }
        return notNull
    }
}
