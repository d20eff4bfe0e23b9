/// PostgreSQL's type rules over the catalog: the OIDs behind types, implicit
/// casts, categories, common types, and function and operator resolution
/// (after the server's `func_select_candidate` and `select_common_type`).
struct TypeSystem {
    let catalog: Catalog
    var builtins: BuiltinCatalog { catalog.builtins }

    // MARK: - Types and keys

    /// The SQL type of a core or extension type OID (arrays as element plus a dimension).
    func sqlType(oid: UInt32) -> SQLType? {
        guard let type = builtins.typesByOID[oid] else { return nil }
        if type.category == UInt8(ascii: "A"), let element = builtins.typesByOID[type.elementOID] {
            var sql = SQLType(name: element.name, displayName: element.displayName, builtinOID: element.oid)
            sql.arrayDimensions = 1
            return sql
        }
        return SQLType(name: type.name, displayName: type.displayName, builtinOID: type.oid)
    }

    /// `unknown`, the type of untyped literals and not-yet-typed parameters.
    var unknownType: SQLType { sqlType(oid: KnownOID.unknown) ?? SQLType(name: "unknown", displayName: "unknown") }

    func type(_ oid: UInt32) -> SQLType { sqlType(oid: oid) ?? unknownType }

    /// The user type behind an SQL type, if it is one.
    func userType(_ type: SQLType) -> UserType? {
        guard let schema = type.schema else { return nil }
        return catalog.schemas[schema]?.types[type.name]
    }

    /// The type with domains replaced by their base types (arrays of domains keep their dimensions).
    func baseType(_ type: SQLType) -> SQLType {
        guard let user = userType(type), case .domain(let base, _) = user.kind else { return type }
        var resolved = baseType(base)
        resolved.arrayDimensions += type.arrayDimensions
        return resolved
    }

    /// The key type resolution uses for a type.
    func key(_ type: SQLType) -> TypeKey {
        let base = baseType(type)
        if let oid = base.builtinOID {
            if base.isArray { return .builtin(builtins.typesByOID[oid]?.arrayOID ?? KnownOID.anyarray) }
            return .builtin(oid)
        }
        if let user = userType(base) {
            if case .enumeration = user.kind { return .userEnum(base) }
            return base.isArray ? .builtin(KnownOID.anyarray) : .composite(base)
        }
        if base.schema != nil {  // a table's row type
            return base.isArray ? .builtin(KnownOID.anyarray) : .composite(base)
        }
        return .builtin(KnownOID.unknown)
    }

    func category(_ key: TypeKey) -> UInt8 {
        switch key {
        case .builtin(let oid): builtins.typesByOID[oid]?.category ?? UInt8(ascii: "X")
        case .userEnum(let type): type.isArray ? UInt8(ascii: "A") : UInt8(ascii: "E")
        case .composite: UInt8(ascii: "C")
        }
    }

    func isArray(_ key: TypeKey) -> Bool { category(key) == UInt8(ascii: "A") }

    func isPreferred(_ oid: UInt32) -> Bool { builtins.typesByOID[oid]?.isPreferred ?? false }

    // MARK: - Coercion

    /// Whether a value of `source` can be used where `target` is declared without an explicit cast.
    func canCoerceImplicitly(_ source: TypeKey, to target: UInt32) -> Bool {
        if source.isUnknown { return true }
        if case .builtin(let oid) = source, oid == target { return true }
        switch target {
        case KnownOID.any: return true
        case KnownOID.anyelement, KnownOID.anycompatible: return true
        case KnownOID.anynonarray, KnownOID.anycompatiblenonarray: return !isArray(source)
        case KnownOID.anyarray, KnownOID.anycompatiblearray: return isArray(source)
        case KnownOID.anyenum:
            if case .userEnum(let type) = source { return !type.isArray }
            return false
        case KnownOID.anyrange, KnownOID.anycompatiblerange: return category(source) == UInt8(ascii: "R")
        case KnownOID.anymultirange, KnownOID.anycompatiblemultirange: return category(source) == UInt8(ascii: "R")
        case KnownOID.record:
            if case .composite = source { return true }
            return source == .builtin(KnownOID.record)
        default: break
        }
        guard case .builtin(let oid) = source else { return false }
        if let cast = builtins.casts[BuiltinCatalog.CastKey(source: oid, target: target)] {
            return cast.context == UInt8(ascii: "i")
        }
        // An array coerces to another array type when its elements do (`ARRAY[0.5]` where `float8[]` is declared).
        if let from = builtins.typesByOID[oid], let to = builtins.typesByOID[target],
            from.category == UInt8(ascii: "A"),
            to.category == UInt8(ascii: "A"), from.elementOID != 0, to.elementOID != 0
        {
            return canCoerceImplicitly(.builtin(from.elementOID), to: to.elementOID)
        }
        return false
    }

