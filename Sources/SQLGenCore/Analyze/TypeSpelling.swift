extension SQLType {
    /// The type as `format_type` spells it in a session whose search path is `searchPath`: a type of a
    /// schema the path does not name is qualified (`billing.plan`), as PostgreSQL prints it.
    func spelled(searchPath: [String]) -> SQLType {
        guard let schema, schema != "pg_catalog", !searchPath.contains(schema) else { return self }
        var copy = self
        copy.displayName = Self.identifier(schema) + "." + Self.identifier(name)
        return copy
    }

    /// A name as `quote_ident` writes it: bare when it is lower case letters, digits and underscores.
    private static func identifier(_ name: String) -> String {
        let plain =
            name.utf8.first.map { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            }
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
