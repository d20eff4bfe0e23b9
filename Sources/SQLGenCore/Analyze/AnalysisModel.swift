/// A typed value: its SQL type and whether it can be NULL.
public struct TypedValue: Sendable, Hashable {
    /// The type (`unknown` for untyped literals).
    public var type: SQLType
    /// Whether the value can be NULL.
    public var nullable: Bool

    /// A value of `type`, NULL-able or not.
    public init(type: SQLType, nullable: Bool) {
        self.type = type
        self.nullable = nullable
    }
}

/// A result column of a query.
public struct ResultColumn: Sendable, Hashable {
    /// Its name, as PostgreSQL names it.
    public var name: String
    /// The column's type.
    public var type: SQLType
    /// Whether the column can be NULL.
    public var nullable: Bool
    /// The table column it comes from unchanged, if any: `(schema, table, column)`.
    public var source: ColumnSource?
    /// The table whose columns `sqlc.embed(t)` put here, for the embedded columns.
    public var embeddedTable: String?
    /// For a table embedded from the nullable side of an outer join (a row may have none of it, so the
    /// embedded model is optional): whether the column can be NULL in the table itself, which its
    /// model's field follows. `nullable` stays true: the result's column can be NULL.
    public var nullableInEmbeddedModel: Bool?
    /// The Swift type the query's SQL names for the column (`AS "meta: PostMeta"`), which decodes it.
    public var swiftType: String?
    /// For a name with sqlx-style marks (`"title!"`, `"meta: PostMeta"`): the name without them.
    public var nameWithoutMarks: String?

    /// The name the row's field is named after: the name without sqlx-style marks.
    public var fieldName: String { nameWithoutMarks ?? name }

    /// A column with no embedding and no overrides.
    public init(name: String, type: SQLType, nullable: Bool, source: ColumnSource? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.source = source
    }
}

/// A table column a result column or parameter is tied to.
public struct ColumnSource: Sendable, Hashable {
    /// The table's schema.
    public var schema: String
    /// The table's name.
    public var table: String
    /// The column's name.
    public var column: String
}

/// A query parameter after analysis.
public struct QueryParameter: Sendable, Hashable {
    /// Its `$n` number in the SQL sent to the server.
    public var number: Int
    /// Its name: the macro's name, or one derived from context (`email`, `limit`, `p1`).
    public var name: String
    /// The parameter's type.
    public var type: SQLType
    /// Whether the parameter may be NULL.
    public var nullable: Bool
    /// `sqlc.slice(name)`: an array bound once, for `= ANY(...)`.
    public var isSlice: Bool
    /// The table column the parameter's value is assigned to or compared with, when it has that
    /// column's type: an INSERT value, `SET col = $1`, `col = $1`. Overrides of the column apply to it.
    public var source: ColumnSource? = nil
}

/// How a query's results are returned (its annotation's command).
public enum QueryCommand: String, Sendable, Hashable, CaseIterable {
    /// The commands of `-- name: X :command`, spelled without the colon.
    case one, many, exec, execrows, execresult, copyfrom, batchexec, batchmany, batchone
}

/// Whether a query touches tenant tables.
public enum QueryScope: String, Sendable, Hashable {
    /// It reads or writes a table of the tenant template schema.
    case tenant
    /// It touches only shared tables.
    case global
    /// No tenancy is configured.
    case unscoped
}