    /// Whether `source` can be assigned to a column of `target` (implicit or assignment casts).
    func canAssign(_ source: TypeKey, to target: TypeKey) -> Bool {
        if source == target || source.isUnknown { return true }
        guard case .builtin(let from) = source, case .builtin(let to) = target else {
            return false
        }
        if let cast = builtins.casts[BuiltinCatalog.CastKey(source: from, target: to)] {
            return cast.context != UInt8(ascii: "e")
        }
        return false
    }

    // MARK: - Common type (UNION, CASE, COALESCE, ARRAY[], VALUES)

    /// The type PostgreSQL resolves a set of types to; `unknown` inputs are ignored and all-unknown gives text.
    func commonType(_ types: [SQLType]) -> SQLType? {
        let known = types.filter { key($0) != .builtin(KnownOID.unknown) }
        guard var chosen = known.first else { return type(KnownOID.text) }
        var chosenKey = key(chosen)
        for candidate in known.dropFirst() {
            let candidateKey = key(candidate)
            if candidateKey == chosenKey { continue }
            if category(candidateKey) != category(chosenKey) { return nil }
            guard case .builtin(let chosenOID) = chosenKey, case .builtin(let candidateOID) = candidateKey else {
                return nil
            }
            // As `select_common_type`: the later type only when the chosen one coerces to it implicitly
            // and not back, and never away from a preferred type (`coalesce(varchar, text)` is varchar).
            if !isPreferred(chosenOID), canCoerceImplicitly(chosenKey, to: candidateOID),
                !canCoerceImplicitly(candidateKey, to: chosenOID)
            {
                chosen = baseType(candidate).withoutModifiers
                chosenKey = candidateKey
            } else if !canCoerceImplicitly(candidateKey, to: chosenOID) {
                return nil
            }
        }
        // Domains become their base type when mixed with others.
        if Set(known.map { $0.withoutModifiers }).count > 1 { return baseType(chosen).withoutModifiers }
        return chosen
    }

    // MARK: - Functions and operators

    /// A candidate signature: declared input types and return type, with its function when there is one.
    struct Signature {
        var inputs: [UInt32]
        var result: UInt32
        var returnsSet: Bool
        var function: BuiltinFunction?
        var isStrict: Bool
        /// A user-defined function, resolved against the catalog.
        var userFunction: Function?
        var userInputs: [SQLType] = []
    }

    /// Binary operators' signatures by name, built once from the built-in catalog.
    static let binaryOperatorSignatures: [String: [Signature]] = operatorSignatures(prefix: false)
    /// Prefix operators' signatures by name.
    static let prefixOperatorSignatures: [String: [Signature]] = operatorSignatures(prefix: true)

    private static func operatorSignatures(prefix: Bool) -> [String: [Signature]] {
        BuiltinCatalog.shared.operatorsByName.mapValues { signatures($0, prefix: prefix) }
    }

    private static func signatures(_ operators: [BuiltinOperator], prefix: Bool) -> [Signature] {
        operators.filter { ($0.left == 0) == prefix }.map { candidate in
            Signature(
                inputs: prefix ? [candidate.right] : [candidate.left, candidate.right], result: candidate.result,
                returnsSet: false, function: nil, isStrict: candidate.isStrict)
        }
    }

    /// The candidate signatures of a prefix or binary operator: the built-in ones and the declared ones.
    func operatorSignatures(_ name: String, prefix: Bool) -> [Signature] {
        let builtin = (prefix ? Self.prefixOperatorSignatures : Self.binaryOperatorSignatures)[name] ?? []
        guard let declared = builtins.declaredOperatorsByName[name] else { return builtin }
        return builtin + Self.signatures(declared, prefix: prefix)
    }

