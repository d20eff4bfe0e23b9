/// The Swift type generated code uses for each PostgreSQL type.
///
/// | PostgreSQL | Swift |
/// |---|---|
/// | boolean | Bool |
/// | smallint, integer, bigint | Int16, Int32, Int (Int64 through an override) |
/// | real, double precision | Float, Double |
/// | numeric | Decimal |
/// | text, varchar, char, citext, name | String |
/// | bytea | Data |
/// | uuid | UUID |
/// | timestamp, timestamptz | Date |
/// | date, time, timetz, interval | SQLDate, SQLTime, SQLTimeWithTimeZone, SQLInterval |
/// | json, jsonb | JSONValue |
/// | inet, cidr | SQLInet |
/// | oid, xid, cid, xid8 | UInt32, UInt32, UInt32, UInt64 |
/// | tid (`ctid`) | SQLTupleID |
/// | regclass, regtype, regproc and the other `reg*` types | String (the object's name) |
/// | enums, composite types | the generated enum or struct |
/// | arrays | [T] |
/// | NULL-able | Optional |
///
/// Overrides from the configuration win; a type with no mapping is read as
/// its text (`String`), with a warning naming the override to add.
public struct SwiftTypeMapping: Sendable {
    let catalog: Catalog
    let naming: SwiftNaming
    let overrides: [TypeOverride]
    /// Model names by `schema.table` (names shared by tables of two schemas carry the schema).
    let modelNames: [String: String]
    /// Enum and composite type names by `schema.type`.
    let userTypeNames: [String: String]
    /// The top-level names the models and types take (query types are claimed after them).
    let topLevelNames: SwiftNameScope
    /// Pairs of SQL names that derived the same Swift name: the second got a number (`Status2`).
    let mergedNames: [(sql: String, swift: String)]

    /// Creates the mapping for a catalog (user types are looked up in it).
    public init(
        catalog: Catalog, naming: SwiftNaming = SwiftNaming(), overrides: [TypeOverride] = [],
        preferredSchema: String = "public"
    ) {
        self.catalog = catalog
        self.naming = naming
        self.overrides = overrides
        let names = Self.topLevelNames(catalog: catalog, naming: naming, preferredSchema: preferredSchema)
        self.modelNames = names.models
        self.userTypeNames = names.types
        self.topLevelNames = names.scope
        self.mergedNames = names.merged
    }

    /// The Swift name of each enum, composite type, table and view. When tables of several schemas
    /// share a name, the one in `preferredSchema` keeps it and the others are prefixed with their
    /// schema; names that still meet get a number, in catalog order.
    static func topLevelNames(catalog: Catalog, naming: SwiftNaming, preferredSchema: String) -> (
        models: [String: String], types: [String: String], scope: SwiftNameScope, merged: [(sql: String, swift: String)]
    ) {
        var owners: [String: [String]] = [:]
        for table in catalog.allTables { owners[naming.modelName(table.name), default: []].append(table.schema) }
        for schema in catalog.schemas.values {
            for type in schema.types.values { owners[naming.typeName(type.name), default: []].append("type") }
        }
        var scope = SwiftNameScope(reserved: ModuleQualified.modules)
        var merged: [(sql: String, swift: String)] = []
        var types: [String: String] = [:]
        for schema in catalog.schemas.values {
            for type in schema.types.values {
                let claimed = scope.claim(naming.typeName(type.name))
                if claimed.merged { merged.append(("\(type.schema).\(type.name)", claimed.name)) }
                types["\(type.schema).\(type.name)"] = claimed.name
            }
        }
        var models: [String: String] = [:]
        for table in catalog.allTables {
            let name = naming.modelName(table.name)
            let shared = owners[name, default: []].count > 1
            let keeps = table.schema == preferredSchema && !owners[name, default: []].contains("type")
            let claimed = scope.claim(shared && !keeps ? naming.typeName(table.schema) + name : name)
            if claimed.merged { merged.append(("\(table.schema).\(table.name)", claimed.name)) }
            models["\(table.schema).\(table.name)"] = claimed.name
        }
        return (models, types, scope, merged)
    }

