extension StatementAnalyzer {
    /// Strict functions that still return NULL for some non-NULL inputs, beyond those the catalog's
    /// generator found by calling them (``BuiltinCatalog/nullForNonNullArguments``): lookups whose
    /// NULL needs a value the probe does not try (a missing JSON path, a setting, a relation name).
    static let mayReturnNull: Set<String> = [
        "json_extract_path", "json_extract_path_text", "jsonb_extract_path", "jsonb_extract_path_text",
        "json_object_field", "json_object_field_text", "jsonb_object_field", "jsonb_object_field_text",
        "json_array_element", "json_array_element_text", "jsonb_array_element", "jsonb_array_element_text",
        "jsonb_path_query_first", "jsonb_path_query_first_tz", "regexp_match", "array_position", "array_lower",
        "array_upper", "array_length", "array_ndims", "array_dims", "current_setting", "to_regclass", "to_regtype",
        "to_regproc", "to_regprocedure", "to_regoper", "to_regnamespace", "to_regrole", "unnest",
        "jsonb_path_query", "json_populate_record", "jsonb_populate_record", "pg_get_expr", "inet_client_addr",
        "inet_server_addr", "inet_client_port", "inet_server_port",
    ]

    /// Non-strict functions that never return NULL.
    static let neverNull: Set<String> = [
        "concat", "concat_ws", "format", "now", "transaction_timestamp", "statement_timestamp", "clock_timestamp",
        "timeofday", "gen_random_uuid", "uuid_generate_v4", "random", "num_nulls", "num_nonnulls", "txid_current",
        "pg_backend_pid", "version", "current_database", "jsonb_build_object", "json_build_object",
        "jsonb_build_array", "json_build_array", "array_append", "array_prepend", "array_cat", "to_jsonb", "to_json",
        "row_to_json", "jsonb_strip_nulls",
    ]

    /// Aggregates whose result is not NULL for a non-empty group of non-NULL values.
    static let nonNullOverNonNullGroup: Set<String> = [
        "sum", "min", "max", "avg", "array_agg", "string_agg", "bool_and", "bool_or", "every", "bit_and", "bit_or",
        "bit_xor", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "xmlagg",
    ]

    /// Window functions that never return NULL.
    static let nonNullWindowFunctions: Set<String> = [
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "count",
    ]

    /// Operators that can give NULL for non-NULL operands.
    static let nullableOperators: Set<String> = ["->", "->>", "#>", "#>>"]

