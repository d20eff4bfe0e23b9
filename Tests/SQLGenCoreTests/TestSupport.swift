import SQLGenCore

/// Builds a catalog from SQL text given as one file named `test.sql`.
func buildCatalog(_ sql: String, path: String = "test.sql") -> (catalog: Catalog, diagnostics: [Diagnostic]) {
    Pipeline.buildCatalog(from: [SourceFile(path: path, text: sql)])
}

/// The error diagnostics, each as its first line (`path:line:col: error: message`).
func errors(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.filter { $0.severity == .error }.map(\.description)
}

extension Catalog {
    /// A table that must exist, by `schema.name`.
    func requireTable(_ schema: String, _ name: String) -> Table? {
        table(QualifiedName(schema: schema, name: name))
    }
}

extension Table {
    /// `name type [NOT NULL]` for each column, to compare in one assertion.
    var columnSummary: [String] {
        columns.map { $0.name + " " + $0.type.formatted + ($0.isNotNull ? " NOT NULL" : "") }
    }
}
