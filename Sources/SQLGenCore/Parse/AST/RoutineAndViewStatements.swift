/// The mode of a function parameter.
public enum ParameterMode: Sendable, Hashable {
    case `in`, out, inOut, variadic, table
}

/// One parameter of `CREATE FUNCTION`.
public struct FunctionParameterDefinition: Sendable, Hashable {
    /// The parameter's name, when it has one.
    public var name: String?
    /// The parameter's type.
    public var type: TypeReference
    /// IN, OUT, INOUT, VARIADIC or TABLE.
    public var mode: ParameterMode
    /// Whether it has a DEFAULT.
    public var hasDefault: Bool
}

/// `CREATE [OR REPLACE] FUNCTION` or `PROCEDURE`: the signature and return type.
public struct CreateFunction: Sendable, Hashable {
    /// The function's name.
    public var name: QualifiedName
    /// Its parameters, in order.
    public var parameters: [FunctionParameterDefinition]
    /// The declared return type (`SETOF` marked on it); `nil` for procedures and OUT-only functions.
    public var returnType: TypeReference?
    /// Whether it is a procedure.
    public var isProcedure: Bool
    /// `OR REPLACE`.
    public var orReplace: Bool
}

/// `CREATE [MATERIALIZED] VIEW name [(aliases)] AS query`.
public struct CreateView: Sendable, Hashable {
    /// The view's name.
    public var name: QualifiedName
    /// Column aliases, in order.
    public var columnAliases: [String]
    /// The defining query.
    public var query: SelectStatement
    /// `MATERIALIZED`.
    public var materialized: Bool
    /// `OR REPLACE`.
    public var orReplace: Bool
    /// `IF NOT EXISTS`.
    public var ifNotExists: Bool
    /// `CREATE TABLE ... AS` or `SELECT ... INTO`: a table filled once from the query, whose columns
    /// have its types and no NOT NULL.
    public var asTable = false
}

/// `CREATE EXTENSION`.
public struct CreateExtension: Sendable, Hashable {
    /// The extension's name.
    public var name: String
    /// `IF NOT EXISTS`.
    public var ifNotExists: Bool
    /// The `SCHEMA` option.
    public var schema: String?
    /// Byte offset of the statement.
    public var location: Int
}

/// `CREATE SCHEMA`, with any elements created inside it.
public struct CreateSchema: Sendable, Hashable {
    /// The schema's name.
    public var name: String
    /// `IF NOT EXISTS`.
    public var ifNotExists: Bool
    /// Statements inside `CREATE SCHEMA`, in order.
    public var elements: [Statement]
}
