/// The document `sqlgen compile --format json` prints: version 1 of a stable
/// contract other tools read (see ARCHITECTURE.md, "Contracts").
public struct CompileReport: Sendable {
    /// The format's version.
    public static let version = 1

    /// The analysed queries.
    public var queries: [AnalyzedQuery]
    let mapping: SwiftTypeMapping

    /// A report of analysed queries; `catalog` maps their types to Swift.
    public init(queries: [AnalyzedQuery], catalog: Catalog) {
        self.queries = queries
        self.mapping = SwiftTypeMapping(catalog: catalog)
    }

    /// The JSON text, keys in the documented order, two-space indentation.
    public var json: String {
        let out = JSONWriter()
        out.object {
            out.field("version") { out.number(Self.version) }
            out.field("queries") {
                out.array(queries) { query in
                    out.object {
                        out.field("name") { out.string(query.name) }
                        out.field("command") { out.string(query.command.rawValue) }
                        out.field("file") { out.string(query.file) }
                        out.field("line") { out.number(query.line) }
                        out.field("sql") { out.string(query.sql) }
                        out.field("scope") { out.string(query.scope.rawValue) }
                        out.field("tables") {
                            out.object {
                                out.field("read") { out.array(query.tablesRead) { out.string($0) } }
                                out.field("write") { out.array(query.tablesWritten) { out.string($0) } }
                            }
                        }
                        out.field("params") {
                            out.array(query.parameters) { parameter in
                                out.object {
                                    out.field("number") { out.number(parameter.number) }
                                    out.field("name") { out.string(parameter.name) }
                                    out.field("pgType") { out.string(parameter.type.formatted) }
                                    out.field("nullable") { out.bool(parameter.nullable) }
                                    out.field("swiftType") {
                                        out.optionalString(
                                            mapping.swiftType(parameter.type, nullable: parameter.nullable).map(
                                                ModuleQualified.unqualified))
                                    }
                                }
                            }
                        }
                        out.field("columns") {
                            out.array(query.columns) { column in
                                out.object {
                                    out.field("name") { out.string(column.name) }
                                    out.field("pgType") { out.string(column.type.formatted) }
                                    out.field("nullable") { out.bool(column.nullable) }
                                    out.field("swiftType") {
                                        out.optionalString(
                                            column.swiftType.map { $0 + (column.nullable ? "?" : "") }
                                                ?? mapping.swiftType(column.type, nullable: column.nullable).map(
                                                    ModuleQualified.unqualified))
                                    }
                                }
                            }
                        }
                        if let dynamic = query.dynamic { variants(dynamic, of: query, into: out) }
                    }
                }
            }
        }
        return out.text + "\n"
    }

    /// A dynamic query's `conditions`, `sortKeys` and `variants`: each variant's SQL, scope, and the
    /// numbers (in `params`) of the parameters its `$1...$n` are.
    private func variants(_ dynamic: DynamicQuery, of query: AnalyzedQuery, into out: JSONWriter) {
        out.field("conditions") {
            out.array(dynamic.conditions) { condition in
                out.array(condition) { out.number(query.parameters[$0].number) }
            }
        }
        out.field("sortKeys") { out.array(dynamic.sortKeys) { out.string($0) } }
        out.field("variants") {
            out.array(dynamic.variants) { variant in
                out.object {
                    out.field("sql") { out.string(variant.sql) }
                    out.field("scope") { out.string(variant.scope.rawValue) }
                    out.field("params") {
                        out.array(variant.parameterPositions) { out.number(query.parameters[$0].number) }
                    }
                }
            }
        }
    }
}

/// A minimal JSON writer that keeps keys in the order they are written.
final class JSONWriter {
    private(set) var text = ""
    private var depth = 0
    private var needsComma = [false]

    private var indent: String { String(repeating: "  ", count: depth) }

    private func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        text += "{"
        depth += 1
        needsComma.append(false)
        body()
        let hadFields = needsComma.removeLast()
        depth -= 1
        text += hadFields ? "\n\(indent)}" : "}"
    }

    func field(_ name: String, _ value: () -> Void) {
        separate()
        text += "\n\(indent)"
        string(name)
        text += ": "
        value()
    }

    func array<T>(_ items: [T], _ body: (T) -> Void) {
        text += "["
        guard !items.isEmpty else {
            text += "]"
            return
        }
        depth += 1
        for (index, item) in items.enumerated() {
            text += index == 0 ? "\n\(indent)" : ",\n\(indent)"
            body(item)
        }
        depth -= 1
        text += "\n\(indent)]"
    }

    func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                text +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    func optionalString(_ value: String?) {
        if let value { string(value) } else { text += "null" }
    }

    func number(_ value: Int) { text += String(value) }

    func bool(_ value: Bool) { text += value ? "true" : "false" }
}
