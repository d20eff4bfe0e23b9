/// Expands a query with `sqlgen.optional` conditions and a `sqlgen.sort` into its variants, and
/// analyses every one as PostgreSQL would see it: a variant that would be rejected is an error now.
///
/// Each variant is checked in a copy of the file where the markers are blanked out byte for byte, so a
/// diagnostic points at the query as written; the SQL sent is then taken from a compact copy
/// (`(condition)` or `TRUE`, `key` or `key DESC`).
struct DynamicQueryExpansion {
    let markers: DynamicQueryMarkers
    let statement: Statement
    let annotation: QueryAnnotation
    let file: SourceFile
    let context: QueryCompiler.AnalysisContext

    private var conditionCount: Int { markers.conditions.count }
    private var allConditions: Int { (1 << conditionCount) - 1 }
    private var sortChoices: Int { markers.sort.map { 2 * $0.keys.count } ?? 1 }

    /// The query, with its variants; nil when one of them fails (reported).
    func analyze(diagnostics: inout [Diagnostic]) -> AnalyzedQuery? {
        // Every set of conditions with every key, the full statement first; a direction changes nothing
        // PostgreSQL checks, so each key is checked ascending.
        let masks = [allConditions] + (0..<allConditions).reversed()
        for key in 0..<max(1, sortChoices / 2) {
            for mask in masks {
                let reported = diagnostics.count
                let checked = variantFile(included: mask, sortChoice: 2 * key, checked: true)
                let analyzed = analyzeVariant(checked, diagnostics: &diagnostics)
                explain(mask: mask, key: key, diagnostics: &diagnostics, from: reported)
                guard analyzed != nil else { return nil }
            }
        }
        var variants: [AnalyzedQuery] = []
        for index in 0..<(sortChoices << conditionCount) {
            var scratch: [Diagnostic] = []
            let compact = variantFile(
                included: index & allConditions, sortChoice: index >> conditionCount, checked: false)
            guard let variant = analyzeVariant(compact, diagnostics: &scratch) else {
                let reason = scratch.first?.message ?? "it could not be analysed"
                diagnostics.append(
                    .error(
                        "variant \(index) of query \"\(annotation.name)\" fails: \(reason)", in: file,
                        atOffset: statement.location))
                return nil
            }
            variants.append(variant)
        }
        return combine(variants, diagnostics: &diagnostics)
    }

    /// The full variant (every condition, the first key ascending), with every variant's SQL and
    /// parameters; nil when variants disagree on a parameter's or a column's type (reported).
    private func combine(_ variants: [AnalyzedQuery], diagnostics: inout [Diagnostic]) -> AnalyzedQuery? {
        var query = variants[allConditions]
        var positions: [String: Int] = [:]
        for (position, parameter) in query.parameters.enumerated() { positions[parameter.name] = position }
        var shapes: [AnalyzedQueryVariant] = []
        for variant in variants {
            var order: [Int] = []
            for parameter in variant.parameters {
                guard let position = positions[parameter.name],
                    query.parameters[position].type == parameter.type,
                    query.parameters[position].isSlice == parameter.isSlice
                else {
                    diagnostics.append(
                        .error(
                            "@\(parameter.name) has type \(parameter.type.formatted) in one variant of query \"\(annotation.name)\" and another type in the full one",
                            in: file, atOffset: statement.location))
                    return nil
                }
                order.append(position)
            }
            for (index, column) in variant.columns.enumerated() {
                guard index < query.columns.count, query.columns[index].type == column.type else {
                    diagnostics.append(
                        .error(
                            "column \"\(column.name)\" of query \"\(annotation.name)\" has another type when an optional condition is left out",
                            in: file, atOffset: statement.location))
                    return nil
                }
                query.columns[index].nullable = query.columns[index].nullable || column.nullable
                // A variant without a condition that made an outer join inner makes the model optional.
                if query.columns[index].nullableInEmbeddedModel == nil {
                    query.columns[index].nullableInEmbeddedModel = column.nullableInEmbeddedModel
                }
            }
            // A query that any variant routes to a tenant is a tenant query: its type then needs an
            // executor that routes.
            if variant.scope == .tenant { query.scope = .tenant }
            for table in variant.tablesRead where !query.tablesRead.contains(table) { query.tablesRead.append(table) }
            query.returnsExactlyOneRow = query.returnsExactlyOneRow && variant.returnsExactlyOneRow
            shapes.append(
                AnalyzedQueryVariant(
                    sql: variant.sql, scope: variant.scope, tenantNameOffsets: variant.tenantNameOffsets,
                    parameterPositions: order))
        }
        let conditions = markers.conditions.map { condition in
            condition.parameterNames.compactMap { positions[$0] }
        }
        // A parameter that switches a condition may be left out: nil is its "not given".
        for position in conditions.joined() { query.parameters[position].nullable = true }
        query.dynamic = DynamicQuery(
            conditions: conditions, conditionLines: markers.conditions.map { file.line(ofOffset: $0.start) },
            conditionTexts: markers.conditions.map { condition in
                String(decoding: file.bytes[condition.innerStart..<condition.innerEnd], as: UTF8.self)
                    .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            },
            sortKeys: markers.sort?.keys.map(\.name) ?? [], variants: shapes)
        return query
    }