/// The full analysis of one annotated query: what goes in and what comes out.
public struct AnalyzedQuery: Sendable, Hashable {
    /// The query's name, from its annotation.
    public var name: String
    /// The annotation's command.
    public var command: QueryCommand
    /// The file, as shown in diagnostics.
    public var file: String
    /// The annotation's line.
    public var line: Int
    /// The SQL exactly as sent to the server (macros rewritten to `$n`).
    public var sql: String
    /// Comment lines above the annotation.
    public var documentation: [String]
    /// Whether it runs in a tenant's schema or in the shared ones.
    public var scope: QueryScope
    /// The tables it reads, `schema.table`.
    public var tablesRead: [String]
    /// The tables it writes, `schema.table`.
    public var tablesWritten: [String]
    /// Its parameters, `$1` first.
    public var parameters: [QueryParameter]
    /// Its result columns, in order.
    public var columns: [ResultColumn]
    /// For a tenant-scoped read whose every tenant name can be schema-qualified: the UTF-8 offsets in
    /// ``sql`` where the tenant's quoted schema name and a dot go. nil when the statement must run
    /// under the tenant's search path instead.
    public var tenantNameOffsets: [Int]? = nil
    /// Whether the statement returns exactly one row whatever the data (`SingleRowProof`), so a
    /// `:one` query returns its row, not an optional one.
    public var returnsExactlyOneRow = false
    /// For a query with optional conditions or a caller-chosen sort: its variants. ``sql`` is then
    /// the variant with every condition and the first sort key, ascending.
    public var dynamic: DynamicQuery? = nil
    /// For a `:copyfrom` query: the table its INSERT names, as written, and the columns it lists.
    public var copyTarget: CopyTarget? = nil
}

/// The table and columns a `:copyfrom` query's `INSERT INTO table (columns)` names, which COPY loads.
public struct CopyTarget: Sendable, Hashable {
    /// The table as the INSERT writes it (`contacts`, `crm.contacts`).
    public var table: String
    /// The columns, in the INSERT's order.
    public var columns: [String]
}

/// What makes a query dynamic: its optional conditions (`sqlgen.optional(...)`) and its caller-chosen
/// sort (`sqlgen.sort(...)`), and the variants they expand it into, each a statement of its own.
public struct DynamicQuery: Sendable, Hashable {
    /// The optional conditions, in source order: for each, the positions in the query's
    /// ``AnalyzedQuery/parameters`` of the parameters that switch it on (it is included when all are given).
    public var conditions: [[Int]]
    /// The line of each condition in the query's file.
    public var conditionLines: [Int]
    /// Each condition as written (its blanks run together), for documentation.
    public var conditionTexts: [String] = []
    /// The sort keys, in source order; empty when the query has no `sqlgen.sort`.
    public var sortKeys: [String]
    /// Every variant, at index `sortChoice << conditions.count | includedConditions`, where bit `i`
    /// of `includedConditions` is condition `i` and `sortChoice` is `2 * key + (descending ? 1 : 0)`.
    public var variants: [AnalyzedQueryVariant]

    /// The most variants a query may expand into.
    public static let variantLimit = 64

    /// The variant at `index` in words: `sorted by created_at, descending, without the optional
    /// condition at line 12`.
    public func describe(variant index: Int) -> String {
        var parts: [String] = []
        if !sortKeys.isEmpty {
            let choice = index >> conditions.count
            parts.append("sorted by \(sortKeys[choice / 2]), \(choice % 2 == 0 ? "ascending" : "descending")")
        }
        let left = conditionLines.indices.filter { index & (1 << $0) == 0 }.map { "line \(conditionLines[$0])" }
        if !left.isEmpty {
            parts.append(
                "without the optional condition\(left.count == 1 ? "" : "s") at " + left.joined(separator: ", "))
        }
        if parts.isEmpty { return "with every optional condition" }
        return parts.joined(separator: ", ")
    }
}

/// One statement a dynamic query runs: its SQL and which of the query's parameters it binds.
public struct AnalyzedQueryVariant: Sendable, Hashable {
    /// The SQL sent to the server, with its own `$1...$n`.
    public var sql: String
    /// Where it must run (a variant without a condition on a tenant table may touch only shared ones).
    public var scope: QueryScope
    /// For a tenant-scoped read: where the tenant's schema name goes (``AnalyzedQuery/tenantNameOffsets``).
    public var tenantNameOffsets: [Int]?
    /// For each of the variant's `$n`, in order, its position in the query's ``AnalyzedQuery/parameters``.
    public var parameterPositions: [Int]
}
