import Foundation

/// The objects of extensions declared in `sqlgen.yaml` (``ExtensionDeclaration``), added to the
/// built-in catalog as if `make builtin-catalog` had read them from the server.
extension BuiltinCatalog {
    /// The first OID declared types take, far above those a server hands out to user objects, so that
    /// they never meet a built-in one.
    static let firstDeclaredOID: UInt32 = 4_000_000_000

    /// This catalog with the declared extensions' types, functions and operators; errors at the
    /// line of each declaration that cannot be read.
    public func declaring(_ extensions: [ExtensionDeclaration]) -> (BuiltinCatalog, [Diagnostic]) {
        guard !extensions.isEmpty else { return (self, []) }
        var catalog = self
        var diagnostics: [Diagnostic] = []
        var nextOID = Self.firstDeclaredOID
        var accepted: [ExtensionDeclaration] = []
        for declaration in extensions {
            if knownExtensions.contains(declaration.name) {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "extension \"\(declaration.name)\" is known to sqlgen: its types, functions and operators need no declaration",
                        at: declaration.location))
                continue
            }
            catalog.knownExtensions.insert(declaration.name)
            for type in declaration.types {
                guard catalog.declaredType(named: type.name) == nil, catalog.coreTypesByName[type.name] == nil else {
                    diagnostics.append(
                        Diagnostic(.error, "type \"\(type.name)\" is declared twice or is built in", at: type.location))
                    continue
                }
                catalog.addDeclaredType(type, extension: declaration.name, oid: nextOID)
                nextOID += 2
            }
            accepted.append(declaration)
        }
        // Signatures may name the types of any declared extension, so they are read once all are in.
        for declaration in accepted {
            for signature in declaration.functions {
                do {
                    var function = try catalog.function(signature.text, extension: declaration.name)
                    function.oid = nextOID
                    nextOID += 1
                    catalog.functionsByName[function.name, default: []].append(function)
                } catch {
                    diagnostics.append(
                        Diagnostic(.error, error.message, at: signature.location, sourceLine: signature.sourceLine))
                }
            }
            for signature in declaration.operators {
                do {
                    let op = try catalog.operator(signature.text, extension: declaration.name)
                    catalog.declaredOperatorsByName[op.name, default: []].append(op)
                } catch {
                    diagnostics.append(
                        Diagnostic(.error, error.message, at: signature.location, sourceLine: signature.sourceLine))
                }
            }
        }
        catalog.declarations = extensions
        return (catalog, diagnostics)
    }

    /// A declaration that cannot be read, and why.
    struct DeclarationError: Error {
        var message: String
    }

    /// The OID of a declared type.
    func declaredType(named name: String) -> UInt32? { declaredTypesByName[name] }

    private mutating func addDeclaredType(_ type: DeclaredType, extension name: String, oid: UInt32) {
        typesByOID[oid] = BuiltinType(
            oid: oid, name: type.name, displayName: type.name, category: type.category, isPreferred: false,
            kind: UInt8(ascii: "b"), elementOID: 0, arrayOID: oid + 1, extension: name)
        typesByOID[oid + 1] = BuiltinType(
            oid: oid + 1, name: "_" + type.name, displayName: type.name + "[]", category: UInt8(ascii: "A"),
            isPreferred: false, kind: UInt8(ascii: "b"), elementOID: oid, arrayOID: 0, extension: name)
        extensionTypes[name, default: [:]][type.name] = oid
        extensionTypes[name, default: [:]]["_" + type.name] = oid + 1
        declaredTypesByName[type.name] = oid
    }

    /// `name(type, ...) returns [setof] type [strict] [aggregate]`.
    private func function(_ text: String, extension name: String) throws(DeclarationError) -> BuiltinFunction {
        let expected =
            "expected 'name(type, ...) returns type', with 'setof' before a set's type, and 'strict' or 'aggregate' last"
        let (head, result, returnsSet, isStrict, isAggregate) = try splitResult(text, expected: expected)
        guard let open = head.firstIndex(of: "("), head.hasSuffix(")") else {
            throw DeclarationError(message: "cannot read function '\(text)': \(expected)")
        }
        let functionName = head[..<open].trimmingCharacters(in: .whitespaces).lowercased()
        guard Self.isIdentifier(functionName) else {
            throw DeclarationError(message: "cannot read function '\(text)': '\(functionName)' is not a function name")
        }
        let list = head[head.index(after: open)..<head.index(before: head.endIndex)]
        let arguments = try Self.topLevelItems(String(list)).map { argument throws(DeclarationError) in
            try typeOID(argument, in: text)
        }
        return BuiltinFunction(
            oid: 0, name: functionName, argumentTypes: arguments, returnType: try typeOID(result, in: text),
            returnsSet: returnsSet, kind: UInt8(ascii: isAggregate ? "a" : "f"), isStrict: isStrict, variadicType: 0,
            defaultCount: 0,
            allArgumentTypes: [], argumentModes: [], argumentNames: [], extension: name)
    }

    /// `[left] op right returns type [strict]`.
    private func `operator`(_ text: String, extension name: String) throws(DeclarationError) -> BuiltinOperator {
        let expected = "expected 'left op right returns type' (or 'op right returns type'), with 'strict' last"
        let (head, result, returnsSet, isStrict, isAggregate) = try splitResult(text, expected: expected)
        let words = head.split(separator: " ").map(String.init)
        guard !returnsSet, !isAggregate, let index = words.firstIndex(where: Self.isOperatorName),
            index < words.count - 1
        else {
            throw DeclarationError(message: "cannot read operator '\(text)': \(expected)")
        }
        let left = words[..<index].joined(separator: " ")
        let right = words[(index + 1)...].joined(separator: " ")
        return BuiltinOperator(
            name: words[index], left: left.isEmpty ? 0 : try typeOID(left, in: text),
            right: try typeOID(right, in: text), result: try typeOID(result, in: text), extension: name,
            isStrict: isStrict)
    }

    /// The text before ` returns `, the result type after it, and the `setof`, `strict` and
    /// `aggregate` words.
    private func splitResult(_ text: String, expected: String) throws(DeclarationError) -> (
        head: String, result: String, returnsSet: Bool, isStrict: Bool, isAggregate: Bool
    ) {
        let normalized = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard let range = normalized.range(of: " returns ", options: .caseInsensitive) else {
            throw DeclarationError(message: "cannot read '\(text)': \(expected)")
        }
        var words = normalized[range.upperBound...].split(separator: " ").map { String($0) }
        var marks: Set<String> = []
        while let last = words.last?.lowercased(), ["strict", "aggregate"].contains(last) {
            marks.insert(last)
            words.removeLast()
        }
        let returnsSet = words.first?.lowercased() == "setof"
        if returnsSet { words.removeFirst() }
        guard !words.isEmpty else { throw DeclarationError(message: "cannot read '\(text)': \(expected)") }
        return (
            String(normalized[..<range.lowerBound]), words.joined(separator: " "), returnsSet,
            marks.contains("strict"), marks.contains("aggregate")
        )
    }

    /// The OID of a type named in a declaration: a declared type, a core type by its internal or
    /// display name (`int4`, `integer`), or a known extension's type; `[]` makes its array.
    private func typeOID(_ written: String, in text: String) throws(DeclarationError) -> UInt32 {
        var name = written.trimmingCharacters(in: .whitespaces).lowercased()
        var isArray = false
        if name.hasSuffix("[]") {
            isArray = true
            name = String(name.dropLast(2)).trimmingCharacters(in: .whitespaces)
        }
        if let open = name.firstIndex(of: "("), name.hasSuffix(")") {  // numeric(10,2), varchar(20)
            name = name[..<open].trimmingCharacters(in: .whitespaces)
        }
        let aliases = ["int": "int4", "integer": "int4", "float": "float8", "decimal": "numeric", "boolean": "bool"]
        name = aliases[name] ?? name
        let oid =
            declaredType(named: name) ?? coreTypesByName[name] ?? coreTypeByDisplayName(name)
            ?? extensionTypes.values.lazy.compactMap { $0[name] }.first
        guard let oid, let type = typesByOID[oid] else {
            throw DeclarationError(
                message:
                    "type \"\(written.trimmingCharacters(in: .whitespaces))\" in '\(text)' does not exist (declare it under the extension's 'types', or name a built-in type)"
            )
        }
        guard isArray else { return oid }
        guard type.arrayOID != 0 else {
            throw DeclarationError(message: "type \"\(name)\" in '\(text)' has no array type")
        }
        return type.arrayOID
    }

    private func coreTypeByDisplayName(_ name: String) -> UInt32? {
        typesByOID.values.first { $0.extension == nil && $0.displayName == name && $0.category != UInt8(ascii: "A") }?
            .oid
    }

    /// Comma-separated items outside parentheses (`numeric(10,2), text`), trimmed; none for an empty list.
    static func topLevelItems(_ text: String) -> [String] {
        var items: [String] = []
        var depth = 0
        var current = ""
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                items.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty || !items.isEmpty { items.append(last) }
        return items
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || $0 == "$" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
        }
    }

    /// Whether a word is an operator's name: PostgreSQL's operator characters only.
    static func isOperatorName(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { "+-*/<>=~!@#%^&|`?".contains($0) }
    }
}
