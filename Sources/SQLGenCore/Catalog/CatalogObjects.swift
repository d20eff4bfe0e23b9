import OrderedCollections

/// A column of a table, view or composite type.
public struct Column: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its type.
    public var type: SQLType
    /// Whether the column itself is NOT NULL (PostgreSQL's `attnotnull`).
    /// A domain's NOT NULL is on the domain; see ``Catalog/isNeverNull(_:)``.
    public var isNotNull: Bool
    /// Whether it has a default (serial and identity columns have one).
    public var hasDefault: Bool
    /// Whether it is `GENERATED ALWAYS AS (...) STORED`.
    public var isGenerated: Bool
    /// Whether it is an identity column.
    public var isIdentity: Bool
    /// Whether it is an identity column `GENERATED ALWAYS`: INSERT gives it a value only with
    /// `OVERRIDING SYSTEM VALUE`, and UPDATE only sets it to DEFAULT.
    public var isIdentityAlways = false
    /// `COMMENT ON COLUMN`, kept for doc comments.
    public var comment: String?

    /// Creates a column.
    public init(
        name: String, type: SQLType, isNotNull: Bool = false, hasDefault: Bool = false, isGenerated: Bool = false,
        isIdentity: Bool = false, comment: String? = nil
    ) {
        self.name = name
        self.type = type
        self.isNotNull = isNotNull
        self.hasDefault = hasDefault
        self.isGenerated = isGenerated
        self.isIdentity = isIdentity
        self.comment = comment
    }
}

/// What kind of relation a ``Table`` is.
public enum RelationKind: String, Sendable, Hashable {
    /// `CREATE TABLE`.
    case table
    /// `CREATE TABLE ... PARTITION BY`.
    case partitionedTable = "partitioned table"
    /// `CREATE VIEW`.
    case view
    /// `CREATE MATERIALIZED VIEW`.
    case materializedView = "materialized view"
    /// `CREATE SEQUENCE`: one row of `last_value`, `log_cnt` and `is_called`.
    case sequence
}

/// A table, view or materialized view.
public struct Table: Sendable, Hashable {
    /// Its schema.
    public var schema: String
    /// Its name.
    public var name: String
    /// What kind of relation it is.
    public var kind: RelationKind
    /// Its columns, in order.
    public var columns: [Column]
    /// The primary key's columns (empty without one).
    public var primaryKey: [String]
    /// The column lists of UNIQUE constraints.
    public var uniqueKeys: [[String]]
    /// Tables it inherits from or is a partition of.
    public var parents: [QualifiedName]
    /// Whether the view's columns were inferred (false until query analysis can read its query).
    public var columnsKnown: Bool
    /// `COMMENT ON TABLE`.
    public var comment: String?
    /// The columns of a partitioned table's partition key, which its unique keys must include.
    public var partitionColumns: [String] = []

    /// Creates a relation.
    public init(
        schema: String, name: String, kind: RelationKind = .table, columns: [Column] = [], primaryKey: [String] = [],
        uniqueKeys: [[String]] = [], parents: [QualifiedName] = [], columnsKnown: Bool = true, comment: String? = nil
    ) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueKeys = uniqueKeys
        self.parents = parents
        self.columnsKnown = columnsKnown
        self.comment = comment
    }

    /// The column with a name.
    public func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// The index of the column with a name.
    func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }
}

/// What a user-defined type is.
public enum UserTypeKind: Sendable, Hashable {
    /// `CREATE TYPE ... AS ENUM`, with its labels in order.
    case enumeration([String])
    /// `CREATE TYPE ... AS (...)`, with its fields.
    case composite([Column])
    /// `CREATE DOMAIN`, with its base type and whether the domain is NOT NULL.
    case domain(base: SQLType, isNotNull: Bool)
}

/// A user-defined type: an enum, a composite type or a domain.
public struct UserType: Sendable, Hashable {
    /// The schema the type is in.
    public var schema: String
    /// The type's name.
    public var name: String
    /// Enum, composite type or domain, with what defines it.
    public var kind: UserTypeKind
    /// `COMMENT ON TYPE` or `COMMENT ON DOMAIN`.
    public var comment: String?

    /// This type as a column type.
    public var sqlType: SQLType { SQLType(schema: schema, name: name, displayName: name) }
}

/// A parameter of a user-defined function.
public struct FunctionParameter: Sendable, Hashable {
    /// The parameter's name, when it has one.
    public var name: String?
    /// The parameter's type.
    public var type: SQLType
    /// IN, OUT, INOUT, VARIADIC or TABLE.
    public var mode: ParameterMode
    /// Whether it has a DEFAULT.
    public var hasDefault: Bool
}

/// A user-defined function or procedure signature.
public struct Function: Sendable, Hashable {
    /// The schema the function is in.
    public var schema: String
    /// The function's name.
    public var name: String
    /// Its parameters, in order.
    public var parameters: [FunctionParameter]
    /// The return type (`record` for OUT parameters and RETURNS TABLE; nil for procedures).
    public var returnType: SQLType?
    /// `SETOF` or `RETURNS TABLE`.
    public var returnsSet: Bool
    /// The result columns of `RETURNS TABLE` and OUT parameters.
    public var resultColumns: [Column]
    /// Whether it is a procedure (`CREATE PROCEDURE`).
    public var isProcedure: Bool
    /// `COMMENT ON FUNCTION` or `COMMENT ON PROCEDURE`.
    public var comment: String?

    /// The types of its input parameters, which identify it among overloads.
    public var inputTypes: [SQLType] {
        parameters.filter { $0.mode == .in || $0.mode == .inOut || $0.mode == .variadic }.map(\.type.withoutModifiers)
    }
}

/// A schema and the objects in it.
public struct CatalogSchema: Sendable, Hashable {
    /// The schema's name.
    public var name: String
    /// Tables, views and materialized views, in creation order.
    public var tables: OrderedDictionary<String, Table> = [:]
    /// Enums, composite types and domains, in creation order.
    public var types: OrderedDictionary<String, UserType> = [:]
    /// Functions by name (overloads in creation order).
    public var functions: OrderedDictionary<String, [Function]> = [:]
    /// Extensions installed into this schema.
    public var extensions: [String] = []
    /// `COMMENT ON SCHEMA`.
    public var comment: String?

    /// Creates an empty schema.
    public init(name: String) { self.name = name }

    /// Whether the schema holds no objects.
    public var isEmpty: Bool { tables.isEmpty && types.isEmpty && functions.isEmpty && extensions.isEmpty }
}