    func analyzeOperation(
        _ kind: OperatorKind, _ op: String, _ left: Expression?, _ right: Expression?, location: Int, scope: Scope
    ) throws(ResolutionError) -> TypedValue {
        switch kind {
        case .plain, .distinctFrom, .notDistinctFrom, .nullIf:
            if case .row(let leftItems, _)? = left, case .row(let rightItems, _)? = right,
                leftItems.count == rightItems.count
            {
                // Row comparisons compare column by column.
                var nullable = false
                for (leftItem, rightItem) in zip(leftItems, rightItems) {
                    nullable =
                        try analyzeOperation(kind, op, leftItem, rightItem, location: location, scope: scope).nullable
                        || nullable
                }
                return TypedValue(type: types.type(KnownOID.bool), nullable: nullable && kind == .plain)
            }
            // Operands are typed first; open parameters then take the operator's declared operand types.
            var leftValue: TypedValue?
            var rightValue: TypedValue?
            if let left {
                leftValue = try analyzeExpression(
                    left, scope: scope, expected: nil, name: contextName(right),
                    source: contextSource(right, scope: scope))
            }
            if let right {
                rightValue = try analyzeExpression(
                    right, scope: scope, expected: nil, name: contextName(left),
                    source: contextSource(left, scope: scope))
            }
            guard let rightValue else { return TypedValue(type: types.unknownType, nullable: true) }
            if kind == .nullIf {
                // NULLIF(a, b) compares with `=`: a parameter on either side takes the other side's type,
                // and the result has the first argument's.
                let leftOpen = isOpenParameter(left)
                if let left, leftOpen, !isOpenParameter(right) { try coerceParameter(left, to: rightValue.type) }
                if let right, isOpenParameter(right), !leftOpen, let leftType = leftValue?.type {
                    try coerceParameter(right, to: leftType)
                }
                return TypedValue(type: leftOpen ? rightValue.type : leftValue?.type ?? rightValue.type, nullable: true)
            }
            let (result, chosen) = try resolveOperatorSignature(
                op, left: leftValue, right: rightValue, leftExpression: left, rightExpression: right, location: location
            )
            if kind == .distinctFrom || kind == .notDistinctFrom { return nonNull(KnownOID.bool) }
            let nullable =
                (leftValue?.nullable ?? false) || rightValue.nullable || Self.nullableOperators.contains(op)
                || chosen?.isStrict == false
            return TypedValue(type: result, nullable: nullable)
        case .any, .all:
            guard let left, let right else { return nonNull(KnownOID.bool) }
            let leftValue = try analyzeExpression(left, scope: scope, expected: nil)
            var rightValue = try analyzeExpression(right, scope: scope, expected: nil, name: contextName(left))
            let rightOpen = isOpenParameter(right)
            let array = types.baseType(rightValue.type)
            guard array.isArray || types.key(array) == .builtin(KnownOID.unknown) else {
                throw ResolutionError(message: "op ANY/ALL (array) requires array on right side", location: location)
            }
            // The operator is chosen for (left, element); an open array parameter is an array of its right operand.
            let element = TypedValue(type: array.isArray ? array.element : types.unknownType, nullable: true)
            let (_, chosen) = try resolveOperatorSignature(
                op, left: leftValue, right: element, leftExpression: left, rightExpression: nil, location: location)
            if rightOpen, let chosen, let declared = chosen.inputs.last {
                var type =
                    types.isPolymorphic(declared)
                    ? types.resolvePolymorphic(
                        declared, inputs: chosen.inputs, arguments: [leftValue.type, leftValue.type])
                    : types.type(declared)
                type.arrayDimensions = 1
                bindOpenParameter(right, type: type)
                rightValue.type = type
            }
            return TypedValue(type: types.type(KnownOID.bool), nullable: leftValue.nullable || rightValue.nullable)
        case .inList:
            guard let left, case .list(let items, _)? = right else { return nonNull(KnownOID.bool) }
            var nullable = false
            var leftValue: TypedValue?
            if !isOpenParameter(left) { leftValue = try analyzeExpression(left, scope: scope, expected: nil) }
            let common = try analyzeCommon(
                items, scope: scope, expected: leftValue?.type, location: location, what: "IN")
            if leftValue == nil { leftValue = try analyzeExpression(left, scope: scope, expected: common.type) }
            for (item, value) in zip(items, common.values) {
                nullable = nullable || value.nullable
                if case .parameter(let number, _) = item, parameters[number]?.contextName == nil {
                    parameters[number]?.contextName = contextName(left)
                }
            }
            return TypedValue(type: types.type(KnownOID.bool), nullable: nullable || (leftValue?.nullable ?? false))
        case .like, .ilike, .similar:
            guard let left, let right else { return nonNull(KnownOID.bool) }
            let leftValue = try analyzeExpression(left, scope: scope, expected: types.type(KnownOID.text))
            let isBytea = types.baseType(leftValue.type).builtinOID == KnownOID.bytea
            var pattern = right
            if case .function(let call) = right, call.name == ["pg_catalog", "similar_to_escape"],
                let first = call.arguments.first
            {
                pattern = first
            }
            let rightValue = try analyzeExpression(
                pattern, scope: scope, expected: types.type(isBytea ? KnownOID.bytea : KnownOID.text),
                name: contextName(left))
            return TypedValue(type: types.type(KnownOID.bool), nullable: leftValue.nullable || rightValue.nullable)
        case .between, .notBetween, .betweenSymmetric, .notBetweenSymmetric:
            guard let left, case .list(let bounds, _)? = right else { return nonNull(KnownOID.bool) }
            let leftValue = try analyzeExpression(left, scope: scope, expected: nil)
            var nullable = leftValue.nullable
            for bound in bounds {
                // `x BETWEEN a AND b` is `x >= a AND x <= b`.
                let value = try analyzeExpression(bound, scope: scope, expected: nil, name: contextName(left))
                _ = try resolveOperator(
                    ">=", left: leftValue, right: value, leftExpression: left, rightExpression: bound,
                    location: location)
                nullable = nullable || value.nullable
            }
            return TypedValue(type: types.type(KnownOID.bool), nullable: nullable)
        }
    }