    /// Picks the best signature for the argument types, as PostgreSQL does; nil when none or ambiguous.
    func bestCandidate(_ candidates: [Signature], arguments: [TypeKey]) -> Signature? {
        var viable = candidates.filter { candidate in
            candidate.inputs.count == arguments.count
                && zip(arguments, candidate.inputs).allSatisfy { canCoerceImplicitly($0, to: $1) }
        }
        if viable.count <= 1 { return viable.first }
        // An exact match on every known argument wins outright.
        func exactCount(_ candidate: Signature) -> Int {
            zip(arguments, candidate.inputs).filter { $0.oid == $1 }.count
        }
        let bestExact = viable.map(exactCount).max() ?? 0
        viable = viable.filter { exactCount($0) == bestExact }
        if viable.count == 1 { return viable[0] }
        // Then those taking, at the most known positions, the argument's type or a preferred type of
        // its category.
        func preferredCount(_ candidate: Signature) -> Int {
            zip(arguments, candidate.inputs).filter { argument, input in
                !argument.isUnknown
                    && (argument.oid == input
                        || (isPreferred(input) && category(.builtin(input)) == category(argument)))
            }.count
        }
        let bestPreferred = viable.map(preferredCount).max() ?? 0
        viable = viable.filter { preferredCount($0) == bestPreferred }
        if viable.count == 1 { return viable[0] }
        let unknownPositions = arguments.indices.filter { arguments[$0].isUnknown }
        guard !unknownPositions.isEmpty else {
            // No clue left but the result: accept ties that return the same type.
            if let first = viable.first, viable.allSatisfy({ $0.result == first.result }) { return first }
            return nil
        }
        // At each unknown position, the string category if a candidate takes it, else the one category
        // all take (a conflict leaves the choice to the last step), and a preferred type of it if any.
        var slots: [(position: Int, category: UInt8, preferred: Bool)] = []
        for position in unknownPositions {
            let categories = Set(viable.map { category(.builtin($0.inputs[position])) })
            let chosen: UInt8
            if categories.contains(UInt8(ascii: "S")) {
                chosen = UInt8(ascii: "S")
            } else if categories.count == 1, let only = categories.first {
                chosen = only
            } else {
                slots = []
                break
            }
            let preferred = viable.contains {
                category(.builtin($0.inputs[position])) == chosen && isPreferred($0.inputs[position])
            }
            slots.append((position, chosen, preferred))
        }
        if slots.count == unknownPositions.count {
            let kept = viable.filter { candidate in
                slots.allSatisfy { slot in
                    let input = candidate.inputs[slot.position]
                    return category(.builtin(input)) == slot.category && (!slot.preferred || isPreferred(input))
                }
            }
            if !kept.isEmpty { viable = kept }
            if viable.count == 1 { return viable[0] }
        }
        // Last: when the known arguments all have one type, the unknown ones are taken to have it too.
        let knownTypes = Set(arguments.filter { !$0.isUnknown })
        if knownTypes.count == 1, let only = knownTypes.first {
            let matches = viable.filter { candidate in
                unknownPositions.allSatisfy { canCoerceImplicitly(only, to: candidate.inputs[$0]) }
            }
            if matches.count == 1 { return matches[0] }
        }
        return nil
    }

    /// Whether more than one candidate accepts the arguments, so that a failed choice is ambiguity
    /// ("is not unique") rather than absence.
    func isAmbiguous(_ candidates: [Signature], arguments: [TypeKey]) -> Bool {
        candidates.filter { candidate in
            candidate.inputs.count == arguments.count
                && zip(arguments, candidate.inputs).allSatisfy { canCoerceImplicitly($0, to: $1) }
        }.count > 1
    }

