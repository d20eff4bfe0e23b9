/// A possibly schema-qualified object name as written, with the byte offset
/// where it starts.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    /// The schema, when the name was qualified.
    public var schema: String?
    /// The object's own name.
    public var name: String
    /// Byte offset of the name in its file (-1 when unknown).
    public var location: Int

    /// Creates a name.
    public init(schema: String? = nil, name: String, location: Int = -1) {
        self.schema = schema
        self.name = name
        self.location = location
    }

    /// Creates a name from a list of parts (`[schema, name]` or `[name]`;
    /// a leading database name is dropped).
    public init(parts: [String], location: Int = -1) {
        self.name = parts.last ?? ""
        self.schema = parts.count >= 2 ? parts[parts.count - 2] : nil
        self.location = location
    }

    /// `schema.name` or `name`.
    public var description: String {
        schema.map { "\($0).\(name)" } ?? name
    }
}