    private func analyzeVariant(_ variant: SourceFile, diagnostics: inout [Diagnostic]) -> AnalyzedQuery? {
        let parsed = SQLParser.parse(variant)
        diagnostics.append(contentsOf: parsed.diagnostics)
        guard parsed.diagnostics.isEmpty, let parsedStatement = parsed.statements.first,
            case .query(let dataStatement) = parsedStatement.kind
        else { return nil }
        return QueryCompiler.analyze(
            dataStatement, statement: parsedStatement, annotation: annotation, file: variant, context: context,
            diagnostics: &diagnostics)
    }

    /// Says which variant the diagnostics since `from` come from, when it is not the full one.
    private func explain(mask: Int, key: Int, diagnostics: inout [Diagnostic], from start: Int) {
        var without: [String] = []
        for (index, condition) in markers.conditions.enumerated() where mask & (1 << index) == 0 {
            without.append("line \(file.line(ofOffset: condition.start))")
        }
        var parts: [String] = []
        if !without.isEmpty { parts.append("without the optional condition at " + without.joined(separator: ", ")) }
        if key > 0, let sort = markers.sort { parts.append("sorted by \(sort.keys[key].name)") }
        for index in start..<diagnostics.count {
            // The line as written, not as blanked in the variant's copy.
            if let line = diagnostics[index].location?.line, diagnostics[index].location?.path == file.path {
                diagnostics[index].sourceLine = file.lineText(line)
            }
            if !parts.isEmpty, diagnostics[index].severity == .error {
                diagnostics[index].message += " (in the statement " + parts.joined(separator: " and ") + ")"
            }
        }
    }

    /// A copy of the file with only this variant of the statement: everything before it blanked (line
    /// breaks kept, so lines and columns stay), the statement rewritten, and a `;` after it.
    func variantFile(included: Int, sortChoice: Int, checked: Bool) -> SourceFile {
        let bytes = file.bytes
        var output = bytes[0..<statement.location].map { LineBreaks.isBreak($0) ? $0 : UInt8(ascii: " ") }
        var cursor = statement.location
        let end = statement.location + statement.length
        func copy(upTo limit: Int) {
            if limit > cursor { output.append(contentsOf: bytes[cursor..<limit]) }
            cursor = max(cursor, limit)
        }
        // In the checked copy a replacement is padded to the characters of what it replaces (a space
        // for each character, line breaks kept), so lines and columns stay those of the query as written.
        func replace(upTo limit: Int, with text: String = "") {
            let written = Array(text.utf8)
            output.append(contentsOf: written)
            if checked {
                var characters = 0
                for byte in bytes[cursor..<limit] where byte & 0xC0 != 0x80 {
                    characters += 1
                    if characters > written.count {
                        output.append(LineBreaks.isBreak(byte) ? byte : UInt8(ascii: " "))
                    }
                }
            }
            cursor = limit
        }
        var edits: [(start: Int, condition: Int?)] = markers.conditions.indices.map {
            (markers.conditions[$0].start, $0)
        }
        if let sort = markers.sort { edits.append((sort.start, nil)) }
        for edit in edits.sorted(by: { $0.start < $1.start }) {
            copy(upTo: edit.start)
            if let index = edit.condition {
                let condition = markers.conditions[index]
                if included & (1 << index) != 0 {
                    // `(condition)`: the call's own parentheses.
                    replace(upTo: condition.innerStart - 1)
                    copy(upTo: condition.end)
                } else {
                    replace(upTo: condition.end, with: "TRUE")
                }
            } else if let sort = markers.sort {
                let key = sort.keys[sortChoice / 2]
                replace(upTo: key.start)
                copy(upTo: key.end)
                if sortChoice % 2 == 1 { output.append(contentsOf: Array(" DESC".utf8)) }
                replace(upTo: sort.end)
            }
        }
        copy(upTo: end)
        output.append(contentsOf: Array(";\n".utf8))
        return SourceFile(path: file.path, text: String(decoding: output, as: UTF8.self))
    }
}
