/// Emits one query file's queries type: a statement per query, its row and
/// parameter types, and a function per query that runs it on any executor.
struct QueryEmitter {
    let emitter: SwiftEmitter
    let typeName: String
    let queries: [AnalyzedQuery]

    var access: String { emitter.access }
    var naming: SwiftNaming { emitter.naming }

    func file(diagnostics: inout [Diagnostic]) -> String {
        let shapes = queries.map { shape($0, diagnostics: &diagnostics) }
        var writer = emitter.prologue()
        writer.line()
        writer.documentation([
            "The queries of `\(queries.first?.file ?? "")`, run on any executor: a pool, a tenant pool, a connection or a transaction."
        ])
        writer.block("\(access) struct \(typeName): Sendable") { writer in
            writer.line("\(access) let executor: any SQLExecutor")
            writer.line()
            writer.line("/// Queries that run on `executor`.")
            writer.block("\(access) init(_ executor: any SQLExecutor)") { writer in
                writer.line("self.executor = executor")
            }
            for (query, shape) in zip(queries, shapes) {
                writer.line()
                function(query, shape: shape, into: &writer)
            }
        }
        for (query, shape) in zip(queries, shapes) {
            writer.line()
            writer.block("extension \(typeName)") { writer in
                types(query, shape: shape, into: &writer)
            }
        }
        return writer.text
    }

    /// The generated pieces of one query.
    struct Shape {
        var statement: String
        var row: String?
        var rowIsModel: Bool
        var parameters: [ModelEmitter.Property]
        var parameterStruct: String?
        var columns: [RowField]
    }

    /// A field of a row: a plain column, or an embedded model made of several columns.
    enum RowField {
        case column(ModelEmitter.Property, index: Int)
        case embedded(ModelEmitter.Property, model: String, columns: [(ModelEmitter.Property, Int)])

        var property: ModelEmitter.Property {
            switch self {
            case .column(let property, _), .embedded(let property, _, _): return property
            }
        }
    }

    func shape(_ query: AnalyzedQuery, diagnostics: inout [Diagnostic]) -> Shape {
        var usedParameterNames: Set<String> = []
        let parameters = query.parameters.map { parameter -> ModelEmitter.Property in
            var name = naming.memberName(parameter.name)
            while usedParameterNames.contains(name) { name += "2" }
            usedParameterNames.insert(name)
            return ModelEmitter.Property(
                name: name, sqlName: parameter.name,
                type: emitter.swiftType(
                    parameter.type, nullable: parameter.nullable, column: nil,
                    context: "parameter $\(parameter.number) of \(query.name)", diagnostics: &diagnostics),
                documentation: nil)
        }
        var fields: [RowField] = []
        var usedNames: Set<String> = []
        func unique(_ name: String) -> String {
            var candidate = name
            var counter = 2
            while usedNames.contains(candidate) {
                candidate = name + String(counter)
                counter += 1
            }
            usedNames.insert(candidate)
            return candidate
        }
        var index = 0
        while index < query.columns.count {
            let column = query.columns[index]
            if column.embeddedTable != nil, let source = column.source {
                var members: [(ModelEmitter.Property, Int)] = []
                while index < query.columns.count, query.columns[index].embeddedTable == column.embeddedTable {
                    let member = query.columns[index]
                    members.append(
                        (
                            property(
                                member, query: query, diagnostics: &diagnostics, name: naming.memberName(member.name)),
                            index
                        ))
                    index += 1
                }
                let model = emitter.mapping.modelName(schema: source.schema, table: source.table)
                let name = unique(naming.memberName(SwiftNaming.singular(source.table)))
                fields.append(
                    .embedded(
                        ModelEmitter.Property(name: name, sqlName: source.table, type: model), model: model,
                        columns: members))
                continue
            }
            fields.append(
                .column(
                    property(
                        column, query: query, diagnostics: &diagnostics, name: unique(naming.memberName(column.name))),
                    index: index))
            index += 1
        }
        let model = matchingModel(query)
        let row: String? = query.columns.isEmpty ? nil : (model ?? query.name + "Row")
        let parameterStruct =
            parameters.count > emitter.options.parameterStructThreshold || isBatch(query) || query.command == .copyfrom
            ? query.name + "Params" : nil
        return Shape(
            statement: query.name, row: row, rowIsModel: model != nil, parameters: parameters,
            parameterStruct: parameters.isEmpty ? nil : parameterStruct, columns: fields)
    }

    private func property(
        _ column: ResultColumn, query: AnalyzedQuery, diagnostics: inout [Diagnostic], name: String
    ) -> ModelEmitter.Property {
        ModelEmitter.Property(
            name: name, sqlName: column.name,
            type: emitter.swiftType(
                column.type, nullable: column.nullable, column: column.source,
                context: "column \"\(column.name)\" of \(query.name)", diagnostics: &diagnostics),
            documentation: nil)
    }

