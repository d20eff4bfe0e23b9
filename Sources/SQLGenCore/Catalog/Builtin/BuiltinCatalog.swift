/// A type of PostgreSQL's own catalog (or of a known extension).
public struct BuiltinType: Sendable, Hashable {
    /// The type's OID on the server the data was read from.
    public var oid: UInt32
    /// Its internal name (`int4`, `timestamptz`, `_text`).
    public var name: String
    /// Its name as `format_type()` prints it (`integer`, `timestamp with time zone`, `text[]`).
    public var displayName: String
    /// `pg_type.typcategory` (`N` numeric, `S` string, `A` array, ...).
    public var category: UInt8
    /// Whether it is the preferred type of its category.
    public var isPreferred: Bool
    /// `pg_type.typtype` (`b` base, `p` pseudo, `e` enum, `d` domain, `r` range, `m` multirange).
    public var kind: UInt8
    /// The element type of an array type (0 otherwise).
    public var elementOID: UInt32
    /// The array type whose elements are this type (0 when none).
    public var arrayOID: UInt32
    /// The extension that provides it, or nil for core types.
    public var `extension`: String?
}

/// A function of PostgreSQL's own catalog (or of a known extension).
public struct BuiltinFunction: Sendable, Hashable {
    /// The function's `pg_proc` OID.
    public var oid: UInt32
    /// The function's name.
    public var name: String
    /// Input argument types.
    public var argumentTypes: [UInt32]
    /// The return type's OID.
    public var returnType: UInt32
    /// Whether it returns a set (`SETOF`).
    public var returnsSet: Bool
    /// `f` function, `a` aggregate, `w` window, `p` procedure.
    public var kind: UInt8
    /// Whether it is strict: NULL for any NULL argument.
    public var isStrict: Bool
    /// The element type of a VARIADIC argument (0 when none).
    public var variadicType: UInt32
    /// How many trailing arguments have defaults.
    public var defaultCount: Int
    /// All argument types, OUT ones included (empty when all are IN).
    public var allArgumentTypes: [UInt32]
    /// Argument modes (`i`, `o`, `b`, `v`, `t`), parallel to ``allArgumentTypes``.
    public var argumentModes: [UInt8]
    /// Argument names (`?` where unnamed), parallel to ``allArgumentTypes`` or the inputs.
    public var argumentNames: [String]
    /// The extension that defines it, or nil for PostgreSQL's own.
    public var `extension`: String?
}

/// An operator of PostgreSQL's own catalog (or of a known extension).
public struct BuiltinOperator: Sendable, Hashable {
    /// The operator's name (`+`, `@>`).
    public var name: String
    /// Left operand type (0 for prefix operators).
    public var left: UInt32
    /// Right operand type.
    public var right: UInt32
    /// Result type.
    public var result: UInt32
    /// The extension that defines it, or nil for PostgreSQL's own.
    public var `extension`: String?
    /// Whether its result is NULL only when an operand is (every built-in operator's function is
    /// strict; a declared operator says so with `strict`).
    public var isStrict = true
}

/// How a cast may be applied: `i` implicitly, `a` in assignment, `e` explicitly only.
public struct BuiltinCast: Sendable, Hashable {
    /// The source type's OID.
    public var source: UInt32
    /// The target type's OID.
    public var target: UInt32
    /// `i`, `a` or `e`.
    public var context: UInt8
}

/// PostgreSQL 15's built-in types, functions, operators and casts, read from
/// a real server by `scripts/generate-builtin-catalog.py`, plus the objects of
/// the extensions sqlgen knows (citext, pgcrypto, uuid-ossp, hstore, pg_trgm,
/// unaccent, fuzzystrmatch, ltree).
///
/// The data is a compact tab-separated text compiled into the binary and
/// decoded once, on first use, in a few milliseconds.
public struct BuiltinCatalog: Sendable {
    /// The catalog compiled into sqlgen.
    public static let shared = BuiltinCatalog(rows: builtinCatalogRows)

    /// The PostgreSQL version the data was read from.
    public static var serverVersion: String { builtinCatalogServerVersion }

