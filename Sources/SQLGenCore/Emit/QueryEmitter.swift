/// Emits one query file's queries type: a statement per query, its row and
/// parameter types, and a function per query that runs it on any executor.
struct QueryEmitter {
    let emitter: SwiftEmitter
    let typeName: String
    let queries: [AnalyzedQuery]
    /// The top-level names of every generated file, which this file's nested types must not hide.
    let topLevel: SwiftNameScope

    var access: String { emitter.access }
    var naming: SwiftNaming { emitter.naming }

    /// Every query's generated pieces, named in the queries type's namespace.
    func shapes(diagnostics: inout [Diagnostic]) -> [Shape] {
        // The extension's nested types must not hide a model; `Row` is each statement's own alias.
        var nestedTypes = topLevel
        nestedTypes.reserve("Row")
        for reserved in SwiftNaming.reservedTypeNames { nestedTypes.reserve(reserved) }
        // Functions share the type's namespace with the nested types (a function `getUser` and a statement
        // `getUser` from a query named so would make every use of the name ambiguous), and neither may
        // hide a model or the `executor` member.
        nestedTypes.reserve("executor")
        return queries.map { shape($0, names: &nestedTypes, diagnostics: &diagnostics) }
    }

    /// The queries type's file, from the queries' ``shapes(diagnostics:)``.
    func file(shapes: [Shape]) -> String {
        var writer = emitter.prologue()
        writer.line()
        // Queries that touch tenant tables need an executor that routes them to the current tenant's
        // schema: handing them a plain pool or connection does not compile.
        let routed = queries.contains { $0.scope == .tenant }
        let executor = routed ? "any SQLGenRuntime.TenantRoutingExecutor" : "any SQLGenRuntime.SQLExecutor"
        // The query file as the project names it; a path that climbs out of the configuration's folder
        // says where this build ran from, not what the file is, so only its name is given then.
        let path = queries.first?.file ?? ""
        let file = path.split(separator: "/").contains("..") ? String(path.split(separator: "/").last ?? "") : path
        writer.documentation([
            routed
                ? "The queries of `\(file)`, which touch tenant tables: they run on a tenant pool or one of its transactions, in the current tenant's schema."
                : "The queries of `\(file)`, run on any executor: a pool, a tenant pool, a connection or a transaction."
        ])
        writer.block("\(access) struct \(typeName): Swift.Sendable") { writer in
            writer.line("\(access) let executor: \(executor)")
            writer.line()
            writer.line("/// Queries that run on `executor`.")
            writer.block("\(access) init(_ executor: \(executor))") { writer in
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
        /// The function's name, and its streaming twin's for `:many`.
        var function: String
        var streamFunction: String?
        /// The statement type, for a query with a parameter struct (or a batch, or COPY); nil when the
        /// function runs a `QueryStatement`.
        var statement: String?
        /// The static property that holds the SQL of a query without a statement type.
        var sqlProperty: String?
        var row: String?
        var rowIsModel: Bool
        /// Whether the row is its one column's value.
        var rowIsColumn = false
        var parameters: [ModelEmitter.Property]
        var parameterStruct: String?
        var columns: [RowField]
        /// The row type this query's row is, when an earlier query's row has the same fields (qualified
        /// by its queries type): identical rows are one type.
        var sharedRow: String?
        /// Whether later queries' rows are this one's type.
        var rowIsShared = false
        /// For a dynamic query: its variants' static property and its sort type.
        var dynamic: DynamicShape?

        /// What makes two rows the same type: their fields' names and types, in order; nil when the
        /// query has no row of its own (none, or a table's model).
        var rowSignature: String? {
            guard row != nil, !rowIsModel, !rowIsColumn else { return nil }
            return columns.map { field in
                switch field {
                case .column(let property, _):
                    return "\(property.name): \(property.type)"
                case .embedded(let property, let model, let members):
                    let inner = members.map { "\($0.0.name): \($0.0.type)" }.joined(separator: ", ")
                    return "\(property.name): \(property.type) = \(model)(\(inner))"
                }
            }.joined(separator: "; ")
        }
    }

    /// The generated pieces of a dynamic query (``DynamicQuery``).
    struct DynamicShape {
        /// The static property holding every variant, and the static function choosing one.
        var variantsProperty: String
        var chooser: String
        /// The sort enum, with its cases' names and raw values (`nameAscending = "name"`,
        /// `nameDescending = "-name"`), in variant order; nil without `sqlgen.sort`.
        var sortType: String?
        var sortCases: [(name: String, rawValue: String)]
    }

    /// A field of a row: a plain column, or an embedded model made of several columns.
    enum RowField {
        case column(ModelEmitter.Property, index: Int)
        /// An embedded table's model; from the nullable side of an outer join, an optional one
        /// (the property's type says so), nil where all its columns are NULL.
        case embedded(ModelEmitter.Property, model: String, columns: [(ModelEmitter.Property, Int)])

        var property: ModelEmitter.Property {
            switch self {
            case .column(let property, _), .embedded(let property, _, _): return property
            }
        }
    }

    func shape(
        _ query: AnalyzedQuery, names nestedTypes: inout SwiftNameScope,
        diagnostics: inout [Diagnostic]
    ) -> Shape {
        let location = SourceLocation(path: query.file, line: query.line, column: 1)
        func claim(_ name: String, in scope: inout SwiftNameScope, what: String) -> String {
            let claimed = scope.claim(name)
            if claimed.merged {
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        "\(what) of query \(query.name) would be named \(SwiftNaming.bare(name)), which another name took; it is named \(claimed.name)",
                        at: location))
            }
            return claimed.name
        }
        // The statement holds the parameters: they must not take its own members' names.
        var parameterNames = SwiftNameScope(reserved: ["sqlText", "declaredScope"])
        // A dynamic query's function has a `sort` argument and holds the statement it picks in `variant`.
        if query.dynamic != nil {
            parameterNames.reserve("variant")
            parameterNames.reserve("variantIndex")
            if query.dynamic?.sortKeys.isEmpty == false { parameterNames.reserve("sort") }
        }
        let parameters = query.parameters.map { parameter -> ModelEmitter.Property in
            let name = claim(
                naming.memberName(parameter.name), in: &parameterNames, what: "parameter \(parameter.name)")
            return ModelEmitter.Property(
                name: name, sqlName: parameter.name,
                merged: SwiftNaming.bare(name) != SwiftNaming.bare(naming.memberName(parameter.name)),
                type: emitter.swiftType(
                    parameter.type, nullable: parameter.nullable, column: parameter.source,
                    context: "parameter $\(parameter.number) of \(query.name)", diagnostics: &diagnostics),
                documentation: nil)
        }
        var fields: [RowField] = []
        // Named as a model's properties are (a row can be the model), so `sqlText` is taken.
        var usedNames = SwiftNameScope(reserved: ["sqlText"])
        func unique(_ name: String, column: String) -> (String, Bool) {
            let claimed = claim(name, in: &usedNames, what: "column \(SwiftWriter.literal(column))")
            return (claimed, SwiftNaming.bare(claimed) != SwiftNaming.bare(name))
        }
        var index = 0
        while index < query.columns.count {
            let column = query.columns[index]
            if column.embeddedTable != nil, let source = column.source {
                var members: [(ModelEmitter.Property, Int)] = []
                var memberNames = SwiftNameScope()
                while index < query.columns.count, query.columns[index].embeddedTable == column.embeddedTable {
                    let member = query.columns[index]
                    members.append(
                        (
                            property(
                                member, query: query, diagnostics: &diagnostics,
                                name: memberNames.claim(naming.memberName(member.name)).name),
                            index
                        ))
                    index += 1
                }
                let model = emitter.mapping.modelName(schema: source.schema, table: source.table)
                let (name, _) = unique(naming.memberName(SwiftNaming.singular(source.table)), column: source.table)
                let type = column.nullableInEmbeddedModel != nil ? model + "?" : model
                fields.append(
                    .embedded(
                        ModelEmitter.Property(name: name, sqlName: source.table, type: type), model: model,
                        columns: members))
                continue
            }
            let (name, merged) = unique(naming.memberName(column.fieldName), column: column.fieldName)
            var field = property(column, query: query, diagnostics: &diagnostics, name: name)
            field.merged = merged
            fields.append(.column(field, index: index))
            index += 1
        }
        let base = SwiftNaming.bare(query.name)
        // A dynamic query's optional arguments default to nil, so its calls read well without a struct.
        let needsParameterStruct =
            query.dynamic == nil && parameters.count > emitter.options.parameterStructThreshold || isBatch(query)
            || query.command == .copyfrom
        // A statement type only where callers hold its values (a parameter struct, batch items, COPY
        // rows); every other query runs a QueryStatement, one generic type the compiler checks once.
        let needsStatementType = needsParameterStruct && !parameters.isEmpty || query.command == .copyfrom
        let statement =
            needsStatementType
            ? claim(SwiftNaming.escaped(base), in: &nestedTypes, what: "the statement type") : nil
        let model = matchingModel(query)
        // A row of one column is that column's value (`[String]`, `Int64`); but a `:one` that may find no
        // row keeps a row type when the value is NULL-able, so that no row and NULL stay apart.
        var column: ModelEmitter.Property?
        if model == nil, fields.count == 1, case .column(let property, _) = fields[0],
            !(query.command == .one && !query.returnsExactlyOneRow && property.type.hasSuffix("?"))
        {
            column = property
        }
        // `SELECT FROM t` has rows of no columns: a row type with no fields, one value per row.
        let returnsRows = [.one, .many, .batchone, .batchmany].contains(query.command)
        let row: String? =
            query.columns.isEmpty && !returnsRows
            ? nil : (model ?? column?.type ?? claim(base + "Row", in: &nestedTypes, what: "the row type"))
        let parameterStruct =
            needsParameterStruct && !parameters.isEmpty
            ? claim(base + "Params", in: &nestedTypes, what: "the parameter type") : nil
        let function = claim(naming.functionName(query.name), in: &nestedTypes, what: "the function")
        let streamFunction =
            query.command == .many
            ? claim(SwiftNaming.bare(function) + "Stream", in: &nestedTypes, what: "the stream function") : nil
        let sqlProperty =
            statement == nil && query.dynamic == nil
            ? claim(SwiftNaming.bare(function) + "SQL", in: &nestedTypes, what: "the SQL property") : nil
        var shape = Shape(
            function: function, streamFunction: streamFunction,
            statement: statement, sqlProperty: sqlProperty, row: row, rowIsModel: model != nil,
            rowIsColumn: column != nil, parameters: parameters,
            parameterStruct: parameterStruct, columns: fields)
        if let dynamic = query.dynamic {
            let variants = claim(SwiftNaming.bare(function) + "Variants", in: &nestedTypes, what: "the variants")
            let chooser = claim(SwiftNaming.bare(function) + "Variant", in: &nestedTypes, what: "the variant chooser")
            var sortType: String?
            var cases: [(name: String, rawValue: String)] = []
            if !dynamic.sortKeys.isEmpty {
                sortType = claim(base + "Sort", in: &nestedTypes, what: "the sort type")
                var caseNames = SwiftNameScope()
                for key in dynamic.sortKeys {
                    cases.append((caseNames.claim(naming.memberName(key + "_ascending")).name, key))
                    cases.append((caseNames.claim(naming.memberName(key + "_descending")).name, "-" + key))
                }
            }
            shape.dynamic = DynamicShape(
                variantsProperty: variants, chooser: chooser, sortType: sortType, sortCases: cases)
        }
        return shape
    }

