/// The Swift type generated code uses for each PostgreSQL type.
///
/// | PostgreSQL | Swift |
/// |---|---|
/// | boolean | Bool |
/// | smallint, integer, bigint | Int16, Int32, Int64 |
/// | real, double precision | Float, Double |
/// | numeric | Decimal |
/// | text, varchar, char, citext, name | String |
/// | bytea | [UInt8] |
/// | uuid | UUID |
/// | timestamp, timestamptz | Date |
/// | date, time, timetz, interval | SQLDate, SQLTime, SQLTimeWithTimeZone, SQLInterval |
/// | json, jsonb | JSONValue |
/// | inet, cidr | SQLInet |
/// | enums | the generated enum |
/// | arrays | [T] |
/// | NULL-able | Optional |
public struct SwiftTypeMapping: Sendable {
    let catalog: Catalog

    /// Creates the mapping for a catalog (user types are looked up in it).
    public init(catalog: Catalog) { self.catalog = catalog }

    static let builtins: [String: String] = [
        "bool": "Bool", "int2": "Int16", "int4": "Int32", "int8": "Int64", "float4": "Float", "float8": "Double",
        "numeric": "Decimal", "text": "String", "varchar": "String", "bpchar": "String", "citext": "String",
        "name": "String", "char": "String", "bytea": "[UInt8]", "uuid": "UUID", "timestamp": "Date",
        "timestamptz": "Date", "date": "SQLDate", "time": "SQLTime", "timetz": "SQLTimeWithTimeZone",
        "interval": "SQLInterval", "json": "JSONValue", "jsonb": "JSONValue", "inet": "SQLInet", "cidr": "SQLInet",
        "oid": "UInt32", "money": "String", "xml": "String", "tsvector": "String", "tsquery": "String",
        "bit": "String", "varbit": "String", "macaddr": "String", "void": "Void", "record": "SQLRecord",
    ]

    /// The Swift type for a value, or nil when the type has no mapping (an override is needed).
    public func swiftType(_ type: SQLType, nullable: Bool) -> String? {
        guard var element = elementType(type.element) else { return nil }
        for _ in 0..<type.arrayDimensions { element = "[\(element)]" }
        return nullable ? element + "?" : element
    }

    private func elementType(_ type: SQLType) -> String? {
        if let schema = type.schema, let user = catalog.schemas[schema]?.types[type.name] {
            switch user.kind {
            case .enumeration, .composite: return Self.typeName(type.name)
            case .domain(let base, _): return swiftType(base, nullable: false)
            }
        }
        if let schema = type.schema, catalog.schemas[schema]?.tables[type.name] != nil {
            return Self.typeName(type.name)
        }
        return Self.builtins[type.name]
    }

    /// `deal_stage` → `DealStage`.
    public static func typeName(_ sqlName: String) -> String {
        sqlName.split(whereSeparator: { $0 == "_" || $0 == " " || $0 == "-" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
