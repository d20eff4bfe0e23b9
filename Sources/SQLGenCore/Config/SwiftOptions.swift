/// The `swift:` options of an `sql` entry.
public struct SwiftOptions: Sendable, Hashable {
    /// The access level of generated declarations: `public`, `package` or `internal`.
    public var accessLevel: String = "public"
    /// Queries with more parameters than this take a parameter struct.
    public var parameterStructThreshold: Int = 4
    /// Swift types for database types or columns, with the module they need.
    public var overrides: [TypeOverride] = []
    /// Swift names for SQL names (tables, columns, enum labels, types).
    public var renames: [String: String] = [:]
    /// Whether models, rows and parameter structs are `Codable` (`conformances: [Codable]`). Off by
    /// default: the compiler's synthesized coding is the largest part of the generated code's build.
    public var emitCodable = false
    /// Whether models, rows and parameter structs are `Hashable` (`conformances: [Hashable]`). Off by
    /// default, for the same reason.
    public var emitHashable = false
    /// Whether a table model whose primary key is `id` is `Identifiable`; on by default, as it costs nothing.
    public var emitIdentifiable = true

    /// The defaults.
    public init() {}
}

/// One `overrides` entry: a Swift type for a database type (`db_type: jsonb`)
/// or for one column (`column: contacts.custom_fields`).
public struct TypeOverride: Sendable, Hashable {
    /// The database type as `format_type` spells it (`jsonb`, `uuid`), when the override is by type.
    public var databaseType: String?
    /// `table.column` or `schema.table.column`, when the override is by column.
    public var column: String?
    /// The Swift type; it must conform to `SQLCodable` (`SQLJSONCodable` for JSON).
    public var swiftType: String
    /// A module to import for it.
    public var importModule: String?

    /// An override by database type or by column (give exactly one), to `swiftType` from `importModule`.
    public init(databaseType: String? = nil, column: String? = nil, swiftType: String, importModule: String? = nil) {
        self.databaseType = databaseType
        self.column = column
        self.swiftType = swiftType
        self.importModule = importModule
    }
}