    private func property(
        _ column: ResultColumn, query: AnalyzedQuery, diagnostics: inout [Diagnostic], name: String
    ) -> ModelEmitter.Property {
        let nullable = column.nullableInEmbeddedModel ?? column.nullable
        // A type the query's SQL names (`AS "meta: PostMeta"`) wins over every mapping.
        let type =
            column.swiftType.map { $0 + (nullable ? "?" : "") }
            ?? emitter.swiftType(
                column.type, nullable: nullable, column: column.source,
                context: "column \"\(column.name)\" of \(query.name)", diagnostics: &diagnostics)
        return ModelEmitter.Property(name: name, sqlName: column.name, type: type, documentation: nil)
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
                result.swiftType == nil,
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
        documentation.append(contentsOf: LineBreaks.lines(of: query.sql))
        documentation.append("```")
        if let dynamic = query.dynamic {
            documentation.append("")
            let sorted = !dynamic.sortKeys.isEmpty
            let filtered = !dynamic.conditions.isEmpty
            var lines: [String] = []
            switch (filtered, sorted) {
            case (true, true):
                lines = [
                    "The statement with every optional condition and the first sort order.",
                    "An optional argument left nil leaves its condition out; `sort` picks the ORDER BY.",
                ]
            case (true, false):
                lines = [
                    "The statement with every optional condition.",
                    "An optional argument left nil leaves its condition out.",
                ]
            default:
                lines = ["The statement sorted by the first key; `sort` picks the ORDER BY."]
            }
            documentation.append(contentsOf: lines)
            documentation.append(contentsOf: [
                "All \(dynamic.variants.count) statements were checked when this code was generated;",
                "each is prepared on its own, and values are always bound.",
            ])
            documentation.append(contentsOf: conditionDocumentation(dynamic, shape: shape))
        }
        writer.documentation(documentation)
        let name = shape.function
        let parameters: [String]
        let statementArguments: [String]
        if let parameterStruct = shape.parameterStruct, !isBatch(query), query.command != .copyfrom {
            parameters = ["_ params: \(parameterStruct)"]
            statementArguments = ["params"]
        } else if let dynamic = query.dynamic, let dynamicShape = shape.dynamic {
            parameters = dynamicParameters(dynamic, shape: shape, dynamicShape: dynamicShape)
            statementArguments = []
        } else {
            parameters = shape.parameters.map(\.parameterDeclaration)
            statementArguments = shape.parameters.map { "\($0.argumentLabel): \($0.parameterName)" }
        }
        let row = shape.row ?? "SQLGenRuntime.SQLNoRow"
        let signature = "\(access) func \(name)"
        let throwing = " async throws(SQLGenRuntime.SQLGenError)"
        func run(_ head: String, _ tail: String = "") -> (inout SwiftWriter) -> Void {
            if let dynamic = query.dynamic, let dynamicShape = shape.dynamic {
                return { writer in
                    runVariant(dynamic, shape: shape, dynamicShape: dynamicShape, head: head, row: row, into: &writer)
                }
            }
            // The parameter struct is the statement itself.
            if shape.parameterStruct != nil { return { writer in writer.wrappedCall(head, "params") } }
            if let statement = shape.statement {
                return { writer in writer.nestedCall(head, statement, statementArguments, tail) }
            }
            var arguments = ["name: " + SwiftWriter.literal(query.name), "scope: .\(query.scope.rawValue)"]
            if let offsets = query.tenantNameOffsets {
                arguments.append("tenantNameOffsets: [" + offsets.map(String.init).joined(separator: ", ") + "]")
            }
            arguments.append(shape.rowIsColumn ? "column: \(row).self" : "row: \(row).self")
            for (position, parameter) in shape.parameters.enumerated() {
                arguments.append((position == 0 ? "values: " : "") + parameter.parameterName)
            }
            arguments.append("sql: Self.\(shape.sqlProperty ?? "")")
            let statement = shape.rowIsColumn ? "SQLGenRuntime.ColumnQueryStatement" : "SQLGenRuntime.QueryStatement"
            return { writer in writer.nestedCall(head, statement, arguments, tail) }
        }
        switch query.command {
        case .one where query.returnsExactlyOneRow:
            // The statement's form returns exactly one row: the row itself, not an optional one.
            writer.block(
                signature, parameters: parameters, throwing + " -> \(row)", run("try await self.executor.queryOne"))
        case .one:
            writer.block(
                signature, parameters: parameters, throwing + " -> \(row)?", run("try await self.executor.queryFirst"))
        case .many:
            writer.block(
                signature, parameters: parameters, throwing + " -> [\(row)]", run("try await self.executor.query"))
            writer.line()
            let streamName = shape.streamFunction ?? name + "Stream"
            let labels =
                shape.parameterStruct != nil
                ? "_:" : argumentLabels(query, shape: shape).map { "\($0):" }.joined()
            writer.documentation([
                "Streams the rows of ``\(SwiftNaming.bare(name))(\(labels))`` without holding them all."
            ])
            writer.block(
                "\(access) func \(streamName)", parameters: parameters,
                " -> SQLGenRuntime.SQLRowStream<\(row)>", run("self.executor.stream"))
        case .exec:
            writer.block(signature, parameters: parameters, throwing, run("_ = try await self.executor.execute"))
        case .execrows:
            writer.line("/// - Returns: the number of rows affected.")
            writer.line("@discardableResult")
            writer.block(
                signature, parameters: parameters, throwing + " -> Swift.Int", run("try await self.executor.execute"))
        case .execresult:
            writer.line("@discardableResult")
            writer.block(
                signature, parameters: parameters, throwing + " -> SQLGenRuntime.SQLCommandResult",
                run("try await self.executor.executeResult"))
        case .copyfrom:
            let parameterStruct = shape.parameterStruct ?? "Swift.Never"
            writer.line("/// Inserts every row with COPY FROM STDIN.")
            writer.line("/// - Returns: the number of rows copied.")
            writer.line("@discardableResult")
            writer.block(
                "\(signature)<Rows: Swift.Sequence & Swift.Sendable>", parameters: ["_ rows: Rows"],
                throwing + " -> Swift.Int", whereClause: "where Rows.Element == \(parameterStruct)"
            ) { writer in
                writer.wrappedCall("try await self.executor.copy", "Swift.Array(rows)")
            }
        case .batchexec, .batchone, .batchmany:
            let parameterStruct = shape.parameterStruct ?? "Swift.Never"
            let result: String
            let call: String
            switch query.command {
            case .batchexec: (result, call) = ("[Swift.Int]", "executeBatch")
            case .batchone: (result, call) = ("[\(row)?]", "queryFirstBatch")
            default: (result, call) = ("[[\(row)]]", "queryBatch")
            }
            writer.line("/// Runs the statement once per parameter set, all in one pipelined round trip.")
            // Counts may be dropped; rows asked for may not.
            if query.command == .batchexec { writer.line("@discardableResult") }
            writer.block(signature, parameters: ["_ items: [\(parameterStruct)]"], throwing + " -> \(result)") {
                writer in
                writer.wrappedCall("try await self.executor.\(call)", "items")
            }
        }
    }