    /// The model name of a table.
    public func modelName(schema: String, table: String) -> String {
        modelNames["\(schema).\(table)"] ?? naming.modelName(table)
    }

    /// The Swift name of an enum or composite type.
    public func userTypeName(schema: String, name: String) -> String {
        userTypeNames["\(schema).\(name)"] ?? naming.typeName(name)
    }

    /// The Swift type of each built-in PostgreSQL type, qualified by module so that no generated or
    /// user type can shadow it (the compile report shows them without, ``ModuleQualified/unqualified(_:)``).
    static let builtins: [String: String] = {
        let swift: [String: String] = [
            "bool": "Bool", "int2": "Int16", "int4": "Int32", "int8": "Int", "float4": "Float", "float8": "Double",
            "text": "String", "varchar": "String", "bpchar": "String", "citext": "String", "name": "String",
            "char": "String", "oid": "UInt32", "money": "String", "xml": "String", "tsvector": "String",
            "tsquery": "String", "bit": "String", "varbit": "String", "macaddr": "String", "record": "String",
            "unknown": "String", "xid": "UInt32", "cid": "UInt32", "xid8": "UInt64",
            // An object identifier type reads and writes as the object's name (`contacts`,
            // `lower(text)`), which the server resolves when it is a parameter.
            "regclass": "String", "regproc": "String", "regprocedure": "String", "regoper": "String",
            "regoperator": "String", "regtype": "String", "regrole": "String", "regnamespace": "String",
            "regconfig": "String", "regdictionary": "String", "regcollation": "String",
        ]
        let foundation: [String: String] = [
            "numeric": "Decimal", "bytea": "Data", "uuid": "UUID", "timestamp": "Date", "timestamptz": "Date",
        ]
        let runtime: [String: String] = [
            "date": "SQLDate", "time": "SQLTime", "timetz": "SQLTimeWithTimeZone", "interval": "SQLInterval",
            "json": "JSONValue", "jsonb": "JSONValue", "inet": "SQLInet", "cidr": "SQLInet", "tid": "SQLTupleID",
        ]
        return swift.mapValues { "Swift." + $0 }.merging(foundation.mapValues { "Foundation." + $0 }) { a, _ in a }
            .merging(runtime.mapValues { "SQLGenRuntime." + $0 }) { a, _ in a }
    }()

    /// The Swift type for a value, or nil when the type has no mapping (an override is needed).
    public func swiftType(_ type: SQLType, nullable: Bool, column: ColumnSource? = nil) -> String? {
        let base: String
        if let override = override(for: type, column: column) {
            base = override
        } else {
            // An override of the element type (`db_type: semver`) is the element of its arrays too.
            guard var element = elementOverride(type.element) ?? elementType(type.element) else { return nil }
            for _ in 0..<type.arrayDimensions { element = "[\(element)]" }
            base = element
        }
        return nullable ? base + "?" : base
    }

    /// The override that applies to a column, or to its type as written (`db_type: text[]` for an
    /// array), if any.
    func override(for type: SQLType, column: ColumnSource?) -> String? {
        if let column {
            let short = "\(column.table).\(column.column)"
            let full = "\(column.schema).\(short)"
            if let match = overrides.first(where: { $0.column == short || $0.column == full }) {
                return match.swiftType
            }
        }
        guard type.isArray else { return elementOverride(type) }
        return overrides.first { $0.databaseType == type.formatted }?.swiftType
    }

    /// The override by type of a type that is not an array.
    private func elementOverride(_ type: SQLType) -> String? {
        overrides.first { $0.databaseType == type.formatted || $0.databaseType == type.name }?.swiftType
    }

    private func elementType(_ type: SQLType) -> String? {
        if let schema = type.schema, let user = catalog.schemas[schema]?.types[type.name] {
            switch user.kind {
            case .enumeration, .composite: return userTypeName(schema: schema, name: type.name)
            case .domain(let base, _): return swiftType(base, nullable: false)
            }
        }
        if let schema = type.schema, catalog.schemas[schema]?.tables[type.name] != nil {
            return modelName(schema: schema, table: type.name)
        }
        return Self.builtins[type.name]
    }
}
