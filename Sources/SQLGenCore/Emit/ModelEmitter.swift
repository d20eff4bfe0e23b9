/// Emits `Models.swift`: enums, composite types, and a struct per table and view.
struct ModelEmitter {
    let emitter: SwiftEmitter

    /// The models spread over `count` files, each model in the file its name's hash picks, so that
    /// the files are of similar size and a model stays in its file as others come and go (the build
    /// plugin's outputs, which SwiftPM compiles in parallel).
    func files(count: Int, diagnostics: inout [Diagnostic]) -> [String] {
        var writers = Array(repeating: emitter.prologue(), count: max(count, 1))
        func writer(for name: String) -> Int {
            writers.count == 1 ? 0 : Int(Self.stableHash(name) % UInt64(writers.count))
        }
        for schemaName in emitter.modelSchemas {
            guard let schema = emitter.catalog.schemas[schemaName] else { continue }
            for type in schema.types.values {
                let name = emitter.mapping.userTypeName(schema: type.schema, name: type.name)
                let index = writer(for: name)
                switch type.kind {
                case .enumeration(let labels):
                    enumeration(type, labels: labels, into: &writers[index], diagnostics: &diagnostics)
                case .composite(let fields):
                    record(
                        name: name,
                        documentation: type.comment ?? "The `\(type.schema).\(type.name)` composite type.",
                        columns: fields, table: nil, into: &writers[index], diagnostics: &diagnostics)
                case .domain: break
                }
            }
            for table in schema.tables.values
            where table.columnsKnown && table.kind != .sequence && schema.name != "pg_temp" {
                let name = emitter.mapping.modelName(schema: table.schema, table: table.name)
                record(
                    name: name,
                    documentation: table.comment,
                    columns: table.columns,
                    table: table, into: &writers[writer(for: name)], diagnostics: &diagnostics)
            }
        }
        return writers.map(\.text)
    }