    /// Resolves a binary or prefix operator and returns its result type.
    func resolveOperator(
        _ op: String, left: TypedValue?, right: TypedValue, leftExpression: Expression?, rightExpression: Expression?,
        location: Int
    ) throws(ResolutionError) -> SQLType {
        try resolveOperatorSignature(
            op, left: left, right: right, leftExpression: leftExpression, rightExpression: rightExpression,
            location: location
        ).0
    }

    /// Resolves an operator; returns its result type and the chosen signature.
    func resolveOperatorSignature(
        _ op: String, left: TypedValue?, right: TypedValue, leftExpression: Expression?, rightExpression: Expression?,
        location: Int
    ) throws(ResolutionError) -> (SQLType, TypeSystem.Signature?) {
        var leftKey = left.map { types.key($0.type) }
        var rightKey = types.key(right.type)
        // PostgreSQL: an unknown operand of a binary operator is first assumed to have the other's type.
        if let known = leftKey, rightKey.isUnknown, !known.isUnknown { rightKey = known }
        if let known = leftKey, known.isUnknown, !rightKey.isUnknown { leftKey = rightKey }
        let signatures = types.operatorSignatures(op, prefix: left == nil)
        let arguments = left == nil ? [rightKey] : [leftKey ?? rightKey, rightKey]
        var chosen = types.bestCandidate(signatures, arguments: arguments)
        if chosen == nil {
            // Retry with the operands as written (the unknown one left open).
            let original =
                left == nil ? [types.key(right.type)] : [types.key(left?.type ?? right.type), types.key(right.type)]
            chosen = types.bestCandidate(signatures, arguments: original)
        }
        guard let chosen else {
            let description =
                left.map { "\(describe($0.type)) \(op) \(describe(right.type))" } ?? "\(op) \(describe(right.type))"
            throw ResolutionError(message: "operator does not exist: \(description)", location: location)
        }
        // Open parameters take the operator's declared operand types.
        let operandTypes = left == nil ? [right.type] : [left?.type ?? right.type, right.type]
        let expressions = left == nil ? [rightExpression] : [leftExpression, rightExpression]
        for (index, expression) in expressions.enumerated() where isOpenParameter(expression) {
            let declared = chosen.inputs[index]
            let type =
                types.isPolymorphic(declared)
                ? types.resolvePolymorphic(declared, inputs: chosen.inputs, arguments: operandTypes)
                : types.type(declared)
            bindOpenParameter(expression, type: type)
        }
        return (types.resolvePolymorphic(chosen.result, inputs: chosen.inputs, arguments: operandTypes), chosen)
    }

    /// Gives an open parameter (plain or macro) a type.
    func bindOpenParameter(_ expression: Expression?, type: SQLType) {
        var number: Int?
        switch expression {
        case .parameter(let value, _)?: number = value
        case .operation(_, _, _, _, let location)?: number = macroParameters[location]
        case .function(let call)?: number = macroParameters[call.location]
        default: break
        }
        guard let number, parameters[number]?.type == nil, types.key(type) != .builtin(KnownOID.unknown) else { return }
        parameters[number]?.type = type.withoutModifiers
    }

    func describe(_ type: SQLType) -> String { type.formatted }

