/// Rules `sqlgen vet` checks queries against. A query turns a rule off with a
/// comment above its annotation: `-- vet: ignore update-without-where`.
public enum VetRule: String, Sendable, CaseIterable {
    /// UPDATE without WHERE changes every row.
    case updateWithoutWhere = "update-without-where"
    /// DELETE without WHERE removes every row.
    case deleteWithoutWhere = "delete-without-where"
    /// `*` that reads more of a table's columns than the row type uses (a CTE or subquery selecting
    /// `*` under an outer query that keeps a few).
    case selectStar = "select-star"
    /// A tenant-scoped query that writes a shared table.
    case tenantWritesShared = "tenant-writes-shared"
    /// `:one` whose WHERE does not pin a primary or unique key (nor LIMIT 1).
    case oneWithoutUniqueKey = "one-without-unique-key"
}

/// Checks analysed queries against the ``VetRule``s.
public struct QueryVet: Sendable {
    let catalog: Catalog
    let tenancy: TenancyConfiguration?

    /// A vet of queries analysed against `catalog`, with the entry's tenancy settings (nil without tenancy).
    public init(catalog: Catalog, tenancy: TenancyConfiguration?) {
        self.catalog = catalog
        self.tenancy = tenancy
    }

    /// A warning for each rule a query breaks and does not ignore.
    public func check(_ queries: [AnalyzedQuery]) -> [Diagnostic] {
        queries.flatMap(check)
    }

    func check(_ query: AnalyzedQuery) -> [Diagnostic] {
        let ignored = Set(
            query.documentation.filter { $0.hasPrefix("vet: ignore") }.flatMap {
                $0.dropFirst("vet: ignore".count).split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            })
        guard
            case .query(let statement)? = SQLParser.parse(SourceFile(path: query.file, text: query.sql)).statements
                .first?.kind
        else { return [] }
        var found: [(VetRule, String)] = []
        switch statement {
        case .update(let update) where update.whereClause == nil:
            found.append((.updateWithoutWhere, "UPDATE without WHERE changes every row of \(update.table)"))
        case .delete(let delete) where delete.whereClause == nil:
            found.append((.deleteWithoutWhere, "DELETE without WHERE removes every row of \(delete.table)"))
        default: break
        }
        if case .select(let select) = statement {
            for (table, columns, used) in partlyUsedStars(select, row: query.columns) {
                found.append(
                    (
                        .selectStar,
                        "SELECT * reads all \(columns) columns of \(table.schema).\(table.name) but the row uses \(used): "
                            + "name the columns it needs"
                    ))
            }
        }
        if let tenancy, query.scope == .tenant {
            for table in query.tablesWritten where !table.hasPrefix(tenancy.templateSchema + ".") {
                found.append((.tenantWritesShared, "a tenant-scoped query writes the shared table \(table)"))
            }
        }
        if query.command == .one, !pinsUniqueKey(statement) {
            found.append(
                (
                    .oneWithoutUniqueKey,
                    ":one query whose WHERE does not pin a primary or unique key; add LIMIT 1 or use :many"
                ))
        }
        return found.filter { !ignored.contains($0.0.rawValue) }.map { rule, message in
            Diagnostic(
                .warning, "[\(rule.rawValue)] \(message)",
                at: SourceLocation(path: query.file, line: query.line, column: 1))
        }
    }

    /// Whether the statement returns at most one row by its WHERE clause or LIMIT 1.
    private func pinsUniqueKey(_ statement: DataStatement) -> Bool {
        var tableName: QualifiedName?
        var condition: Expression?
        switch statement {
        case .select(let select):
            if case .constant(.integer, "1", _)? = select.limit { return true }
            guard case .simple(let simple) = select.body else { return true }
            if simple.from.isEmpty || (!simple.groupBy.isEmpty && simple.from.count == 1) { return true }
            let aggregateOnly = simple.targets.allSatisfy {
                if case .function(let call) = $0.expression {
                    return call.star || ["count", "sum", "max", "min", "avg"].contains(call.name.last ?? "")
                }
                return false
            }
            if aggregateOnly, simple.groupBy.isEmpty { return true }
            guard simple.from.count == 1, case .table(let name, _)? = simple.from.first else { return true }
            tableName = name
            condition = simple.whereClause
        case .insert(let insert):
            return insert.source.map {
                if case .values(let rows, _) = $0.body { return rows.count == 1 } else { return true }
            } ?? true
        case .update(let update):
            tableName = update.table
            condition = update.whereClause
        case .delete(let delete):
            tableName = delete.table
            condition = delete.whereClause
        case .call:
            return true
        }
        guard let tableName, let table = lookUp(tableName) else { return true }
        var pinned: Set<String> = []
        collectEqualities(condition, into: &pinned)
        let keys = [table.primaryKey] + table.uniqueKeys
        return keys.contains { !$0.isEmpty && Set($0).isSubset(of: pinned) }
    }

    func lookUp(_ name: QualifiedName) -> Table? {
        if name.schema != nil { return catalog.table(name) }
        let path = tenancy.map { [$0.templateSchema] + $0.sharedSchemas } ?? ["public"]
        return path.lazy.compactMap { self.catalog.schemas[$0]?.tables[name.name] }.first
    }

    private func collectEqualities(_ expression: Expression?, into pinned: inout Set<String>) {
        switch expression {
        case .boolean(.and, let parts, _)?:
            for part in parts { collectEqualities(part, into: &pinned) }
        case .operation(.plain, "=", let left, let right, _)?:
            if case .column(let parts, _)? = left, let name = parts.last { pinned.insert(name) }
            if case .column(let parts, _)? = right, let name = parts.last { pinned.insert(name) }
        default:
            break
        }
    }
}