    // MARK: - The statement, row and parameter types

    func types(_ query: AnalyzedQuery, shape: Shape, into writer: inout SwiftWriter) {
        if let row = shape.row, let shared = shape.sharedRow {
            // One type, not two: every type costs the compiler its layout, value witnesses and accessors.
            writer.documentation([
                "A row of ``\(SwiftNaming.bare(shape.function))``: the same columns as ``\(shared.replacingOccurrences(of: ".", with: "/"))``, so the same type."
            ])
            writer.labeled("\(access) typealias \(row) = \(shared)", separator: " = ")
            writer.line()
        } else if let row = shape.row, !shape.rowIsModel, !shape.rowIsColumn {
            var documentation = ["A row of ``\(SwiftNaming.bare(shape.function))``."]
            if shape.rowIsShared {
                documentation.append("Other queries whose rows have the same columns return it too.")
            }
            writer.documentation(documentation)
            var conformances = emitter.conformances
            if shape.columns.contains(where: {
                if case .embedded = $0 { return !emitter.options.emitHashable } else { return false }
            }) {
                conformances.removeAll { $0 == "Swift.Hashable" }
            }
            conformances.append("SQLGenRuntime.SQLRowDecodable")
            writer.declaration("\(access) struct \(row)", conformances: conformances) { writer in
                let properties = shape.columns.map(\.property)
                ModelEmitter.storedProperties(properties, access: access, into: &writer)
                writer.line()
                ModelEmitter.memberwiseInitializer(properties, access: access, into: &writer)
                writer.line()
                // The row decodes itself, so every statement that returns it shares one decoder.
                writer.line("/// Decodes a row of the query's columns, in order.")
                writer.block(
                    "\(access) init(decoding row: SQLGenRuntime.SQLRow) throws(SQLGenRuntime.SQLGenError)"
                ) { writer in
                    decodeBody(fields: shape.columns, into: &writer)
                }
            }
            writer.line()
        }
        if let parameterStruct = shape.parameterStruct {
            // One type, not two: a parameter struct wrapped by its statement cost the compiler a second
            // type's layout and value witnesses for every such query.
            writer.documentation([
                "The parameters of ``\(SwiftNaming.bare(shape.function))``: its statement, which holds them."
            ])
            writer.labeled("\(access) typealias \(parameterStruct) = \(shape.statement ?? "")", separator: " = ")
            writer.line()
        }
        if let dynamic = query.dynamic, let dynamicShape = shape.dynamic {
            dynamicTypes(query, dynamic: dynamic, shape: shape, dynamicShape: dynamicShape, into: &writer)
        } else if let statement = shape.statement {
            self.statement(query, shape: shape, type: statement, into: &writer)
        } else if let sqlProperty = shape.sqlProperty {
            writer.documentation(["The SQL ``\(SwiftNaming.bare(shape.function))`` runs, with `$n` parameters."])
            writer.computed("\(access) static var \(sqlProperty): Swift.String", literal: query.sql)
        }
    }