    func analyzeFunctionCall(
        _ call: FunctionCall, scope: Scope, expected: SQLType?, name: String? = nil
    ) throws(ResolutionError) -> (TypedValue, ResolvedFunction?) {
        if call.name.count == 2, call.name[0] == "sqlc" {
            guard let number = macroParameters[call.location] else {
                throw ResolutionError(message: "sqlc.\(call.name[1]) takes one name", location: call.location)
            }
            let macro = call.name[1]
            var expectedType = expected
            if macro == "slice", var element = expected, !element.isArray {
                element.arrayDimensions = 1
                expectedType = element
            }
            return (
                bindParameter(
                    number, location: call.location, expected: expectedType, name: name, nullable: macro == "narg"), nil
            )
        }
        let functionName = call.name.last ?? ""
        let schema = call.name.count >= 2 ? call.name[call.name.count - 2] : nil
        if !call.withinGroup {
            for expression in call.orderBy { _ = try analyzeExpression(expression, scope: scope, expected: nil) }
        }
        for expression in call.windowExpressions { _ = try analyzeExpression(expression, scope: scope, expected: nil) }
        if let filter = call.filter {
            _ = try analyzeCondition(filter, scope: scope, clause: "FILTER")
        }
        if call.star {
            guard functionName == "count" else {
                throw ResolutionError(
                    message: "\(functionName)(*) specified, but \(functionName) is not an aggregate function",
                    location: call.location)
            }
            return (nonNull(KnownOID.int8), ResolvedFunction(outputColumns: [], isAggregate: true))
        }
        let arguments = CallArguments(call)
        var values: [TypedValue?] = Array(repeating: nil, count: arguments.expressions.count)
        for (index, argument) in arguments.expressions.enumerated() where !isOpenParameter(argument) {
            values[index] = try analyzeExpression(argument, scope: scope, expected: nil)
        }
        let hypothetical = call.withinGroup && Self.hypotheticalSetAggregates.contains(functionName)
        if hypothetical {
            // A hypothetical row's values take the types of the ordering keys they stand beside.
            let direct = call.arguments.count
            for index in 0..<direct where values[index] == nil && direct + index < values.count {
                if let keyType = values[direct + index]?.type {
                    values[index] = try analyzeExpression(
                        arguments.expressions[index], scope: scope, expected: keyType)
                }
            }
        }
        let keys = values.map { $0.map { types.key($0.type) } ?? .builtin(KnownOID.unknown) }
        let argumentTypes = values.map { $0?.type ?? types.unknownType }

        // User-defined functions in the search path (or the named schema) come first, as they would for a user.
        if Self.nameLookupFunctions.contains(functionName) { resolvesNamesAtRunTime = true }
        if let (user, inputs) = resolveUserRoutine(
            functionName, schema: schema, arguments: keys, call: arguments, variadicCall: call.variadic)
        {
            callsUserFunction = true
            for (index, argument) in arguments.expressions.enumerated() where values[index] == nil {
                values[index] = try analyzeExpression(
                    argument, scope: scope, expected: inputs[index].type, name: inputs[index].name)
            }
            let outputs = user.resultColumns.map { (name: $0.name, type: $0.type) }
            let type: SQLType
            if outputs.count == 1, !user.returnsSet || user.returnType?.builtinOID == KnownOID.record {
                type = outputs[0].type
            } else {
                type = user.returnType ?? types.type(KnownOID.void)
            }
            return (
                TypedValue(type: type, nullable: true),
                ResolvedFunction(outputColumns: outputs, isAggregate: false)
            )
        }
        if functionName == "lastval", call.arguments.isEmpty {
            throw ResolutionError(
                message:
                    "lastval() returns the last value any sequence gave the session, which on a pooled connection may be another lease's, another tenant's: use INSERT ... RETURNING",
                location: call.location)
        }
        guard schema == nil || schema == "pg_catalog" || catalog.schemas[schema ?? ""] != nil else {
            throw ResolutionError(message: "schema \"\(schema ?? "")\" does not exist", location: call.location)
        }
        let signatures = types.builtinSignatures(
            named: functionName, arguments: arguments, variadicCall: call.variadic)
        guard let chosen = types.bestCandidate(signatures, arguments: keys), let function = chosen.function else {
            let described = arguments.described(types: argumentTypes)
            let problem = types.isAmbiguous(signatures, arguments: keys) ? "is not unique" : "does not exist"
            throw ResolutionError(
                message: "function \(call.name.joined(separator: "."))(\(described)) \(problem)",
                location: call.location)
        }
        if types.leavesPolymorphicUnknown(inputs: chosen.inputs, arguments: argumentTypes) {
            throw ResolutionError(
                message: "could not determine polymorphic type because input has type unknown",
                location: call.location)
        }
        for (index, argument) in arguments.expressions.enumerated() where values[index] == nil {
            let declared = chosen.inputs[index]
            let type =
                types.isPolymorphic(declared)
                ? types.resolvePolymorphic(declared, inputs: chosen.inputs, arguments: argumentTypes)
                : types.type(declared)
            values[index] = try analyzeExpression(
                argument, scope: scope, expected: type,
                name: arguments.names[index] ?? argumentName(function, index))
        }
        let resolvedArguments = values.map { $0?.type ?? types.unknownType }
        var result = types.resolvePolymorphic(chosen.result, inputs: chosen.inputs, arguments: resolvedArguments)
        if functionName == "unnest", result.isArray == false, let first = resolvedArguments.first,
            types.baseType(first).isArray
        {
            result = types.baseType(first).element
        }
        let argumentsNonNull = values.allSatisfy { !($0?.nullable ?? true) }
        let nullable: Bool
        if call.isWindow {
            nullable = !Self.nonNullWindowFunctions.contains(functionName)
        } else if hypothetical {
            nullable = false
        } else if function.kind == UInt8(ascii: "a") {
            nullable =
                !(functionName == "count"
                || (grouped && argumentsNonNull && call.filter == nil
                    && Self.nonNullOverNonNullGroup.contains(functionName)))
        } else if function.isStrict {
            let regexSubstring =
                functionName == "substring" && resolvedArguments.count == 2
                && types.key(resolvedArguments[1]) == .builtin(KnownOID.text)
            nullable =
                !argumentsNonNull || Self.mayReturnNull.contains(functionName) || regexSubstring
                || types.builtins.nullForNonNullArguments.contains(function.oid)
        } else {
            nullable = !Self.neverNull.contains(functionName)
        }
        var outputs: [(name: String, type: SQLType)] = []
        if function.returnsSet, !function.argumentModes.isEmpty {
            for (index, mode) in function.argumentModes.enumerated()
            where mode == UInt8(ascii: "o") || mode == UInt8(ascii: "b") || mode == UInt8(ascii: "t") {
                guard index < function.allArgumentTypes.count else { continue }
                let columnName =
                    index < function.argumentNames.count ? function.argumentNames[index] : "column\(index + 1)"
                outputs.append((columnName, types.type(function.allArgumentTypes[index])))
            }
        }
        return (
            TypedValue(type: result, nullable: nullable),
            ResolvedFunction(outputColumns: outputs, isAggregate: function.kind == UInt8(ascii: "a"))
        )
    }