    /// The table model whose columns the query returns exactly, if any (as sqlc reuses them).
    func matchingModel(_ query: AnalyzedQuery) -> String? {
        guard let first = query.columns.first?.source, query.columns.allSatisfy({ $0.embeddedTable == nil }) else {
            return nil
        }
        guard let table = emitter.catalog.schemas[first.schema]?.tables[first.table],
            table.kind == .table || table.kind == .partitionedTable,
            emitter.modelSchemas.contains(table.schema), table.columns.count == query.columns.count
        else { return nil }
        for (column, result) in zip(table.columns, query.columns) {
            guard result.source == ColumnSource(schema: table.schema, table: table.name, column: column.name),
                result.nullable == !emitter.catalog.isNeverNull(column)
            else { return nil }
        }
        return emitter.mapping.modelName(schema: table.schema, table: table.name)
    }

    func isBatch(_ query: AnalyzedQuery) -> Bool {
        [.batchexec, .batchone, .batchmany].contains(query.command)
    }

    // MARK: - The function on the queries type

    func function(_ query: AnalyzedQuery, shape: Shape, into writer: inout SwiftWriter) {
        var documentation = query.documentation
        if !documentation.isEmpty { documentation.append("") }
        documentation.append("```sql")
        documentation.append(
            contentsOf: query.sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        documentation.append("```")
        writer.documentation(documentation)
        let name = naming.functionName(query.name)
        let parameters: [String]
        let statementArguments: [String]
        if let parameterStruct = shape.parameterStruct, !isBatch(query), query.command != .copyfrom {
            parameters = ["_ params: \(parameterStruct)"]
            statementArguments = ["params"]
        } else {
            parameters = shape.parameters.map { "\($0.label): \($0.type)" }
            statementArguments = shape.parameters.map { "\($0.label): \($0.name)" }
        }
        let row = shape.row ?? "SQLNoRow"
        let signature = "\(access) func \(name)"
        let throwing = " async throws(PostgresError)"
        func run(_ head: String, _ tail: String = "") -> (inout SwiftWriter) -> Void {
            { writer in writer.nestedCall(head, shape.statement, statementArguments, tail) }
        }
        switch query.command {
        case .one:
            writer.block(
                signature, parameters: parameters, throwing + " -> \(row)?", run("try await executor.queryFirst"))
        case .many:
            writer.block(signature, parameters: parameters, throwing + " -> [\(row)]", run("try await executor.query"))
            writer.line()
            writer.documentation([
                "Streams the rows of ``\(name)(\(shape.parameterStruct != nil ? "_:" : shape.parameters.map { "\($0.label):" }.joined()))`` without holding them all."
            ])
            writer.block(
                "\(access) func \(name)Stream", parameters: parameters, " -> AsyncThrowingStream<\(row), any Error>",
                run("executor.stream"))
        case .exec:
            writer.block(signature, parameters: parameters, throwing, run("_ = try await executor.execute"))
        case .execrows:
            writer.line("/// - Returns: the number of rows affected.")
            writer.line("@discardableResult")
            writer.block(signature, parameters: parameters, throwing + " -> Int", run("try await executor.execute"))
        case .execresult:
            writer.line("@discardableResult")
            writer.block(
                signature, parameters: parameters, throwing + " -> SQLCommandResult",
                run("try await executor.executeResult"))
        case .copyfrom:
            let parameterStruct = shape.parameterStruct ?? "Never"
            writer.line("/// Inserts every row with COPY FROM STDIN. - Returns: the number of rows copied.")
            writer.line("@discardableResult")
            writer.block(
                "\(signature)<Rows: Sequence & Sendable>", parameters: ["_ rows: Rows"], throwing + " -> Int",
                whereClause: "where Rows.Element == \(parameterStruct)"
            ) { writer in
                writer.line("try await executor.copy(rows.map(\(shape.statement).init))")
            }
        case .batchexec, .batchone, .batchmany:
            let parameterStruct = shape.parameterStruct ?? "Never"
            let result: String
            let call: String
            switch query.command {
            case .batchexec: (result, call) = ("[Int]", "executeBatch")
            case .batchone: (result, call) = ("[\(row)?]", "queryFirstBatch")
            default: (result, call) = ("[[\(row)]]", "queryBatch")
            }
            writer.line("/// Runs the statement once per parameter set, all in one pipelined round trip.")
            writer.line("@discardableResult")
            writer.block(signature, parameters: ["_ items: [\(parameterStruct)]"], throwing + " -> \(result)") {
                writer in
                writer.line("try await executor.\(call)(items.map(\(shape.statement).init))")
            }
        }
    }

    // MARK: - The statement, row and parameter types

    func types(_ query: AnalyzedQuery, shape: Shape, into writer: inout SwiftWriter) {
        if let row = shape.row, !shape.rowIsModel {
            writer.documentation(["A row of ``\(naming.functionName(query.name))``."])
            var conformances = emitter.conformances
            if shape.columns.contains(where: {
                if case .embedded = $0 { return !emitter.options.emitHashable } else { return false }
            }) {
                conformances.removeAll { $0 == "Hashable" }
            }
            writer.block("\(access) struct \(row): \(conformances.joined(separator: ", "))") { writer in
                let properties = shape.columns.map(\.property)
                ModelEmitter.storedProperties(properties, access: access, into: &writer)
                writer.line()
                ModelEmitter.memberwiseInitializer(properties, access: access, into: &writer)
            }
            writer.line()
        }
        if let parameterStruct = shape.parameterStruct {
            writer.documentation(["The parameters of ``\(naming.functionName(query.name))``."])
            writer.block("\(access) struct \(parameterStruct): \(emitter.conformances.joined(separator: ", "))") {
                writer in
                ModelEmitter.storedProperties(shape.parameters, access: access, into: &writer)
                writer.line()
                ModelEmitter.memberwiseInitializer(shape.parameters, access: access, into: &writer)
            }
            writer.line()
        }
        statement(query, shape: shape, into: &writer)
    }

    func statement(_ query: AnalyzedQuery, shape: Shape, into writer: inout SwiftWriter) {
        writer.documentation(["The `\(query.name)` statement: its SQL, parameters and row decoding."])
        let conformance = query.command == .copyfrom ? "SQLCopyStatement" : "SQLStatement"
        writer.block("\(access) struct \(shape.statement): \(conformance)") { writer in
            writer.line("\(access) typealias Row = \(shape.row ?? "SQLNoRow")")
            writer.line("\(access) static let name = \(SwiftWriter.literal(query.name))")
            writer.assignment("\(access) static let sql", literal: query.sql)
            writer.line("\(access) static let scope = StatementScope.\(query.scope.rawValue)")
            if let offsets = query.tenantNameOffsets {
                writer.list(
                    "\(access) static let tenantNameOffsets: [Int]? = ", offsets.map(String.init), open: "[",
                    close: "]")
            }
            if query.command == .copyfrom {
                writer.line("\(access) static let copyTable = \(SwiftWriter.literal(copyTarget(query).table))")
                writer.list(
                    "\(access) static let copyColumns: [String] = ", copyTarget(query).columns.map(SwiftWriter.literal),
                    open: "[", close: "]")
            }
            writer.line()
            if let parameterStruct = shape.parameterStruct {
                writer.line("\(access) var params: \(parameterStruct)")
                writer.line()
                writer.block("\(access) init(_ params: \(parameterStruct))") { writer in
                    writer.line("self.params = params")
                }
            } else if shape.parameters.isEmpty {
                writer.line("\(access) init() {}")
            } else {
                ModelEmitter.storedProperties(shape.parameters, access: access, into: &writer)
                writer.line()
                ModelEmitter.memberwiseInitializer(shape.parameters, access: access, into: &writer)
            }
            writer.line()
            writer.block("\(access) func bind(to bindings: inout SQLBindings)") { writer in
                let prefix = shape.parameterStruct != nil ? "params." : ""
                if shape.parameters.isEmpty { writer.line("_ = bindings") }
                for parameter in shape.parameters {
                    writer.line("bindings.append(\(prefix.isEmpty ? "self." : prefix)\(parameter.name))")
                }
            }
            writer.line()
            writer.block("\(access) static func decode(_ row: SQLRow) throws(PostgresError) -> Row") { writer in
                guard let rowType = shape.row else {
                    writer.line("_ = row")
                    writer.line("return SQLNoRow()")
                    return
                }
                writer.line("\(rowType)(")
                writer.indented { writer in
                    for (position, field) in shape.columns.enumerated() {
                        let comma = position == shape.columns.count - 1 ? "" : ","
                        switch field {
                        case .column(let property, let index):
                            decodeArgument(property, index: index, comma: comma, into: &writer)
                        case .embedded(let property, let model, let columns):
                            writer.line("\(property.label): \(model)(")
                            writer.indented { writer in
                                for (memberPosition, (member, index)) in columns.enumerated() {
                                    let memberComma = memberPosition == columns.count - 1 ? "" : ","
                                    decodeArgument(member, index: index, comma: memberComma, into: &writer)
                                }
                            }
                            writer.line(")\(comma)")
                        }
                    }
                }
                writer.line(")")
            }
        }
    }

    /// `label: try row.decode(index, as: Type.self, name: "column"),` laid out to fit.
    private func decodeArgument(
        _ property: ModelEmitter.Property, index: Int, comma: String, into writer: inout SwiftWriter
    ) {
        writer.labeledCall(
            property.label, "try row.decode",
            ["\(index)", "as: \(property.type).self", "name: \(SwiftWriter.literal(property.sqlName))"], comma)
    }

    /// The table and columns of a `:copyfrom` INSERT, read from its SQL's analysis.
    func copyTarget(_ query: AnalyzedQuery) -> (table: String, columns: [String]) {
        let parsed = SQLParser.parse(SourceFile(path: query.file, text: query.sql))
        if case .query(.insert(let insert))? = parsed.statements.first?.kind {
            return (insert.table.description, insert.columns.map(\.name))
        }
        return (query.tablesWritten.first ?? "", [])
    }
}
