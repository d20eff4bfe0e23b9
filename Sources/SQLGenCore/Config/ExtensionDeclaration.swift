/// An extension sqlgen has no catalog for (pgvector, PostGIS, semver, ...), declared in an `sql`
/// entry's `extensions:`: the types, functions and operators of it that queries use.
///
/// ```yaml
/// extensions:
///   semver:
///     types:
///       semver: { swift_type: SemanticVersion, import: Versions }
///     functions:
///       - get_semver_major(semver) returns integer strict
///     operators:
///       - semver > semver returns boolean strict
/// ```
///
/// The schema files still create the extension (`CREATE EXTENSION semver`): its types exist in the
/// schema it is created in, as on the server.
public struct ExtensionDeclaration: Sendable, Hashable {
    /// The extension's name, as `CREATE EXTENSION` names it.
    public var name: String
    /// Its types, in the order written.
    public var types: [DeclaredType] = []
    /// Its functions and aggregates: `name(type, ...) returns [setof] type [strict] [aggregate]`.
    public var functions: [DeclaredSignature] = []
    /// Its operators: `[left] op right returns type [strict]`.
    public var operators: [DeclaredSignature] = []
    /// Where the extension's key is written.
    public var location: SourceLocation?

    /// An extension with nothing declared yet.
    public init(name: String, location: SourceLocation? = nil) {
        self.name = name
        self.location = location
    }
}

/// A type of a declared extension, and the Swift type generated code uses for it.
public struct DeclaredType: Sendable, Hashable {
    /// The type's name (`vector`, `semver`).
    public var name: String
    /// The Swift type, which conforms to `SQLCodable` (it reads and writes the type's text form);
    /// `String` when not given.
    public var swiftType: String
    /// A module to import for the Swift type.
    public var importModule: String?
    /// `pg_type.typcategory` (`U` user-defined unless given; `S` string, `N` numeric...), which
    /// decides what the server casts implicitly and which overload it prefers.
    public var category: UInt8
    /// Where it is declared.
    public var location: SourceLocation?

    /// A declared type.
    public init(
        name: String, swiftType: String = "Swift.String", importModule: String? = nil,
        category: UInt8 = UInt8(ascii: "U"), location: SourceLocation? = nil
    ) {
        self.name = name
        self.swiftType = swiftType
        self.importModule = importModule
        self.category = category
        self.location = location
    }
}

/// A function or operator signature as written in `sqlgen.yaml`, read when the catalog is built.
public struct DeclaredSignature: Sendable, Hashable {
    /// The text (`l2_distance(vector, vector) returns double precision strict`).
    public var text: String
    /// Where it is written.
    public var location: SourceLocation?
    /// The line it is on, shown under an error about it.
    public var sourceLine: String?

    /// A signature's text, and where it is written.
    public init(text: String, location: SourceLocation? = nil, sourceLine: String? = nil) {
        self.text = text
        self.location = location
        self.sourceLine = sourceLine
    }
}
