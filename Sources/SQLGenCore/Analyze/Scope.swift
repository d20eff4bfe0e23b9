/// A column visible in a query's scope.
struct ScopeColumn {
    var name: String
    var value: TypedValue
    var source: ColumnSource?
}

/// A FROM item as the scope sees it: the name it is referred to by and its columns.
struct RangeEntry {
    var name: String
    var columns: [ScopeColumn]
    /// The table behind it, for `sqlc.embed` and for reporting tables read.
    var table: Table?
    /// Whether it is on the nullable side of an outer join.
    var outerJoined: Bool
    /// Columns merged by JOIN ... USING, hidden from `*` expansion of this entry.
    var hiddenFromStar: Set<String> = []
    /// On the first entry of a JOIN with USING or NATURAL: the order `*` expands the whole join's
    /// columns in, as PostgreSQL does (the merged columns first, then the left side's others, then the
    /// right side's), each an entry's ``id`` and the column's index in its ``columns``.
    var starOrder: [(entry: Int, column: Int)]?
    /// Whether the item is one function returning a scalar, whose whole-row reference is that scalar.
    var scalarRow = false
    /// Whether only qualified references may reach it (the target of INSERT ... ON CONFLICT's `excluded`).
    var qualifiedOnly = false
    /// Whether it is a side of a JOIN, whose system columns only a qualified reference reaches.
    var insideJoin = false
    /// Identifies the entry across copies, for outer-join and WHERE refinements.
    var id: Int
}

/// The names a query can refer to: FROM entries, and the enclosing query's for
/// correlated subqueries and LATERAL.
struct Scope {
    var entries: [RangeEntry] = []
    var parent: [RangeEntry] = []
    /// Common table expressions visible here.
    var ctes: [String: [ScopeColumn]] = [:]
}

/// A column reference that could not be resolved, with PostgreSQL's message.
struct ResolutionError: Error {
    var message: String
    var location: Int
    /// Whether the input is valid SQL that sqlgen does not analyse yet.
    var isUnsupported = false

    static func unsupported(_ message: String, location: Int) -> ResolutionError {
        ResolutionError(message: message, location: location, isUnsupported: true)
    }
}
