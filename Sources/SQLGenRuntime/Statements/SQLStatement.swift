/// Which schema a statement must run in.
public enum StatementScope: String, Sendable, Hashable {
    /// It touches tenant tables: it runs only in a tenant's schema.
    case tenant
    /// It touches only shared tables.
    case global
    /// No tenancy is configured.
    case unscoped
}

/// A statement's parameters, in PostgreSQL's text format (nil for NULL).
public struct SQLBindings: Sendable {
    /// What appending a value does.
    enum Mode {
        /// Keeps each value's text in ``values``.
        case parameters
        /// Writes COPY's text format into ``copyData``: fields tab-separated, rows ended by a newline.
        case copyText
        /// Writes COPY's binary format into ``copyData``: rows of a field count and length-prefixed fields.
        case copyBinary
        /// Records each value's ``SQLEncodable/binaryCopyFormat`` in ``binaryFormats``.
        case binaryFormats
    }

    /// The values, in `$1...$n` order.
    public private(set) var values: [String?] = []
    /// The number (1-based) of the first value holding a NUL character, which libpq would cut off there
    /// (parameters go to it as C strings) and PostgreSQL's text cannot store.
    private(set) var firstValueWithNUL: Int?
    /// The COPY data written so far (see ``forCopy(binary:)``).
    var copyData: [UInt8] = []
    /// The binary formats of the values appended, in ``Mode/binaryFormats``.
    private(set) var binaryFormats: [BinaryCopyFormat?] = []
    private var mode = Mode.parameters
    private var rowFields = 0
    private var rowStart = 0

    /// No values.
    public init() {}

    /// Bindings that write COPY data, row after row, instead of keeping each value's text.
    static func forCopy(binary: Bool) -> SQLBindings {
        var bindings = SQLBindings()
        bindings.mode = binary ? .copyBinary : .copyText
        bindings.copyData.reserveCapacity(1 << 17)
        if binary { bindings.copyData.append(contentsOf: BinaryCopy.header) }
        return bindings
    }

    /// Bindings that record the binary COPY format of each value.
    static func forBinaryFormats() -> SQLBindings {
        var bindings = SQLBindings()
        bindings.mode = .binaryFormats
        return bindings
    }

    /// Appends the next parameter.
    public mutating func append<Value: SQLEncodable>(_ value: Value) {
        switch mode {
        case .parameters:
            let text = value.sqlText()
            if firstValueWithNUL == nil, let text, text.utf8.contains(0) { firstValueWithNUL = values.count + 1 }
            values.append(text)
        case .copyText:
            if rowFields > 0 { copyData.append(9) }
            rowFields += 1
            value.appendCopyField(to: &copyData)
        case .copyBinary:
            if rowFields == 0 {
                rowStart = copyData.count
                copyData.append(contentsOf: [0, 0])
            }
            rowFields += 1
            value.appendBinaryCopyField(to: &copyData)
        case .binaryFormats:
            binaryFormats.append(Value.binaryCopyFormat)
        }
    }

    /// Ends a row of COPY data.
    mutating func endCopyRow() {
        switch mode {
        case .copyText:
            copyData.append(10)
        case .copyBinary:
            if rowFields == 0 {
                rowStart = copyData.count
                copyData.append(contentsOf: [0, 0])
            }
            copyData[rowStart] = UInt8(truncatingIfNeeded: rowFields >> 8)
            copyData[rowStart + 1] = UInt8(truncatingIfNeeded: rowFields)
        case .parameters, .binaryFormats:
            break
        }
        rowFields = 0
    }
}

/// A typed statement: its SQL, how it binds its parameters and decodes its rows.
///
/// Generated query functions run a ``QueryStatement`` (or, for a query with a parameter struct, a
/// batch or COPY, the generated statement type that holds the parameters); a type of your own can
/// conform too:
///
/// ```swift
/// struct UserCount: SQLStatement {
///     typealias Row = Int64
///     static var name: String { "UserCount" }
///     static var sql: String { "SELECT count(*) FROM users" }
///     static var scope: StatementScope { .global }
///     func bind(to bindings: inout SQLBindings) {}
///     static func decode(_ row: SQLRow) throws(SQLGenError) -> Int64 {
///         try row.decode(0, as: Int64.self, name: "count")
///     }
/// }
/// let users = try await pool.queryFirst(UserCount())
/// ```
public protocol SQLStatement: Sendable {
    /// The row type (`Void` for statements without rows).
    associatedtype Row: Sendable