    /// FNV-1a over the name's UTF-8: the same on every run and machine, unlike `Hasher`.
    static func stableHash(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    func enumeration(
        _ type: UserType, labels: [String], into writer: inout SwiftWriter, diagnostics: inout [Diagnostic]
    ) {
        writer.line()
        writer.documentation([type.comment ?? "The `\(type.schema).\(type.name)` enum."])
        var cases = SwiftNameScope()
        let name = emitter.mapping.userTypeName(schema: type.schema, name: type.name)
        writer.declaration(
            "\(emitter.access) enum \(name)",
            conformances: ["Swift.String", "SQLGenRuntime.SQLEnum", "Swift.Codable", "Swift.Hashable"]
        ) { writer in
            for label in labels {
                let claimed = cases.claim(emitter.naming.memberName(label))
                if claimed.merged {
                    diagnostics.append(
                        Diagnostic(
                            .warning,
                            "label \(SwiftWriter.literal(label)) of enum \(type.schema).\(type.name) gives a case name an earlier label took; it is named \(claimed.name)"
                        ))
                }
                writer.line(
                    claimed.name == label
                        ? "case \(claimed.name)" : "case \(claimed.name) = \(SwiftWriter.literal(label))")
            }
        }
    }

    /// A struct for a table, view or composite type, readable from a result row or a record value.
    func record(
        name: String, documentation: String?, columns: [Column], table: Table?, into writer: inout SwiftWriter,
        diagnostics: inout [Diagnostic]
    ) {
        var conformances = emitter.conformances
        if emitter.options.emitIdentifiable, table?.primaryKey == ["id"] { conformances.append("Swift.Identifiable") }
        // `sqlText()` is the record's own method.
        var members = SwiftNameScope(reserved: ["sqlText"])
        let properties = columns.map { column in
            let source = table.map { ColumnSource(schema: $0.schema, table: $0.name, column: column.name) }
            let nullable =
                table.map { $0.kind == .table || $0.kind == .partitionedTable } ?? false
                ? !emitter.catalog.isNeverNull(column) : !column.isNotNull
            let claimed = members.claim(emitter.naming.memberName(column.name))
            if claimed.merged {
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        "column \(SwiftWriter.literal(column.name)) of \(table.map { "\($0.schema).\($0.name)" } ?? name) gives a property name another column took; it is named \(claimed.name)"
                    ))
            }
            return Property(
                name: claimed.name, sqlName: column.name, merged: claimed.merged,
                type: emitter.swiftType(
                    TypeSystem(catalog: emitter.catalog).baseType(column.type), nullable: nullable, column: source,
                    context: "column \(table.map { "\($0.schema).\($0.name)" } ?? name).\(column.name)",
                    diagnostics: &diagnostics),
                documentation: column.comment)
        }
        writer.line()
        if let documentation {
            writer.documentation([documentation])
        } else if let table {
            writer.documentation(["A row of `\(table.schema).\(table.name)`."])
        }
        writer.declaration("\(emitter.access) struct \(name)", conformances: conformances) { writer in
            Self.storedProperties(properties, access: emitter.access, into: &writer)
            writer.line()
            Self.memberwiseInitializer(properties, access: emitter.access, into: &writer)
        }
        writer.line()
        writer.block("extension \(name): SQLGenRuntime.SQLRecordCodable") { writer in
            writer.line("/// The value as a record literal, as PostgreSQL writes a row value.")
            writer.block("\(emitter.access) func sqlText() -> Swift.String?") { writer in
                writer.list(
                    "SQLGenRuntime.SQLRecordText.make(", properties.map { "self.\($0.name).sqlText()" }, open: "[",
                    close: "])")
            }
            writer.line()
            writer.line("/// The number of fields in the record.")
            writer.line("\(emitter.access) static var recordFieldCount: Swift.Int { \(properties.count) }")
            writer.line()
            writer.line("/// Reads the value from a row value's fields, in order (in text or binary format).")
            writer.block(
                "\(emitter.access) static func decode",
                parameters: ["fields: inout SQLGenRuntime.SQLRecordFields"],
                " throws(SQLGenRuntime.SQLDecodingFailure) -> \(name)"
            ) { writer in
                // One call per field, each a generic of one type: a single call generic over every
                // field's type costs the compiler several times the code.
                guard !properties.isEmpty else {
                    writer.line("\(name)()")
                    return
                }
                writer.list("\(name)", properties.map { "\($0.argumentLabel): try fields.next()" })
            }
        }
        if let table, table.kind == .table || table.kind == .partitionedTable {
            writer.line()
            rowDecoder(name: name, properties: properties, into: &writer)
        }
    }

    /// A table model decodes itself from a result row of its columns (`SELECT *`, `RETURNING *`), so
    /// the statements that return it share one decoder.
    func rowDecoder(name: String, properties: [Property], into writer: inout SwiftWriter) {
        writer.block("extension \(name): SQLGenRuntime.SQLRowDecodable") { writer in
            writer.line("/// Decodes a row of the table's columns, in order.")
            writer.block(
                "\(emitter.access) init(decoding row: SQLGenRuntime.SQLRow) throws(SQLGenRuntime.SQLGenError)"
            ) { writer in
                Self.assignColumns(properties.enumerated().map { ($1, $0) }, into: &writer)
            }
        }
    }

    /// `self.name = try row.decode(index, name: "column")` for each column: one statement per column,
    /// each a generic call of one type inferred from the property, which compiles to far less code
    /// than one call generic over every column's type.
    static func assignColumns(_ columns: [(Property, Int)], into writer: inout SwiftWriter) {
        for (property, index) in columns {
            writer.labeled(
                "self.\(property.name) = try row.decode(\(index), name: \(SwiftWriter.literal(property.sqlName)))",
                separator: " = ")
        }
    }

    struct Property {
        var name: String
        var sqlName: String
        /// Whether another SQL name already gave this one's Swift name, so it got a number.
        var merged = false
        var type: String
        var documentation: String?

        /// The documentation to write: the SQL name when the Swift name does not show it.
        var documentationLines: [String] {
            var lines = documentation.map { [$0] } ?? []
            if merged {
                if !lines.isEmpty { lines.append("") }
                lines.append("The SQL name is \(SwiftWriter.literal(sqlName)).")
            }
            return lines
        }

        /// The name without backticks.
        var bareName: String { name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name }

        /// The name as a parameter's label: keywords need no backticks there, except `inout`, `var` and `let`.
        var label: String { ["inout", "var", "let"].contains(bareName) ? name : bareName }

        /// The name as a call's argument label: only `inout` needs backticks there.
        var argumentLabel: String { bareName == "inout" ? name : bareName }

        /// The name of the initializer's parameter inside its body (`self` would hide the instance).
        var parameterName: String { bareName == "self" ? "selfValue" : name }

        /// The initializer parameter: `label: Type`, or `self selfValue: Type`.
        var parameterDeclaration: String {
            bareName == "self" ? "self selfValue: \(type)" : "\(label): \(type)"
        }
    }

    /// The stored properties; `let` ones (`mutable: false`) cost the compiler no setter.
    static func storedProperties(
        _ properties: [Property], access: String, mutable: Bool = true, into writer: inout SwiftWriter
    ) {
        for property in properties {
            writer.documentation(property.documentationLines)
            writer.labeled("\(access) \(mutable ? "var" : "let") \(property.name): \(property.type)")
        }
    }

    /// The memberwise initializer; with `optionalsDefaultToNil`, an optional parameter may be left out.
    static func memberwiseInitializer(
        _ properties: [Property], access: String, optionalsDefaultToNil: Bool = false, into writer: inout SwiftWriter
    ) {
        let parameters = properties.map { property in
            property.parameterDeclaration + (optionalsDefaultToNil && property.type.hasSuffix("?") ? " = nil" : "")
        }
        writer.block("\(access) init", parameters: parameters, "") { writer in
            for property in properties {
                writer.labeled("self.\(property.name) = \(property.parameterName)", separator: " = ")
            }
        }
    }
}