    /// Types by OID.
    public internal(set) var typesByOID: [UInt32: BuiltinType] = [:]
    /// Core (pg_catalog) types by internal name.
    public internal(set) var coreTypesByName: [String: UInt32] = [:]
    /// Extension types by extension, then by name.
    public internal(set) var extensionTypes: [String: [String: UInt32]] = [:]
    /// Functions by name.
    public internal(set) var functionsByName: [String: [BuiltinFunction]] = [:]
    /// Operators by name.
    public internal(set) var operatorsByName: [String: [BuiltinOperator]] = [:]
    /// Casts by source and target type.
    public internal(set) var casts: [CastKey: BuiltinCast] = [:]
    /// The extensions whose objects are included.
    public internal(set) var knownExtensions: Set<String> = []
    /// Strict functions that returned NULL for some non-NULL arguments when the catalog's generator
    /// called them with edge values (`to_char` of an infinite timestamp, `array_upper` of an empty
    /// array, `scale` of NaN), by OID.
    public internal(set) var nullForNonNullArguments: Set<UInt32> = []
    /// The extensions declared in `sqlgen.yaml` whose objects were added (``declaring(_:)``).
    public internal(set) var declarations: [ExtensionDeclaration] = []
    /// Declared types by name.
    var declaredTypesByName: [String: UInt32] = [:]
    /// Declared operators by name (the built-in ones are in ``operatorsByName``).
    public internal(set) var declaredOperatorsByName: [String: [BuiltinOperator]] = [:]
    /// The system catalogs and views by schema and name, decoded from the `R` rows the first time a
    /// query reads one, so that other runs do not pay for them.
    private static let systemRelations: [String: [String: BuiltinRelation]] = {
        var relations: [String: [String: BuiltinRelation]] = [:]
        var text = builtinCatalogRows
        text.withUTF8 { buffer in
            for line in buffer.split(separator: UInt8(ascii: "\n")) where line.first == UInt8(ascii: "R") {
                let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                    String(decoding: $0, as: UTF8.self)
                }
                guard fields.count >= 7 else { continue }
                let column = BuiltinRelation.Column(
                    name: fields[4], typeOID: UInt32(fields[5]) ?? 0, isNotNull: fields[6] == "1")
                relations[fields[1], default: [:]][fields[2], default: BuiltinRelation(isView: fields[3] == "v")]
                    .columns.append(column)
            }
        }
        return relations
    }()

    /// A system catalog or view: whether it is a view, and its columns.
    struct BuiltinRelation: Sendable {
        struct Column: Sendable {
            var name: String
            var typeOID: UInt32
            var isNotNull: Bool
        }
        var isView: Bool
        var columns: [Column] = []
    }

    /// A (source, target) pair of type OIDs.
    public struct CastKey: Sendable, Hashable {
        /// The source type's OID.
        public var source: UInt32
        /// The target type's OID.
        public var target: UInt32
    }

    /// Decodes the catalog from its tab-separated rows.
    init(rows: String) {
        var text = rows
        text.withUTF8 { buffer in
            for line in buffer.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "R") {
                let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                    String(decoding: $0, as: UTF8.self)
                }
                guard let kind = fields.first else { continue }
                switch kind {
                case "T" where fields.count >= 11: addType(fields)
                case "F" where fields.count >= 14: addFunction(fields)
                case "O" where fields.count >= 6: addOperator(fields)
                case "C" where fields.count >= 4: addCast(fields)
                case "N" where fields.count >= 2: nullForNonNullArguments.insert(UInt32(fields[1]) ?? 0)
                default: continue
                }
            }
        }
    }

    private mutating func addType(_ fields: [String]) {
        let type = BuiltinType(
            oid: UInt32(fields[1]) ?? 0, name: fields[2], displayName: fields[3],
            category: fields[4].utf8.first ?? 0, isPreferred: fields[5] == "1", kind: fields[6].utf8.first ?? 0,
            elementOID: UInt32(fields[7]) ?? 0, arrayOID: UInt32(fields[8]) ?? 0,
            extension: fields[10].isEmpty ? nil : fields[10])
        typesByOID[type.oid] = type
        if let name = type.extension {
            extensionTypes[name, default: [:]][type.name] = type.oid
            knownExtensions.insert(name)
        } else {
            coreTypesByName[type.name] = type.oid
        }
    }

    private mutating func addFunction(_ fields: [String]) {
        let function = BuiltinFunction(
            oid: UInt32(fields[1]) ?? 0, name: fields[2], argumentTypes: Self.oids(fields[3]),
            returnType: UInt32(fields[4]) ?? 0, returnsSet: fields[5] == "1", kind: fields[6].utf8.first ?? 0,
            isStrict: fields[7] == "1", variadicType: UInt32(fields[8]) ?? 0, defaultCount: Int(fields[9]) ?? 0,
            allArgumentTypes: Self.oids(fields[10]), argumentModes: Array(fields[11].utf8),
            argumentNames: fields[12].isEmpty
                ? [] : fields[12].split(separator: " ", omittingEmptySubsequences: false).map(String.init),
            extension: fields[13].isEmpty ? nil : fields[13])
        functionsByName[function.name, default: []].append(function)
        if let name = function.extension { knownExtensions.insert(name) }
    }

    /// A system catalog or view of `schema` (`pg_catalog`, `information_schema`), as a relation
    /// queries can read; nil when there is none of that name.
    public func relation(schema: String, name: String) -> Table? {
        guard let relation = Self.systemRelations[schema]?[name] else { return nil }
        let columns = relation.columns.compactMap { column -> Column? in
            guard let type = typesByOID[column.typeOID] else { return nil }
            // An array type is its element's array (`int2vector` and `oidvector` are types of their own).
            let arrayElement = typesByOID[type.elementOID].flatMap { $0.arrayOID == type.oid ? $0 : nil }
            let isArray = arrayElement != nil
            let element = arrayElement ?? type
            let sqlType = SQLType(
                name: element.name, displayName: element.displayName, arrayDimensions: isArray ? 1 : 0,
                builtinOID: element.oid)
            return Column(name: column.name, type: sqlType, isNotNull: column.isNotNull)
        }
        return Table(schema: schema, name: name, kind: relation.isView ? .view : .table, columns: columns)
    }

    private mutating func addOperator(_ fields: [String]) {
        let op = BuiltinOperator(
            name: fields[1], left: UInt32(fields[2]) ?? 0, right: UInt32(fields[3]) ?? 0,
            result: UInt32(fields[4]) ?? 0, extension: fields[5].isEmpty ? nil : fields[5])
        operatorsByName[op.name, default: []].append(op)
    }

    private mutating func addCast(_ fields: [String]) {
        let cast = BuiltinCast(
            source: UInt32(fields[1]) ?? 0, target: UInt32(fields[2]) ?? 0, context: fields[3].utf8.first ?? 0)
        casts[CastKey(source: cast.source, target: cast.target)] = cast
    }

    private static func oids(_ field: String) -> [UInt32] {
        field.isEmpty ? [] : field.split(separator: " ").compactMap { UInt32($0) }
    }

    /// A core type by its internal name (`int4`) or display name (`integer`).
    public func coreType(named name: String) -> BuiltinType? {
        coreTypesByName[name].flatMap { typesByOID[$0] }
    }
}
