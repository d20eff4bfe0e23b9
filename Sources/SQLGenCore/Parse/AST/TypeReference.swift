/// A type as written in SQL: `integer`, `varchar(40)`, `tenant_template.deal_stage[]`.
///
/// The parser has already normalised SQL's special spellings: `integer`
/// arrives as `pg_catalog.int4`, `timestamp with time zone` as
/// `pg_catalog.timestamptz`; plain names such as `text` stay unqualified.
public struct TypeReference: Sendable, Hashable {
    /// The name parts, e.g. `["pg_catalog", "int4"]` or `["text"]`.
    public var names: [String]
    /// Integer type modifiers, such as the 40 of `varchar(40)`.
    public var modifiers: [Int]
    /// Array dimensions written after the name (`text[]` has one).
    public var arrayDimensions: Int
    /// `SETOF` in a function's return type.
    public var isSetOf: Bool
    /// `%TYPE` references.
    public var copiesColumnType: Bool
    /// Byte offset of the type name in its file.
    public var location: Int

    /// Creates a type reference.
    public init(
        names: [String],
        modifiers: [Int] = [],
        arrayDimensions: Int = 0,
        isSetOf: Bool = false,
        copiesColumnType: Bool = false,
        location: Int = -1
    ) {
        self.names = names
        self.modifiers = modifiers
        self.arrayDimensions = arrayDimensions
        self.isSetOf = isSetOf
        self.copiesColumnType = copiesColumnType
        self.location = location
    }

    /// The name as a ``QualifiedName``.
    public var qualifiedName: QualifiedName { QualifiedName(parts: names, location: location) }
}
