/// The function and variants of a dynamic query (``DynamicQuery``): optional arguments that default to
/// nil, a sort enum, and a table of every variant the function picks from.
extension QueryEmitter {
    /// The function's parameters in declaration order: the ones every call gives, then the optional
    /// conditions' (defaulting to nil), then `sort` (defaulting to the first key, ascending).
    func orderedParameters(_ dynamic: DynamicQuery, shape: Shape) -> [ModelEmitter.Property] {
        let switches = Set(dynamic.conditions.joined())
        let indexed = Array(shape.parameters.enumerated())
        return indexed.filter { !switches.contains($0.offset) }.map(\.element)
            + indexed.filter { switches.contains($0.offset) }.map(\.element)
    }

    /// `- Parameters:` for the arguments that switch conditions: which condition each leaves out when
    /// nil, and which others it needs.
    func conditionDocumentation(_ dynamic: DynamicQuery, shape: Shape) -> [String] {
        var lines: [String] = []
        var seen: Set<Int> = []
        for (condition, positions) in dynamic.conditions.enumerated() {
            let text = condition < dynamic.conditionTexts.count ? dynamic.conditionTexts[condition] : ""
            for position in positions where seen.insert(position).inserted {
                let label = shape.parameters[position].label
                let others = positions.filter { $0 != position }.map { "`\(shape.parameters[$0].label)`" }
                if others.isEmpty {
                    lines.append("  - \(label): nil leaves out `\(text)`.")
                } else {
                    lines.append(
                        "  - \(label): nil leaves out `\(text)`, which needs \(others.joined(separator: " and ")) too: given alone, it has no effect."
                    )
                }
            }
        }
        return lines.isEmpty ? [] : [""] + ["- Parameters:"] + lines
    }

    /// The declarations of the function's parameters.
    func dynamicParameters(_ dynamic: DynamicQuery, shape: Shape, dynamicShape: DynamicShape) -> [String] {
        let switches = Set(dynamic.conditions.joined().map { shape.parameters[$0].name })
        var declarations = orderedParameters(dynamic, shape: shape).map { parameter in
            parameter.parameterDeclaration + (switches.contains(parameter.name) ? " = nil" : "")
        }
        if let sortType = dynamicShape.sortType, let first = dynamicShape.sortCases.first {
            declarations.append("sort: \(sortType) = .\(first.name)")
        }
        return declarations
    }

    /// The argument labels of the query's function, in order (for DocC links).
    func argumentLabels(_ query: AnalyzedQuery, shape: Shape) -> [String] {
        guard let dynamic = query.dynamic else { return shape.parameters.map(\.label) }
        return orderedParameters(dynamic, shape: shape).map(\.label)
            + (shape.dynamic?.sortType != nil ? ["sort"] : [])
    }

    /// The function's body: the variant its arguments choose, then that variant's statement with every value.
    func runVariant(
        _ dynamic: DynamicQuery, shape: Shape, dynamicShape: DynamicShape, head: String, row: String,
        into writer: inout SwiftWriter
    ) {
        let choosing = chooserParameters(dynamic, shape: shape, dynamicShape: dynamicShape)
        writer.list(
            "let variant = Self.\(dynamicShape.chooser)", choosing.map { "\($0.label): \($0.value)" })
        var arguments = ["variant", shape.rowIsColumn ? "column: \(row).self" : "row: \(row).self"]
        for (position, parameter) in shape.parameters.enumerated() {
            arguments.append((position == 0 ? "values: " : "") + parameter.parameterName)
        }
        let statement =
            shape.rowIsColumn ? "SQLGenRuntime.DynamicColumnQueryStatement" : "SQLGenRuntime.DynamicQueryStatement"
        writer.nestedCall("return " + head, statement, arguments)
    }

    /// What chooses the variant: each condition's arguments, then `sort`.
    private func chooserParameters(_ dynamic: DynamicQuery, shape: Shape, dynamicShape: DynamicShape)
        -> [(label: String, value: String, type: String)]
    {
        var seen: Set<Int> = []
        var parameters: [(label: String, value: String, type: String)] = []
        for position in dynamic.conditions.joined() where seen.insert(position).inserted {
            let parameter = shape.parameters[position]
            parameters.append((parameter.label, parameter.parameterName, parameter.type))
        }
        if let sortType = dynamicShape.sortType { parameters.append(("sort", "sort", sortType)) }
        return parameters
    }