    func statement(_ query: AnalyzedQuery, shape: Shape, type: String, into writer: inout SwiftWriter) {
        writer.documentation(["The `\(query.name)` statement: its SQL, parameters and row type."])
        let conformance =
            query.command == .copyfrom ? "SQLGenRuntime.SQLCopyStatement" : "SQLGenRuntime.SQLStatement"
        // A statement that is its query's parameter struct has the conformances parameter structs have.
        let conformances =
            [conformance]
            + (shape.parameterStruct != nil ? emitter.conformances.filter { $0 != "Swift.Sendable" } : [])
        writer.declaration("\(access) struct \(type)", conformances: conformances) { writer in
            writer.line("\(access) typealias Row = \(shape.row ?? "SQLGenRuntime.SQLNoRow")")
            writer.computed("\(access) static var name: Swift.String", literal: query.name)
            writer.computed("\(access) static var sql: Swift.String", literal: query.sql)
            writer.line(
                "\(access) static var scope: SQLGenRuntime.StatementScope { .\(query.scope.rawValue) }")
            if let offsets = query.tenantNameOffsets {
                writer.list(
                    "\(access) static let tenantNameOffsets: [Swift.Int]? = ", offsets.map(String.init), open: "[",
                    close: "]")
            }
            if query.command == .copyfrom {
                writer.computed("\(access) static var copyTable: Swift.String", literal: copyTarget(query).table)
                writer.list(
                    "\(access) static let copyColumns: [Swift.String] = ",
                    copyTarget(query).columns.map { SwiftWriter.literal($0) },
                    open: "[", close: "]")
            }
            writer.line()
            if shape.parameterStruct != nil {
                // The query's parameter struct: its values are the caller's to set, a NULL-able one
                // left out is NULL.
                ModelEmitter.storedProperties(shape.parameters, access: access, into: &writer)
                writer.line()
                ModelEmitter.memberwiseInitializer(
                    shape.parameters, access: access, optionalsDefaultToNil: true, into: &writer)
            } else if shape.parameters.isEmpty {
                writer.line("\(access) init() {}")
            } else {
                // A statement's values are set once, by its initializer.
                ModelEmitter.storedProperties(shape.parameters, access: access, mutable: false, into: &writer)
                writer.line()
                ModelEmitter.memberwiseInitializer(shape.parameters, access: access, into: &writer)
            }
            writer.line()
            writer.block("\(access) func bind(to bindings: inout SQLGenRuntime.SQLBindings)") { writer in
                if shape.parameters.isEmpty { writer.line("_ = bindings") }
                for parameter in shape.parameters {
                    writer.line("bindings.append(self.\(parameter.name))")
                }
            }
            // Rows, table models and SQLNoRow decode themselves (SQLRowDecodable), and the statement uses
            // their decoder; a row that is its one column's value is that column.
            if shape.rowIsColumn {
                writer.line()
                writer.block(
                    "\(access) static func decode(_ row: SQLGenRuntime.SQLRow) throws(SQLGenRuntime.SQLGenError) -> Row"
                ) { writer in
                    let name = shape.columns.first.map { SwiftWriter.literal($0.property.sqlName) } ?? "\"?column?\""
                    writer.line("try row.decode(0, name: \(name))")
                }
            }
        }
    }