    private func argumentName(_ function: BuiltinFunction, _ index: Int) -> String? {
        guard function.argumentModes.isEmpty, index < function.argumentNames.count else { return nil }
        let name = function.argumentNames[index]
        return name == "?" ? nil : name
    }

    /// Built-in functions that look up a relation or type named by a string when the statement runs.
    static let nameLookupFunctions: Set<String> = [
        "nextval", "currval", "setval", "to_regclass", "to_regtype", "to_regproc", "to_regprocedure",
        "to_regnamespace", "pg_get_serial_sequence", "has_table_privilege", "has_column_privilege",
        "has_sequence_privilege", "pg_relation_size", "pg_total_relation_size", "pg_table_size",
    ]

    /// A user function (or, for CALL, procedure) whose inputs accept the arguments, from the named schema
    /// or the search path, with the inputs the arguments fill in the order of the call's arguments.
    func resolveUserRoutine(
        _ name: String, schema: String?, arguments: [TypeKey], call: CallArguments, variadicCall: Bool,
        procedure: Bool = false
    ) -> (Function, [FunctionParameter])? {
        let schemas = schema.map { [$0] } ?? searchPath
        for schemaName in schemas {
            for function in catalog.schemas[schemaName]?.functions[name] ?? [] where function.isProcedure == procedure {
                guard let inputs = callInputs(of: function, call: call, variadicCall: variadicCall) else { continue }
                let accepts = zip(arguments, inputs).allSatisfy { argument, input in
                    let declared = types.key(input.type)
                    if argument == declared || argument.isUnknown { return true }
                    if case .builtin(let oid) = declared { return types.canCoerceImplicitly(argument, to: oid) }
                    return false
                }
                if accepts { return (function, inputs) }
            }
        }
        return nil
    }

