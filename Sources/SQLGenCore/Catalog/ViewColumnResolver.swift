/// What a ``ViewColumnResolver`` found out about a view's query.
public enum ViewColumns: Sendable {
    /// The view's columns, in order (`isNotNull` as inferred from the query).
    case resolved([Column])
    /// The query is wrong the way PostgreSQL would reject it: the message and its byte offset.
    case failed(String, at: Int)
    /// The resolver cannot tell; the view is kept with unknown columns.
    case unknown(String)
}

/// A resolver that infers nothing: every view's columns stay unknown. For a builder used only to look
/// names up.
public struct ViewColumnsLeftUnknown: ViewColumnResolver {
    /// Creates the resolver.
    public init() {}

    /// Always ``ViewColumns/unknown(_:)``.
    public func columns(of query: SelectStatement, in catalog: Catalog) -> ViewColumns {
        .unknown("no view column resolver was given")
    }
}

/// The hook through which the catalog learns a view's columns from its query.
///
/// The catalog does not analyse queries itself; query analysis plugs in here
/// (``QueryAnalyzerViewResolver`` is the default).
public protocol ViewColumnResolver: Sendable {
    /// The columns the query produces, given the catalog as it stands when the view is created.
    func columns(of query: SelectStatement, in catalog: Catalog) -> ViewColumns
}
