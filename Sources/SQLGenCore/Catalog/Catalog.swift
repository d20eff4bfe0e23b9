import OrderedCollections

/// The database's schema as the migrations leave it: every schema, table,
/// view, type and function, built by applying DDL in order (see ``CatalogBuilder``).
public struct Catalog: Sendable, Hashable {
    /// Schemas by name, in creation order (`public` exists from the start, as in a new database).
    public internal(set) var schemas: OrderedDictionary<String, CatalogSchema>
    /// The search path unqualified names resolve through (`SET search_path` in a migration changes it).
    public internal(set) var searchPath: [String]

    /// An empty database: the `public` schema, searched first, with PostgreSQL's built-in objects and
    /// those of `builtins`' declared extensions.
    public init(builtins: BuiltinCatalog = .shared) {
        schemas = ["public": CatalogSchema(name: "public")]
        searchPath = ["public"]
        self.builtins = builtins
    }

    /// Whether two catalogs have the same schemas, search path and declared extensions.
    public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
        lhs.schemas == rhs.schemas && lhs.searchPath == rhs.searchPath
            && lhs.builtins.declarations == rhs.builtins.declarations
    }

    /// Hashes the schemas and the search path.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(schemas)
        hasher.combine(searchPath)
    }

    /// The built-in types, functions and operators, with those of the extensions declared in `sqlgen.yaml`.
    public internal(set) var builtins: BuiltinCatalog

    /// The schemas of the search path that exist, in order.
    public var existingSearchPath: [String] { searchPath.filter { schemas[$0] != nil } }

    /// The schema new unqualified objects are created in: the first existing one of the search path.
    public var creationSchema: String? { existingSearchPath.first }

    /// Looks up a table or view, through the search path when unqualified.
    public func table(_ name: QualifiedName) -> Table? {
        if let schema = name.schema { return schemas[schema]?.tables[name.name] }
        for schema in existingSearchPath {
            if let table = schemas[schema]?.tables[name.name] { return table }
        }
        return nil
    }

    /// Looks up a user-defined type, through the search path when unqualified.
    public func userType(_ name: QualifiedName) -> UserType? {
        if let schema = name.schema { return schemas[schema]?.types[name.name] }
        for schema in existingSearchPath {
            if let type = schemas[schema]?.types[name.name] { return type }
        }
        return nil
    }

    /// Every table, view and materialized view, schema by schema in creation order.
    public var allTables: [Table] { schemas.values.flatMap { $0.tables.values } }

    /// Whether a value of this column type can never be NULL because of the
    /// column's own NOT NULL or a NOT NULL domain.
    public func isNeverNull(_ column: Column) -> Bool {
        column.isNotNull || isNotNullDomain(column.type)
    }

    /// Whether a type is a domain declared NOT NULL (directly or through its base domain).
    public func isNotNullDomain(_ type: SQLType) -> Bool {
        guard !type.isArray, let schema = type.schema,
            let userType = schemas[schema]?.types[type.name], case .domain(let base, let notNull) = userType.kind
        else { return false }
        return notNull || isNotNullDomain(base)
    }
}