    /// The concrete type a polymorphic declared type stands for in a call.
    func resolvePolymorphic(
        _ declared: UInt32, inputs: [UInt32], arguments: [SQLType]
    ) -> SQLType {
        let isElement = KnownOID.polymorphicElement.contains(declared)
        let isArrayResult = KnownOID.polymorphicArray.contains(declared)
        let isRange = KnownOID.polymorphicRange.contains(declared)
        guard isElement || isArrayResult || isRange else { return type(declared) }
        var element: SQLType?
        var range: SQLType?
        for (input, argument) in zip(inputs, arguments) where key(argument) != .builtin(KnownOID.unknown) {
            let base = baseType(argument)
            if KnownOID.polymorphicElement.contains(input), element == nil {
                element = base.withoutModifiers
            } else if KnownOID.polymorphicArray.contains(input), element == nil, base.isArray {
                element = base.element.withoutModifiers
            } else if KnownOID.polymorphicRange.contains(input), range == nil {
                range = base.withoutModifiers
            }
        }
        if isRange { return range ?? unknownType }
        let resolvedElement = element ?? type(KnownOID.text)
        if isArrayResult {
            var array = resolvedElement
            array.arrayDimensions = 1
            return array
        }
        return resolvedElement
    }

    /// Whether a call leaves its `anyelement` family without a type: it has inputs of that family
    /// (not `anycompatible`, which falls back to text) and every argument given for them is untyped,
    /// PostgreSQL's "could not determine polymorphic type because input has type unknown".
    func leavesPolymorphicUnknown(inputs: [UInt32], arguments: [SQLType]) -> Bool {
        let family = zip(inputs, arguments).filter { KnownOID.polymorphicFamily.contains($0.0) }
        return !family.isEmpty && family.allSatisfy { key($0.1) == .builtin(KnownOID.unknown) }
    }

    /// Whether a declared input type is polymorphic.
    func isPolymorphic(_ oid: UInt32) -> Bool {
        KnownOID.polymorphicElement.contains(oid) || KnownOID.polymorphicArray.contains(oid)
            || KnownOID.polymorphicRange.contains(oid) || oid == KnownOID.any
    }

    /// Built-in functions named `name` whose inputs the call's arguments can fill: by position with
    /// defaults and VARIADIC expanded, or, with named arguments, by name (no VARIADIC expansion then).
    /// Each signature's inputs are in the order of the call's arguments.
    func builtinSignatures(named name: String, arguments: CallArguments, variadicCall: Bool) -> [Signature] {
        let count = arguments.names.count
        var signatures: [Signature] = []
        for function in builtins.functionsByName[name] ?? [] where function.kind != UInt8(ascii: "p") {
            var inputs = function.argumentTypes
            if arguments.hasNames {
                let required = inputs.count - function.defaultCount
                guard
                    let positions = arguments.inputPositions(
                        inputNames: Self.inputNames(of: function), required: required),
                    variadicCall || function.variadicType == 0 || !positions.contains(inputs.count - 1)
                else { continue }
                signatures.append(
                    Signature(
                        inputs: positions.map { inputs[$0] }, result: function.returnType,
                        returnsSet: function.returnsSet, function: function, isStrict: function.isStrict))
                continue
            }
            if inputs.count > count, inputs.count - function.defaultCount <= count {
                inputs = Array(inputs.prefix(count))
            }
            if function.variadicType != 0, !variadicCall, inputs.count <= count + 1 {
                // Expand VARIADIC: the last array parameter takes any number of elements.
                let element = function.variadicType == KnownOID.any ? KnownOID.any : function.variadicType
                let fixed = Array(inputs.dropLast())
                if count >= fixed.count {
                    signatures.append(
                        Signature(
                            inputs: fixed + Array(repeating: element, count: count - fixed.count),
                            result: function.returnType, returnsSet: function.returnsSet, function: function,
                            isStrict: function.isStrict))
                }
                continue
            }
            guard inputs.count == count else { continue }
            signatures.append(
                Signature(
                    inputs: inputs, result: function.returnType, returnsSet: function.returnsSet, function: function,
                    isStrict: function.isStrict))
        }
        return signatures
    }

    /// The names of a built-in function's inputs (nil for an unnamed one), in input order.
    static func inputNames(of function: BuiltinFunction) -> [String?] {
        let names = function.argumentNames.map { $0 == "?" || $0.isEmpty ? nil : $0 }
        guard !function.argumentModes.isEmpty else {
            return names.count == function.argumentTypes.count
                ? names : Array(repeating: nil, count: function.argumentTypes.count)
        }
        return zip(function.argumentModes, names).compactMap { mode, name -> String?? in
            mode == UInt8(ascii: "i") || mode == UInt8(ascii: "b") || mode == UInt8(ascii: "v") ? .some(name) : nil
        }
    }
}