    /// The query's name, for logs, metrics and errors.
    static var name: String { get }
    /// The SQL sent to the server, with `$n` parameters.
    static var sql: String { get }
    /// Where it must run.
    static var scope: StatementScope { get }
    /// For a tenant-scoped read: the UTF-8 offsets in ``sql`` where the tenant's quoted schema name and a
    /// dot go, so that it names the tenant's tables itself instead of running under the tenant's
    /// search path (nil: it runs under the path).
    static var tenantNameOffsets: [Int]? { get }

    /// The SQL of this statement value; by default ``sql``.
    var sqlText: String { get }
    /// The scope of this statement value; by default ``scope``.
    var declaredScope: StatementScope { get }
    /// The name of this statement value, for logs, metrics and errors; by default ``name``.
    var statementName: String { get }
    /// The tenant name offsets of this statement value; by default ``tenantNameOffsets``.
    var declaredTenantNameOffsets: [Int]? { get }

    /// Binds the parameters in order.
    func bind(to bindings: inout SQLBindings)
    /// Decodes one row.
    static func decode(_ row: SQLRow) throws(SQLGenError) -> Row
}

extension SQLStatement {
    /// The statement's parameters, or ``SQLGenError/Kind/invalidParameter`` naming the first one that
    /// holds a NUL character: nothing is sent rather than a value cut short at the NUL. Executors bind
    /// these.
    public func boundParameters() throws(SQLGenError) -> SQLBindings {
        var bindings = SQLBindings()
        bind(to: &bindings)
        if let number = bindings.firstValueWithNUL {
            throw SQLGenError(
                .invalidParameter,
                message:
                    "parameter $\(number) holds a NUL character, which PostgreSQL text cannot store; nothing was sent",
                statementName: statementName)
        }
        return bindings
    }

    /// By default, ``sql``.
    public var sqlText: String { Self.sql }
    /// By default, ``scope``.
    public var declaredScope: StatementScope { Self.scope }
    /// By default, ``name``.
    public var statementName: String { Self.name }
    /// By default, ``tenantNameOffsets``.
    public var declaredTenantNameOffsets: [Int]? { Self.tenantNameOffsets }
    /// By default nil: the statement runs under the tenant's search path.
    public static var tenantNameOffsets: [Int]? { nil }
}

/// Plain SQL with bindings, for what the generator does not cover.
public struct PlainStatement: SQLStatement {
    /// Each row's columns as text, by name.
    public typealias Row = SQLRowValues

    /// `sql`: plain statements share one name in logs, metrics and errors.
    public static var name: String { "sql" }
    /// Empty: each value's SQL is ``text``.
    public static var sql: String { "" }
    /// Unscoped: each value's scope is ``declaredScope``.
    public static var scope: StatementScope { .unscoped }

    /// The SQL, with `$n` parameters.
    public let text: String
    /// The parameters' values.
    public let bindings: SQLBindings
    /// Where it must run: a ``TenantPool`` runs only statements that say.
    public let declaredScope: StatementScope

    /// The SQL sent: ``text``.
    public var sqlText: String { text }

    /// Plain SQL; through a ``TenantPool`` give `scope` `.tenant` (the current tenant's schema) or
    /// `.global` (the shared schemas only).
    public init(_ text: String, bindings: SQLBindings = SQLBindings(), scope: StatementScope = .unscoped) {
        self.text = text
        self.bindings = bindings
        self.declaredScope = scope
    }

    /// Binds ``bindings``.
    public func bind(to bindings: inout SQLBindings) { bindings = self.bindings }

    /// Each column's text, by name.
    public static func decode(_ row: SQLRow) throws(SQLGenError) -> SQLRowValues { row.values }
}

/// A row of plain SQL as text values by column name.
public struct SQLRowValues: Sendable, Hashable {
    /// The column names, in result order.
    public var columns: [String]
    /// Each column's text (nil for NULL), in the order of ``columns``.
    public var values: [String?]

    /// The text of a column by name.
    public subscript(column: String) -> String? {
        columns.firstIndex(of: column).flatMap { values[$0] }
    }
}
