/// Tenancy settings of one `sql` entry of `sqlgen.yaml`.
public struct TenancyConfiguration: Sendable, Hashable {
    /// The schema holding the tenant tables (default `tenant_template`).
    public var templateSchema: String = "tenant_template"
    /// Schemas shared by all tenants (default `public`).
    public var sharedSchemas: [String] = ["public"]
    /// The registry table (default `public.tenants`).
    public var registryTable: String = "public.tenants"
    /// Where each key's value is written in `sqlgen.yaml` (`template_schema`, `shared_schemas`,
    /// `registry_table`), for errors about what it names.
    public var locations: [String: SourceLocation] = [:]
    /// The text of each such line, shown under an error about it.
    public var sourceLines: [String: String] = [:]

    /// The defaults.
    public init() {}
}

/// One `sql` entry of `sqlgen.yaml`: a schema, its queries, and where the Swift goes.
public struct SQLEntryConfiguration: Sendable, Hashable {
    /// Schema files or folders, relative to the configuration's folder.
    public var schema: [String] = []
    /// Query files or folders, relative to the configuration's folder.
    public var queries: [String] = []
    /// The folder generated Swift is written to.
    public var output: String?
    /// The Swift module name of the generated code.
    public var module: String?
    /// Tenancy, when the schema is multi-tenant.
    public var tenancy: TenancyConfiguration?
    /// Options of the generated Swift.
    public var swift = SwiftOptions()
    /// Extensions sqlgen has no catalog for, declared for the queries that use them.
    public var extensions: [ExtensionDeclaration] = []

    /// An empty entry.
    public init() {}
}

/// The contents of `sqlgen.yaml`.
public struct Configuration: Sendable, Hashable {
    /// The file format version (1).
    public var version: Int = 1
    /// The `sql` entries.
    public var entries: [SQLEntryConfiguration] = []
    /// `database:` — a server `sqlgen compile` checks its analysis against.
    public var databaseURL: String?
    /// The folder the configuration file is in; relative paths start here.
    public var baseDirectory: String = "."

    /// An empty configuration.
    public init() {}
}
