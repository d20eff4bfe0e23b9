/// What a ``ViewColumnResolver`` found out about a view's query.
public enum ViewColumns: Sendable {
    /// The view's columns, in order.
    case resolved([Column])
    /// The query is wrong the way PostgreSQL would reject it: the message and its byte offset.
    case failed(String, at: Int)
    /// The resolver cannot tell; the view is kept with unknown columns.
    case unknown
}

/// The hook through which the catalog learns a view's columns from its query.
///
/// The catalog does not analyse queries itself; query analysis plugs in here.
public protocol ViewColumnResolver: Sendable {
    /// The columns the query produces, given the catalog as it stands when the view is created.
    func columns(of query: SelectStatement, in catalog: Catalog) -> ViewColumns
}

/// Resolves views whose select list holds only column references, `*`,
/// `t.*` and casts over tables, views, joins and subqueries in FROM; any other
/// expression leaves the view's columns unknown until full query analysis.
public struct SelectListViewResolver: ViewColumnResolver {
    /// Creates the resolver.
    public init() {}

    /// A relation in FROM: the name it is referred to by, and its columns with nullability after outer joins.
    private struct Source {
        var name: String
        var columns: [Column]
    }

    public func columns(of query: SelectStatement, in catalog: Catalog) -> ViewColumns {
        guard query.with == nil, case .simple(let select) = query.body else { return .unknown }
        return columns(of: select, in: catalog)
    }

    private func columns(of select: SimpleSelect, in catalog: Catalog) -> ViewColumns {
        var sources: [Source] = []
        for item in select.from {
            switch self.sources(of: item, in: catalog) {
            case .success(let found): sources.append(contentsOf: found)
            case .failure(let failure): return failure.result
            }
        }
        var columns: [Column] = []
        for target in select.targets {
            switch target.expression {
            case .star(let qualifier, let location):
                let matching = qualifier.isEmpty ? sources : sources.filter { $0.name == qualifier.last }
                if matching.isEmpty {
                    return qualifier.isEmpty
                        ? .failed("SELECT * with no tables specified is not valid", at: location)
                        : .failed("missing FROM-clause entry for table \"\(qualifier.last ?? "")\"", at: location)
                }
                columns.append(contentsOf: matching.flatMap(\.columns))
            case .column(let parts, let location):
                switch column(parts, location: location, in: sources) {
                case .success(var column):
                    column.name = target.alias ?? column.name
                    columns.append(column)
                case .failure(let failure): return failure.result
                }
            case .cast(.column(let parts, let location), let reference, _):
                guard case .success(let column) = column(parts, location: location, in: sources),
                    let type = CatalogBuilder(catalog: catalog).lookUpType(reference)
                else { return .unknown }
                columns.append(Column(name: target.alias ?? column.name, type: type, isNotNull: column.isNotNull))
            default:
                return .unknown
            }
        }
        return .resolved(
            columns.map { column in
                var copy = column
                copy.hasDefault = false
                copy.isGenerated = false
                copy.isIdentity = false
                copy.comment = nil
                return copy
            })
    }

    private struct Failure: Error {
        var result: ViewColumns
    }

    private func column(_ parts: [String], location: Int, in sources: [Source]) -> Result<Column, Failure> {
        guard let name = parts.last else { return .failure(Failure(result: .unknown)) }
        let candidates = parts.count >= 2 ? sources.filter { $0.name == parts[parts.count - 2] } : sources
        if parts.count >= 2, candidates.isEmpty {
            return .failure(
                Failure(
                    result: .failed("missing FROM-clause entry for table \"\(parts[parts.count - 2])\"", at: location)))
        }
        let matches = candidates.compactMap { source in source.columns.first { $0.name == name } }
        if matches.count > 1 {
            return .failure(Failure(result: .failed("column reference \"\(name)\" is ambiguous", at: location)))
        }
        guard let match = matches.first else {
            return .failure(
                Failure(result: .failed("column \"\(parts.joined(separator: "."))\" does not exist", at: location)))
        }
        return .success(match)
    }

    private func sources(of item: FromItem, in catalog: Catalog) -> Result<[Source], Failure> {
        switch item {
        case .table(let name, let aliasClause):
            let alias = aliasClause?.name
            guard aliasClause?.columnNames.isEmpty ?? true else { return .failure(Failure(result: .unknown)) }
            guard let table = catalog.table(name) else {
                return .failure(Failure(result: .failed("relation \"\(name)\" does not exist", at: name.location)))
            }
            guard table.columnsKnown else { return .failure(Failure(result: .unknown)) }
            return .success([Source(name: alias ?? table.name, columns: table.columns)])
        case .join(let join):
            let (left, right, kind) = (join.left, join.right, join.kind)
            guard join.alias == nil, join.using.isEmpty, !join.natural else { return .failure(Failure(result: .unknown)) }
            guard case .success(var leftSources) = sources(of: left, in: catalog) else {
                return sources(of: left, in: catalog)
            }
            guard case .success(var rightSources) = sources(of: right, in: catalog) else {
                return sources(of: right, in: catalog)
            }
            if kind == .right || kind == .full { leftSources = leftSources.map(Self.nullable) }
            if kind == .left || kind == .full { rightSources = rightSources.map(Self.nullable) }
            return .success(leftSources + rightSources)
        case .subquery(let select, let aliasClause, _, _):
            guard let alias = aliasClause?.name, aliasClause?.columnNames.isEmpty ?? true,
                case .resolved(let columns) = columns(of: select, in: catalog)
            else {
                return .failure(Failure(result: .unknown))
            }
            return .success([Source(name: alias, columns: columns)])
        case .function, .other:
            return .failure(Failure(result: .unknown))
        }
    }

    private static func nullable(_ source: Source) -> Source {
        var copy = source
        for index in copy.columns.indices { copy.columns[index].isNotNull = false }
        return copy
    }
}