    /// The static function that picks the variant: its index from the sort and from which conditions'
    /// arguments were given.
    private func chooser(
        _ dynamic: DynamicQuery, shape: Shape, dynamicShape: DynamicShape, into writer: inout SwiftWriter
    ) {
        let choosing = chooserParameters(dynamic, shape: shape, dynamicShape: dynamicShape)
        writer.documentation(["The statement ``\(SwiftNaming.bare(shape.function))`` runs for these arguments."])
        writer.block(
            "private static func \(dynamicShape.chooser)",
            parameters: choosing.map {
                $0.label == $0.value ? "\($0.label): \($0.type)" : "\($0.label) \($0.value): \($0.type)"
            },
            " -> SQLGenRuntime.QueryVariant"
        ) { writer in
            let stride = 1 << dynamic.conditions.count
            let declaration = dynamic.conditions.isEmpty ? "let" : "var"
            if dynamicShape.sortType != nil {
                writer.line("\(declaration) variantIndex: Swift.Int")
                writer.line("switch sort {")
                for (position, sortCase) in dynamicShape.sortCases.enumerated() {
                    writer.line("case .\(sortCase.name): variantIndex = \(position * stride)")
                }
                writer.line("}")
            } else {
                writer.line("\(declaration) variantIndex = 0")
            }
            for (index, parameters) in dynamic.conditions.enumerated() {
                let test = parameters.map { "\(shape.parameters[$0].parameterName) != nil" }.joined(separator: " && ")
                writer.line("if \(test) { variantIndex += \(1 << index) }")
            }
            writer.line("return \(dynamicShape.variantsProperty)[variantIndex]")
        }
        writer.line()
    }

    /// The sort enum and the table of variants.
    func dynamicTypes(
        _ query: AnalyzedQuery, dynamic: DynamicQuery, shape: Shape, dynamicShape: DynamicShape,
        into writer: inout SwiftWriter
    ) {
        let function = SwiftNaming.bare(shape.function)
        if let sortType = dynamicShape.sortType {
            writer.documentation([
                "The orders ``\(function)(\(argumentLabels(query, shape: shape).map { "\($0):" }.joined()))`` can sort by: each key ascending or descending.",
                "",
                "The raw value is the key's name, with `-` in front for descending (`?sort=-created_at`).",
            ])
            writer.declaration(
                "\(access) enum \(sortType)",
                conformances: ["Swift.String", "Swift.Sendable", "Swift.Hashable", "Swift.CaseIterable"]
            ) { writer in
                for (position, sortCase) in dynamicShape.sortCases.enumerated() {
                    let direction = position % 2 == 0 ? "ascending" : "descending"
                    writer.line("/// By `\(dynamic.sortKeys[position / 2])`, \(direction).")
                    writer.line("case \(sortCase.name) = \(SwiftWriter.literal(sortCase.rawValue))")
                }
            }
            writer.line()
        }
        chooser(dynamic, shape: shape, dynamicShape: dynamicShape, into: &writer)
        writer.documentation([
            "Every statement ``\(function)`` can run: the sort's variants one after the other, and within",
            "them bit `i` of the index set when condition `i` is included.",
        ])
        let variants = dynamic.variants.map { variant in
            var arguments = [
                "name: " + SwiftWriter.literal(query.name), "scope: .\(variant.scope.rawValue)",
            ]
            if let offsets = variant.tenantNameOffsets {
                arguments.append("tenantNameOffsets: [" + offsets.map(String.init).joined(separator: ", ") + "]")
            }
            arguments.append(
                "parameters: [" + variant.parameterPositions.map(String.init).joined(separator: ", ") + "]")
            arguments.append("sql: " + SwiftWriter.literal(variant.sql))
            return arguments
        }
        writer.variantTable(
            "private static let \(dynamicShape.variantsProperty): [SQLGenRuntime.QueryVariant] = ", variants)
    }
}