    /// The body of a row's `init(decoding:)`: one assignment per column (see
    /// ``ModelEmitter/assignColumns(_:into:)``); an embedded table's model is built from its columns.
    private func decodeBody(fields: [RowField], into writer: inout SwiftWriter) {
        for field in fields {
            switch field {
            case .column(let property, let index):
                ModelEmitter.assignColumns([(property, index)], into: &writer)
            case .embedded(let property, let model, let columns):
                func construct(_ writer: inout SwiftWriter) {
                    writer.line("self.\(property.name) = \(model)(")
                    writer.indented { writer in
                        for (position, (member, index)) in columns.enumerated() {
                            decodeArgument(
                                member, index: index, comma: position == columns.count - 1 ? "" : ",", into: &writer)
                        }
                    }
                    writer.line(")")
                }
                guard property.type.hasSuffix("?"), let first = columns.first?.1, let last = columns.last?.1 else {
                    construct(&writer)
                    continue
                }
                // The outer join found no row of the table: every one of its columns is NULL.
                writer.line("if row.columnsAreNull(\(first)...\(last)) {")
                writer.indented { writer in writer.line("self.\(property.name) = nil") }
                writer.line("} else {")
                writer.indented { writer in construct(&writer) }
                writer.line("}")
            }
        }
    }

    /// `label: try row.decode(index, as: Type.self, name: "column"),` laid out to fit.
    private func decodeArgument(
        _ property: ModelEmitter.Property, index: Int, comma: String, into writer: inout SwiftWriter
    ) {
        writer.labeledCall(
            property.argumentLabel, "try row.decode",
            ["\(index)", "as: \(property.type).self", "name: \(SwiftWriter.literal(property.sqlName))"], comma)
    }

    /// The table and columns of a `:copyfrom` INSERT, as its analysis found them.
    func copyTarget(_ query: AnalyzedQuery) -> CopyTarget {
        query.copyTarget ?? CopyTarget(table: query.tablesWritten.first ?? "", columns: [])
    }
}
