/// Which of the registry's tenants a migration run, a dry run or a status report covers: every
/// tenant that is not deleted, narrowed by the conditions set (all of them must hold).
///
/// ```swift
/// // A canary: the pro plan's tenants, then a tenth of the rest, then everyone.
/// try await provisioner.migrateAll(.all.matching("plan", ["pro"]))
/// try await provisioner.migrateAll(.all.percentage(10))
/// try await provisioner.migrateAll()
/// ```
public struct TenantSelection: Sendable, Hashable {
    /// Only these subdomains, when set.
    public var subdomains: [String]?
    /// Registry columns and the values (compared as text) each must have one of.
    public var columnValues: [String: [String]]
    /// Only this percentage of the tenants (0...100), when set. Whether a tenant is in is decided by a
    /// hash of its subdomain, so the tenants of a smaller percentage are among those of a larger one: a
    /// 10% canary, then 50%, then 100% migrates each tenant once.
    public var percent: Double?

    /// Every tenant that is not deleted.
    public static let all = TenantSelection(subdomains: nil, columnValues: [:], percent: nil)

    /// The tenants with these subdomains.
    public static func subdomains(_ subdomains: [String]) -> TenantSelection {
        TenantSelection(subdomains: subdomains, columnValues: [:], percent: nil)
    }

    /// This selection, narrowed to tenants whose registry `column` (`plan`, `status`) is one of `values`.
    public func matching(_ column: String, _ values: [String]) -> TenantSelection {
        var narrowed = self
        narrowed.columnValues[column] = columnValues[column].map { $0.filter(values.contains) } ?? values
        return narrowed
    }

    /// This selection, narrowed to `percent` of its tenants (see ``percent``).
    public func percentage(_ percent: Double) -> TenantSelection {
        var narrowed = self
        narrowed.percent = narrowed.percent.map { min($0, percent) } ?? percent
        return narrowed
    }

    /// Refuses a selection that cannot mean anything: a percentage outside 0...100, or an empty column name.
    func validate() throws(SQLGenError) {
        if let percent, !(0...100).contains(percent) {
            throw SQLGenError(
                .invalidParameter, message: "a tenant percentage must be between 0 and 100, not \(percent)")
        }
        if columnValues.keys.contains(where: \.isEmpty) {
            throw SQLGenError(.invalidParameter, message: "a registry column to select tenants by has no name")
        }
    }

    /// The WHERE conditions (after `status <> 'deleted'`) and their values, numbered from `$1`.
    func conditions() -> (sql: String, values: [String]) {
        var sql = ""
        var values: [String] = []
        func bind(_ text: String) -> String {
            values.append(text)
            return "$\(values.count)"
        }
        if let subdomains {
            sql +=
                " AND subdomain::pg_catalog.text OPERATOR(pg_catalog.=) ANY(\(bind(Self.arrayLiteral(subdomains)))::pg_catalog.text[])"
        }
        for column in columnValues.keys.sorted() {
            let values = columnValues[column] ?? []
            sql +=
                " AND \(SchemaName.quoted(column))::pg_catalog.text OPERATOR(pg_catalog.=) "
                + "ANY(\(bind(Self.arrayLiteral(values)))::pg_catalog.text[])"
        }
        if let percent {
            // 10,000 buckets by a hash of the subdomain: stable across runs and processes.
            sql +=
                " AND pg_catalog.abs(pg_catalog.hashtextextended(subdomain::pg_catalog.text, 0) "
                + "OPERATOR(pg_catalog.%) 10000) OPERATOR(pg_catalog.<) \(bind(String(Int((percent * 100).rounded()))))::pg_catalog.int8"
        }
        return (sql, values)
    }

    /// A text[] literal of `values`, each quoted.
    static func arrayLiteral(_ values: [String]) -> String {
        "{"
            + values.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }
            .joined(separator: ",") + "}"
    }
}
