/// The mode of a function parameter.
public enum ParameterMode: Sendable, Hashable {
    case `in`, out, inOut, variadic, table
}

/// One parameter of `CREATE FUNCTION`.
public struct FunctionParameterDefinition: Sendable, Hashable {
    public var name: String?
    public var type: TypeReference
    public var mode: ParameterMode
    public var hasDefault: Bool
}

/// `CREATE [OR REPLACE] FUNCTION` or `PROCEDURE`: the signature and return type.
public struct CreateFunction: Sendable, Hashable {
    public var name: QualifiedName
    public var parameters: [FunctionParameterDefinition]
    /// The declared return type (`SETOF` marked on it); `nil` for procedures and OUT-only functions.
    public var returnType: TypeReference?
    public var isProcedure: Bool
    public var orReplace: Bool
}

/// `CREATE [MATERIALIZED] VIEW name [(aliases)] AS query`.
public struct CreateView: Sendable, Hashable {
    public var name: QualifiedName
    public var columnAliases: [String]
    /// The defining query.
    public var query: SelectStatement
    public var materialized: Bool
    public var orReplace: Bool
    public var ifNotExists: Bool
}

/// `CREATE EXTENSION`.
public struct CreateExtension: Sendable, Hashable {
    public var name: String
    public var ifNotExists: Bool
    /// The `SCHEMA` option.
    public var schema: String?
    public var location: Int
}

/// `CREATE SCHEMA`, with any elements created inside it.
public struct CreateSchema: Sendable, Hashable {
    public var name: String
    public var ifNotExists: Bool
    public var elements: [Statement]
}
