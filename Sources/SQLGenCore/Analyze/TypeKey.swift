/// Well-known OIDs of PostgreSQL's core types, used in type resolution.
enum KnownOID {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let name: UInt32 = 19
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let oid: UInt32 = 26
    static let json: UInt32 = 114
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let unknown: UInt32 = 705
    static let bpchar: UInt32 = 1042
    static let varchar: UInt32 = 1043
    static let date: UInt32 = 1082
    static let time: UInt32 = 1083
    static let timestamp: UInt32 = 1114
    static let timestamptz: UInt32 = 1184
    static let interval: UInt32 = 1186
    static let timetz: UInt32 = 1266
    static let bit: UInt32 = 1560
    static let numeric: UInt32 = 1700
    static let record: UInt32 = 2249
    static let any: UInt32 = 2276
    static let anyarray: UInt32 = 2277
    static let void: UInt32 = 2278
    static let trigger: UInt32 = 2279
    static let anyelement: UInt32 = 2283
    static let anynonarray: UInt32 = 2776
    static let anyenum: UInt32 = 3500
    static let anyrange: UInt32 = 3831
    static let jsonb: UInt32 = 3802
    static let anymultirange: UInt32 = 4537
    static let anycompatible: UInt32 = 5077
    static let anycompatiblearray: UInt32 = 5078
    static let anycompatiblenonarray: UInt32 = 5079
    static let anycompatiblerange: UInt32 = 5080
    static let anycompatiblemultirange: UInt32 = 4538
    static let textArray: UInt32 = 1009

    /// Polymorphic pseudo-types that bind to the element type of the call's arguments.
    static let polymorphicElement: Set<UInt32> = [
        anyelement, anynonarray, anyenum, anycompatible, anycompatiblenonarray,
    ]
    /// Polymorphic pseudo-types that bind to an array of that element.
    static let polymorphicArray: Set<UInt32> = [anyarray, anycompatiblearray]
    /// The polymorphic pseudo-types of the `anyelement` family, which must be decided by a typed argument.
    static let polymorphicFamily: Set<UInt32> = [anyelement, anynonarray, anyenum, anyarray, anyrange, anymultirange]
    /// Polymorphic range pseudo-types.
    static let polymorphicRange: Set<UInt32> = [anyrange, anycompatiblerange, anymultirange, anycompatiblemultirange]
}

/// A type as type resolution sees it: a core or extension type by OID, or a
/// user-defined type by kind. Domains resolve to their base type.
enum TypeKey: Hashable {
    case builtin(UInt32)
    /// A user enum (matches `anyenum`), scalar or array.
    case userEnum(SQLType)
    /// A composite type (a table's row, or `CREATE TYPE ... AS`), matches `record`.
    case composite(SQLType)

    var oid: UInt32? {
        if case .builtin(let oid) = self { return oid }
        return nil
    }

    var isUnknown: Bool { self == .builtin(KnownOID.unknown) }
}
