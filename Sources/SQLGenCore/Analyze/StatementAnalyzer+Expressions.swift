extension StatementAnalyzer {
    /// What a resolved function call offers beyond its value: the columns of OUT/TABLE results.
    struct ResolvedFunction {
        var outputColumns: [(name: String, type: SQLType)]
        var isAggregate: Bool
    }

    func nonNull(_ oid: UInt32) -> TypedValue { TypedValue(type: types.type(oid), nullable: false) }

    /// The type and nullability of an expression. `expected` types parameters
    /// and untyped literals met directly; `name` names a parameter met directly;
    /// `nullableTarget` marks such a parameter nullable (assignment to a nullable column).
    /// - Parameters:
    ///   - name: the name a parameter here takes from its context (the column it is compared with or assigned to).
    ///   - source: that column, whose overrides a parameter of its type takes.
    func analyzeExpression(
        _ expression: Expression, scope: Scope, expected: SQLType?, name: String? = nil, source: ColumnSource? = nil,
        nullableTarget: Bool = false
    ) throws(ResolutionError) -> TypedValue {
        switch expression {
        case .column(let parts, let location):
            return try lookUpColumn(parts, location: location, scope: scope).value
        case .star(_, let location):
            throw ResolutionError.unsupported("row expansion via \"*\" is not supported here", location: location)
        case .parameter(let number, let location):
            return bindParameter(
                number, location: location, expected: expected, name: name, source: source, nullable: nullableTarget)
        case .constant(let kind, let text, _):
            switch kind {
            case .integer: return nonNull(KnownOID.int4)
            case .float:
                if Int64(text) != nil { return nonNull(KnownOID.int8) }
                return nonNull(KnownOID.numeric)
            case .boolean: return nonNull(KnownOID.bool)
            case .bitString: return nonNull(KnownOID.bit)
            case .string: return TypedValue(type: types.unknownType, nullable: false)
            case .null: return TypedValue(type: types.unknownType, nullable: true)
            }
        case .cast(let inner, let reference, let location):
            guard let type = lookUpType(reference) else {
                throw ResolutionError(
                    message: "type \"\(reference.names.joined(separator: "."))\" does not exist",
                    location: reference.location >= 0 ? reference.location : location)
            }
            let value = try analyzeExpression(
                inner, scope: scope, expected: type, name: name, nullableTarget: nullableTarget)
            return TypedValue(type: type, nullable: value.nullable)
        case .function(let call):
            return try analyzeFunctionCall(call, scope: scope, expected: expected, name: name).0
        case .operation(let kind, let op, let left, let right, let location):
            if kind == .plain, op == "@", left == nil, let number = macroParameters[location] {
                if case .cast(_, let reference, let castLocation)? = right {
                    guard let type = lookUpType(reference) else {
                        throw ResolutionError(
                            message: "type \"\(reference.names.joined(separator: "."))\" does not exist",
                            location: castLocation)
                    }
                    let value = bindParameter(
                        number, location: location, expected: type, name: name, source: source,
                        nullable: nullableTarget)
                    return TypedValue(type: type, nullable: value.nullable)
                }
                return bindParameter(
                    number, location: location, expected: expected, name: name, source: source,
                    nullable: nullableTarget)
            }
            return try analyzeOperation(kind, op, left, right, location: location, scope: scope)
        case .boolean(let booleanOperator, let arguments, _):
            var nullable = false
            let clause = booleanOperator == .and ? "AND" : booleanOperator == .or ? "OR" : "NOT"
            for argument in arguments {
                nullable = try analyzeCondition(argument, scope: scope, clause: clause).nullable || nullable
            }
            return TypedValue(type: types.type(KnownOID.bool), nullable: nullable)
        case .nullTest(let inner, _, _):
            _ = try analyzeExpression(inner, scope: scope, expected: nil)
            return nonNull(KnownOID.bool)
        case .booleanTest(let inner, let test, _):
            _ = try analyzeCondition(inner, scope: scope, clause: test.clause)
            return nonNull(KnownOID.bool)
        case .caseWhen(let caseExpression):
            return try analyzeCase(caseExpression, scope: scope, expected: expected)
        case .coalesce(let arguments, let location):
            // A parameter COALESCE falls back from is one that may be NULL.
            for argument in arguments.dropLast() where isOpenParameter(argument) {
                _ = try analyzeExpression(argument, scope: scope, expected: nil, name: name, nullableTarget: true)
            }
            let values = try analyzeCommon(
                arguments, scope: scope, expected: expected, location: location, what: "COALESCE")
            return TypedValue(type: values.type, nullable: values.values.allSatisfy(\.nullable))
        case .minMax(let greatest, let arguments, let location):
            let values = try analyzeCommon(
                arguments, scope: scope, expected: expected, location: location, what: greatest ? "GREATEST" : "LEAST")
            return TypedValue(type: values.type, nullable: values.values.allSatisfy(\.nullable))
        case .subquery(let kind, let test, let select, let location):
            return try analyzeSubquery(kind, test: test, select: select, location: location, scope: scope)
        case .array(let elements, let location):
            var elementExpected = expected
            elementExpected?.arrayDimensions = max(0, (expected?.arrayDimensions ?? 1) - 1)
            let values = try analyzeCommon(
                elements, scope: scope, expected: elementExpected, location: location, what: "ARRAY")
            var type = values.values.isEmpty ? (expected ?? types.type(KnownOID.textArray)) : values.type
            if !values.values.isEmpty { type.arrayDimensions = max(1, type.arrayDimensions + 1) }
            if case .array? = elements.first { type.arrayDimensions = max(1, values.type.arrayDimensions) }
            return TypedValue(type: type, nullable: false)
        case .row(let arguments, _):
            for argument in arguments { _ = try analyzeExpression(argument, scope: scope, expected: nil) }
            return nonNull(KnownOID.record)
        case .indirection(let base, let steps, let location):
            return try analyzeIndirection(base, steps: steps, location: location, scope: scope)
        case .valueFunction(let kind, _):
            switch kind {
            case .currentDate: return nonNull(KnownOID.date)
            case .currentTime: return nonNull(KnownOID.timetz)
            case .currentTimestamp: return nonNull(KnownOID.timestamptz)
            case .localTime: return nonNull(KnownOID.time)
            case .localTimestamp: return nonNull(KnownOID.timestamp)
            case .currentSchema: return TypedValue(type: types.type(KnownOID.name), nullable: true)
            default: return nonNull(KnownOID.name)
            }
        case .collate(let inner, _):
            return try analyzeExpression(inner, scope: scope, expected: expected, name: name)
        case .namedArgument(_, let inner, _):
            return try analyzeExpression(inner, scope: scope, expected: expected, name: name)
        case .list(let items, _):
            var nullable = false
            for item in items {
                nullable = try analyzeExpression(item, scope: scope, expected: expected).nullable || nullable
            }
            return TypedValue(type: expected ?? types.unknownType, nullable: nullable)
        case .setToDefault:
            return TypedValue(type: expected ?? types.unknownType, nullable: nullableTarget)
        case .grouping(let arguments, _):
            // Its arguments are checked against the query's GROUP BY keys with the ungrouped columns.
            for argument in arguments { _ = try analyzeExpression(argument, scope: scope, expected: nil) }
            return nonNull(KnownOID.int4)
        case .groupingSet(_, _, let location):
            // The grammar puts grouping sets in GROUP BY only, where they are taken apart.
            throw ResolutionError.unsupported("sqlgen does not support grouping sets here", location: location)
        case .other(let kind, let location):
            throw ResolutionError.unsupported("sqlgen does not support \(kind) expressions yet", location: location)
        }
    }

    /// Records what a parameter's context says about it and returns its value.
    func bindParameter(
        _ number: Int, location: Int, expected: SQLType?, name: String?, source: ColumnSource? = nil, nullable: Bool
    ) -> TypedValue {
        var slot = parameters[number] ?? ParameterSlot(location: location)
        // `"any"` (VARIADIC "any" of concat, format, jsonb_build_object) says nothing about the type.
        if slot.type == nil, let expected, types.key(expected) != .builtin(KnownOID.unknown),
            types.key(expected) != .builtin(KnownOID.any)
        {
            slot.type = expected.withoutModifiers
        }
        if slot.contextName == nil { slot.contextName = name }
        if slot.source == nil { slot.source = source }
        slot.nullable = slot.nullable || nullable
        parameters[number] = slot
        return TypedValue(type: slot.type ?? types.unknownType, nullable: slot.nullable)
    }

    /// Whether an expression is a parameter (or macro) whose type is still open.
    func isOpenParameter(_ expression: Expression?) -> Bool {
        switch expression {
        case .parameter(let number, _)?: return parameters[number]?.type == nil
        case .operation(.plain, "@", nil, .column?, let location)?:
            return macroParameters[location].map { parameters[$0]?.type == nil } ?? false
        case .function(let call)? where call.name.first == "sqlc":
            return macroParameters[call.location].map { parameters[$0]?.type == nil } ?? false
        default: return false
        }
    }

    /// The table column a parameter compared with this expression is tied to, when it is a column.
    func contextSource(_ expression: Expression?, scope: Scope) -> ColumnSource? {
        switch expression {
        case .column(let parts, let location)?:
            // Resolved again, for its source only: analysing the expression reports any error.
            do { return try lookUpColumn(parts, location: location, scope: scope).source } catch { return nil }
        case .cast(let inner, _, _)?: return contextSource(inner, scope: scope)
        default: return nil
        }
    }

    /// The name a parameter compared with or assigned from this expression should take.
    func contextName(_ expression: Expression?) -> String? {
        switch expression {
        case .column(let parts, _)?: return parts.last
        case .cast(let inner, _, _)?: return contextName(inner)
        default: return nil
        }
    }

    func analyzeCommon(
        _ expressions: [Expression], scope: Scope, expected: SQLType?, location: Int, what: String
    ) throws(ResolutionError) -> (type: SQLType, values: [TypedValue]) {
        var values: [TypedValue?] = Array(repeating: nil, count: expressions.count)
        for (index, expression) in expressions.enumerated() where !isOpenParameter(expression) {
            values[index] = try analyzeExpression(expression, scope: scope, expected: expected)
        }
        let known = values.compactMap { $0 }.map(\.type)
        let common = known.isEmpty ? (expected ?? types.type(KnownOID.text)) : types.commonType(known)
        guard let common else {
            let names = known.map(\.formatted)
            throw ResolutionError(
                message: "\(what) types \(names.first ?? "") and \(names.dropFirst().first ?? "") cannot be matched",
                location: location)
        }
        for (index, expression) in expressions.enumerated() where values[index] == nil {
            values[index] = try analyzeExpression(expression, scope: scope, expected: common)
        }
        let resolved = values.compactMap { $0 }
        let allUnknown = resolved.allSatisfy { types.key($0.type) == .builtin(KnownOID.unknown) }
        return (allUnknown ? (expected ?? types.type(KnownOID.text)) : common, resolved)
    }

    func analyzeCase(_ caseExpression: CaseExpression, scope: Scope, expected: SQLType?) throws(ResolutionError)
        -> TypedValue
    {
        var argumentType: SQLType?
        if let argument = caseExpression.argument {
            argumentType = try analyzeExpression(argument, scope: scope, expected: nil).type
        }
        for branch in caseExpression.branches {
            if let argumentType {
                _ = try analyzeExpression(branch.condition, scope: scope, expected: argumentType)
            } else {
                _ = try analyzeCondition(branch.condition, scope: scope, clause: "CASE/WHEN")
            }
        }
        // PostgreSQL resolves the ELSE result first, then the THEN results (`transformCaseExpr`): with
        // types that coerce both ways, the first is kept, so the order decides.
        var results = caseExpression.branches.map(\.result)
        if let elseResult = caseExpression.elseResult { results.insert(elseResult, at: 0) }
        let common = try analyzeCommon(
            results, scope: scope, expected: expected, location: caseExpression.location, what: "CASE")
        let nullable = caseExpression.elseResult == nil || common.values.contains(where: \.nullable)
        return TypedValue(type: common.type, nullable: nullable)
    }

    func analyzeSubquery(
        _ kind: SubqueryKind, test: Expression?, select: SelectStatement, location: Int, scope: Scope
    ) throws(ResolutionError) -> TypedValue {
        let columns = try analyzeSelect(select, outer: scope)
        switch kind {
        case .exists:
            return nonNull(KnownOID.bool)
        case .scalar:
            guard columns.count == 1, let column = columns.first else {
                throw ResolutionError(message: "subquery must return only one column", location: location)
            }
            // NULL when it finds no row; one that always returns exactly one row (an aggregate without
            // GROUP BY) is as NULL-able as its column.
            let exactlyOne = SingleRowProof(types: types, catalog: catalog).returnsExactlyOneRow(.select(select))
            return TypedValue(type: column.type, nullable: !exactlyOne || column.nullable)
        case .array:
            guard columns.count == 1, var type = columns.first?.type else {
                throw ResolutionError(message: "subquery must return only one column", location: location)
            }
            type.arrayDimensions += 1
            return TypedValue(type: type, nullable: false)
        case .any, .all:
            var nullable = columns.contains(where: \.nullable)
            if let test {
                let value = try analyzeExpression(
                    test, scope: scope, expected: columns.first?.type, name: columns.first?.name)
                nullable = nullable || value.nullable
            }
            return TypedValue(type: types.type(KnownOID.bool), nullable: nullable)
        case .other:
            if let test { _ = try analyzeExpression(test, scope: scope, expected: nil) }
            return TypedValue(type: types.type(KnownOID.bool), nullable: true)
        }
    }

    func analyzeIndirection(
        _ base: Expression, steps: [IndirectionStep], location: Int, scope: Scope
    ) throws(ResolutionError) -> TypedValue {
        var value = try analyzeExpression(base, scope: scope, expected: nil)
        for step in steps {
            switch step {
            case .index(let index):
                if let index { _ = try analyzeExpression(index, scope: scope, expected: types.type(KnownOID.int4)) }
                let base = types.baseType(value.type)
                if base.isArray {
                    value = TypedValue(type: base.element, nullable: true)
                } else if base.builtinOID == KnownOID.jsonb {
                    value = TypedValue(type: base, nullable: true)
                } else {
                    throw ResolutionError(
                        message:
                            "cannot subscript type \(value.type.formatted) because it does not support subscripting",
                        location: location)
                }
            case .slice(let lower, let upper):
                for bound in [lower, upper].compactMap({ $0 }) {
                    _ = try analyzeExpression(bound, scope: scope, expected: types.type(KnownOID.int4))
                }
                value.nullable = true
            case .field(let field):
                guard let table = compositeTable(types.baseType(value.type)), let column = table.column(named: field)
                else {
                    throw ResolutionError(
                        message: "column \"\(field)\" not found in data type \(value.type.formatted)",
                        location: location)
                }
                value = TypedValue(type: column.type, nullable: true)
            case .star:
                throw ResolutionError.unsupported("row expansion via \"*\" is not supported here", location: location)
            }
        }
        return value
    }
}
