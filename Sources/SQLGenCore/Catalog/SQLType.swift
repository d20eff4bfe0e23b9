/// A resolved column, parameter or result type.
///
/// Built-in types are named by their internal name (`int4`) and printed the
/// way PostgreSQL's `format_type()` prints them without a type modifier
/// (`integer`); user-defined types are printed by their name.
public struct SQLType: Sendable, Hashable, CustomStringConvertible {
    /// The schema of a user-defined type (or of an extension's type); nil for core types.
    public var schema: String?
    /// The element type's internal name: `int4`, `varchar`, `deal_stage`.
    public var name: String
    /// The element type's printed name: `integer`, `character varying`, `deal_stage`.
    public var displayName: String
    /// 0 for a scalar; PostgreSQL does not enforce the number of dimensions, so any non-zero value prints as `[]`.
    public var arrayDimensions: Int
    /// Type modifiers as written (`varchar(40)` has `[40]`).
    public var modifiers: [Int]
    /// The OID of the element type when it is a core or extension type.
    public var builtinOID: UInt32?

    /// Creates a type.
    public init(
        schema: String? = nil, name: String, displayName: String, arrayDimensions: Int = 0, modifiers: [Int] = [],
        builtinOID: UInt32? = nil
    ) {
        self.schema = schema
        self.name = name
        self.displayName = displayName
        self.arrayDimensions = arrayDimensions
        self.modifiers = modifiers
        self.builtinOID = builtinOID
    }

    /// The type as `format_type()` prints it without a modifier: `integer`, `text[]`.
    public var formatted: String { arrayDimensions > 0 ? displayName + "[]" : displayName }

    /// The element type of an array (the type itself for a scalar).
    public var element: SQLType {
        var element = self
        element.arrayDimensions = 0
        return element
    }

    /// Whether this is an array.
    public var isArray: Bool { arrayDimensions > 0 }

    /// The same type without modifiers, for comparisons where they do not matter.
    public var withoutModifiers: SQLType {
        var copy = self
        copy.modifiers = []
        return copy
    }

    /// The type as PostgreSQL formats it (``formatted``).
    public var description: String { formatted }
}
