import Yams

/// Reads `sqlgen.yaml`, reporting unknown keys and wrong values at their YAML line.
public enum ConfigurationLoader {
    /// Parses configuration text. `path` is used in diagnostics; `baseDirectory`
    /// is the folder relative paths in the file start from.
    public static func parse(_ text: String, path: String, baseDirectory: String) -> (Configuration?, [Diagnostic]) {
        var reader = Reader(file: SourceFile(path: path, text: text))
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (nil, [reader.yamlError(error)])
        } catch {
            return (nil, [Diagnostic(.error, "\(path): \(error)")])
        }
        guard let root else {
            reader.error("configuration file is empty", at: nil)
            return (nil, reader.diagnostics)
        }
        var configuration = Configuration()
        configuration.baseDirectory = baseDirectory
        reader.readRoot(root, into: &configuration)
        return (reader.diagnostics.containsErrors ? nil : configuration, reader.diagnostics)
    }

    private struct Reader {
        let file: SourceFile
        var diagnostics: [Diagnostic] = []

        init(file: SourceFile) { self.file = file }

        mutating func error(_ message: String, at node: Node?) {
            let location =
                node?.mark.map { SourceLocation(path: file.path, line: $0.line, column: $0.column) }
                ?? SourceLocation(path: file.path, line: 1, column: 1)
            diagnostics.append(Diagnostic(.error, message, at: location, sourceLine: file.lineText(location.line)))
        }

        func yamlError(_ error: YamlError) -> Diagnostic {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let location = SourceLocation(path: file.path, line: mark.line, column: mark.column)
                let message = "invalid YAML: \(problem)" + (context.map { " (\($0.text))" } ?? "")
                return Diagnostic(.error, message, at: location, sourceLine: file.lineText(mark.line))
            default:
                return Diagnostic(
                    .error, "invalid YAML: \(error)", at: SourceLocation(path: file.path, line: 1, column: 1))
            }
        }

        /// The pairs of a mapping node, or an error naming what was expected.
        mutating func mapping(_ node: Node, _ what: String) -> [(key: String, keyNode: Node, value: Node)]? {
            guard let mapping = node.mapping else {
                error("\(what) must be a mapping", at: node)
                return nil
            }
            return mapping.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
        }

        mutating func string(_ node: Node, _ key: String) -> String? {
            guard let value = node.scalar?.string, !value.isEmpty else {
                error("'\(key)' must be a non-empty string", at: node)
                return nil
            }
            return value
        }

        mutating func strings(_ node: Node, _ key: String) -> [String] {
            if let sequence = node.sequence {
                return sequence.compactMap { string($0, key) }
            }
            return string(node, key).map { [$0] } ?? []
        }

        mutating func readRoot(_ root: Node, into configuration: inout Configuration) {
            guard let pairs = mapping(root, "the configuration") else { return }
            var sawSQL = false
            for (key, keyNode, value) in pairs {
                switch key {
                case "version":
                    guard let version = value.int ?? value.string.flatMap({ Int($0) }), version == 1 else {
                        error("unsupported version '\(value.string ?? "")': this sqlgen reads version 1", at: value)
                        continue
                    }
                    configuration.version = version
                case "sql":
                    sawSQL = true
                    guard let sequence = value.sequence else {
                        error("'sql' must be a list of entries", at: value)
                        continue
                    }
                    for entryNode in sequence {
                        if let entry = readEntry(entryNode) { configuration.entries.append(entry) }
                    }
                case "database":
                    configuration.databaseURL = string(value, key)
                default:
                    error("unknown key '\(key)' (expected 'version', 'sql' or 'database')", at: keyNode)
                }
            }
            if !sawSQL { error("missing key 'sql'", at: root) }
        }

        mutating func readEntry(_ node: Node) -> SQLEntryConfiguration? {
            guard let pairs = mapping(node, "an 'sql' entry") else { return nil }
            var entry = SQLEntryConfiguration()
            for (key, keyNode, value) in pairs {
                switch key {
                case "schema": entry.schema = strings(value, key)
                case "queries": entry.queries = strings(value, key)
                case "output": entry.output = string(value, key)
                case "module": entry.module = string(value, key)
                case "tenancy": entry.tenancy = readTenancy(value)
                case "swift":
                    if let options = readSwift(value) { entry.swift = options }
                case "extensions": entry.extensions = readExtensions(value)
                default:
                    error(
                        "unknown key '\(key)' in an 'sql' entry (expected schema, queries, output, module, tenancy, swift or extensions)",
                        at: keyNode)
                }
            }
            if entry.schema.isEmpty { error("an 'sql' entry needs 'schema'", at: node) }
            // A declared type's Swift type is an override by type; the `overrides` written win.
            entry.swift.overrides += entry.extensions.flatMap(\.types).map {
                TypeOverride(databaseType: $0.name, swiftType: $0.swiftType, importModule: $0.importModule)
            }
            return entry
        }

        mutating func readSwift(_ node: Node) -> SwiftOptions? {
            guard let pairs = mapping(node, "'swift'") else { return nil }
            var options = SwiftOptions()
            for (key, keyNode, value) in pairs {
                switch key {
                case "access_level":
                    guard let level = string(value, key), ["public", "package", "internal"].contains(level) else {
                        error("'access_level' must be public, package or internal", at: value)
                        continue
                    }
                    options.accessLevel = level
                case "parameter_struct_threshold":
                    guard let number = value.int, number >= 0 else {
                        error("'parameter_struct_threshold' must be a number of parameters", at: value)
                        continue
                    }
                    options.parameterStructThreshold = number
                case "rename":
                    guard let renames = mapping(value, "'rename'") else { continue }
                    for (name, _, swiftName) in renames {
                        if let swiftName = string(swiftName, name) { options.renames[name] = swiftName }
                    }
                case "overrides":
                    guard let sequence = value.sequence else {
                        error("'overrides' must be a list", at: value)
                        continue
                    }
                    for item in sequence {
                        if let override = readOverride(item) { options.overrides.append(override) }
                    }
                case "conformances":
                    let names = strings(value, key)
                    for name in names where !["Codable", "Hashable", "Identifiable"].contains(name) {
                        error("unknown conformance '\(name)' (expected Codable, Hashable or Identifiable)", at: value)
                    }
                    options.emitCodable = names.contains("Codable")
                    options.emitHashable = names.contains("Hashable")
                    options.emitIdentifiable = names.contains("Identifiable")
                default:
                    error(
                        "unknown key '\(key)' in 'swift' (expected access_level, parameter_struct_threshold, overrides, rename or conformances)",
                        at: keyNode)
                }
            }
            return options
        }

        mutating func readOverride(_ node: Node) -> TypeOverride? {
            guard let pairs = mapping(node, "an override") else { return nil }
            var override = TypeOverride(swiftType: "")
            for (key, keyNode, value) in pairs {
                switch key {
                case "db_type": override.databaseType = string(value, key)
                case "column": override.column = string(value, key)
                case "swift_type": override.swiftType = string(value, key) ?? ""
                case "import": override.importModule = string(value, key)
                default:
                    error(
                        "unknown key '\(key)' in an override (expected db_type, column, swift_type or import)",
                        at: keyNode)
                }
            }
            if override.swiftType.isEmpty { error("an override needs 'swift_type'", at: node) }
            if (override.databaseType == nil) == (override.column == nil) {
                error("an override needs exactly one of 'db_type' and 'column'", at: node)
            }
            return override.swiftType.isEmpty ? nil : override
        }

        func location(_ node: Node) -> SourceLocation? {
            node.mark.map { SourceLocation(path: file.path, line: $0.line, column: $0.column) }
        }

        mutating func readExtensions(_ node: Node) -> [ExtensionDeclaration] {
            guard let pairs = mapping(node, "'extensions'") else { return [] }
            var declarations: [ExtensionDeclaration] = []
            for (name, keyNode, value) in pairs {
                guard !name.isEmpty else {
                    error("an extension's name must be a non-empty string", at: keyNode)
                    continue
                }
                var declaration = ExtensionDeclaration(name: name, location: location(keyNode))
                guard let parts = mapping(value, "extension '\(name)'") else { continue }
                for (key, partKey, part) in parts {
                    switch key {
                    case "types": declaration.types = readDeclaredTypes(part, extension: name)
                    case "functions": declaration.functions = signatures(part, key)
                    case "operators": declaration.operators = signatures(part, key)
                    default:
                        error(
                            "unknown key '\(key)' in extension '\(name)' (expected types, functions or operators)",
                            at: partKey)
                    }
                }
                declarations.append(declaration)
            }
            return declarations
        }

        mutating func readDeclaredTypes(_ node: Node, extension name: String) -> [DeclaredType] {
            guard let pairs = mapping(node, "the 'types' of extension '\(name)'") else { return [] }
            var types: [DeclaredType] = []
            for (typeName, keyNode, value) in pairs {
                var type = DeclaredType(name: typeName, location: location(keyNode))
                guard !typeName.isEmpty else {
                    error("a type's name must be a non-empty string", at: keyNode)
                    continue
                }
                if let scalar = value.scalar, ["", "~", "null"].contains(scalar.string) {
                    types.append(type)  // `semver:` alone: read as its text, a String
                    continue
                }
                guard let options = mapping(value, "type '\(typeName)'") else { continue }
                for (key, optionKey, option) in options {
                    switch key {
                    case "swift_type": type.swiftType = string(option, key) ?? type.swiftType
                    case "import": type.importModule = string(option, key)
                    case "category":
                        guard let letter = string(option, key), letter.utf8.count == 1,
                            let byte = letter.utf8.first, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z")
                        else {
                            error(
                                "'category' must be one capital letter, as pg_type.typcategory (U, S, N...)", at: option
                            )
                            continue
                        }
                        type.category = byte
                    default:
                        error(
                            "unknown key '\(key)' in type '\(typeName)' (expected swift_type, import or category)",
                            at: optionKey)
                    }
                }
                types.append(type)
            }
            return types
        }

        mutating func signatures(_ node: Node, _ key: String) -> [DeclaredSignature] {
            let items = node.sequence.map(Array.init) ?? [node]
            return items.compactMap { item in
                guard let text = string(item, key) else { return nil }
                return DeclaredSignature(
                    text: text, location: location(item), sourceLine: item.mark.map { file.lineText($0.line) })
            }
        }

        mutating func readTenancy(_ node: Node) -> TenancyConfiguration? {
            guard let pairs = mapping(node, "'tenancy'") else { return nil }
            var tenancy = TenancyConfiguration()
            for (key, keyNode, value) in pairs {
                if let mark = value.mark {
                    tenancy.locations[key] = SourceLocation(path: file.path, line: mark.line, column: mark.column)
                    tenancy.sourceLines[key] = file.lineText(mark.line)
                }
                switch key {
                case "template_schema": tenancy.templateSchema = string(value, key) ?? tenancy.templateSchema
                case "shared_schemas": tenancy.sharedSchemas = strings(value, key)
                case "registry_table": tenancy.registryTable = string(value, key) ?? tenancy.registryTable
                default:
                    error(
                        "unknown key '\(key)' in 'tenancy' (expected template_schema, shared_schemas or registry_table)",
                        at: keyNode)
                }
            }
            return tenancy
        }
    }
}