    /// The inputs a call's arguments fill, in argument order: by name, or by position with defaults and
    /// VARIADIC expanded; nil when the call does not fit. A procedure's OUT parameters are inputs of CALL.
    private func callInputs(of function: Function, call: CallArguments, variadicCall: Bool) -> [FunctionParameter]? {
        let inputs = function.parameters.filter {
            $0.mode == .in || $0.mode == .inOut || $0.mode == .variadic || (function.isProcedure && $0.mode == .out)
        }
        let required = inputs.prefix { !$0.hasDefault }.count
        if call.hasNames {
            // A VARIADIC parameter given by name takes the array itself, written `VARIADIC name => array`.
            guard let positions = call.inputPositions(inputNames: inputs.map(\.name), required: required),
                variadicCall || !positions.contains(where: { inputs[$0].mode == .variadic })
            else { return nil }
            return positions.map { inputs[$0] }
        }
        let count = call.names.count
        if let last = inputs.last, last.mode == .variadic, !variadicCall, count >= inputs.count {
            var element = last
            element.type = last.type.element
            return Array(inputs.dropLast()) + Array(repeating: element, count: count - inputs.count + 1)
        }
        guard count <= inputs.count, count >= required else { return nil }
        return Array(inputs.prefix(count))
    }

    /// Hypothetical-set aggregates, whose direct arguments are a row placed among the ordered ones.
    static let hypotheticalSetAggregates: Set<String> = ["rank", "dense_rank", "percent_rank", "cume_dist"]

    /// The name PostgreSQL gives a result column without an alias (its `FigureColname`).
    func columnName(of expression: Expression) -> String {
        switch expression {
        case .column(let parts, _): return parts.last ?? "?column?"
        case .cast(let inner, let type, _):
            let innerName = columnName(of: inner)
            return innerName == "?column?" ? (type.names.last ?? "?column?") : innerName
        case .function(let call):
            if call.name.first == "sqlc", let argument = call.arguments.first, case .column(let parts, _) = argument {
                return parts.last ?? "?column?"
            }
            return call.name.last ?? "?column?"
        case .caseWhen(let caseExpression):
            if let elseResult = caseExpression.elseResult {
                let name = columnName(of: elseResult)
                if name != "?column?" { return name }
            }
            return "case"
        case .coalesce: return "coalesce"
        case .minMax(let greatest, _, _): return greatest ? "greatest" : "least"
        case .subquery(let kind, _, let select, _):
            switch kind {
            case .exists: return "exists"
            case .array: return "array"
            case .scalar:
                if case .simple(let simple) = select.body, let target = simple.targets.first {
                    return target.alias ?? columnName(of: target.expression)
                }
                return "?column?"
            default: return "?column?"
            }
        case .array: return "array"
        case .row: return "row"
        case .indirection(let base, let steps, _):
            if case .field(let field)? = steps.last { return field }
            return columnName(of: base)
        case .valueFunction(let kind, _):
            switch kind {
            case .currentDate: return "current_date"
            case .currentTime: return "current_time"
            case .currentTimestamp: return "current_timestamp"
            case .localTime: return "localtime"
            case .localTimestamp: return "localtimestamp"
            case .currentRole: return "current_role"
            case .currentUser: return "current_user"
            case .sessionUser: return "session_user"
            case .user: return "user"
            case .currentCatalog: return "current_catalog"
            case .currentSchema: return "current_schema"
            }
        case .collate(let inner, _): return columnName(of: inner)
        case .operation(.nullIf, _, _, _, _): return "nullif"
        case .operation(.plain, "@", nil, let operand?, let location) where macroParameters[location] != nil:
            return QueryParameters.atOperand(operand)?.0 ?? "?column?"
        default: return "?column?"
        }
    }
}
