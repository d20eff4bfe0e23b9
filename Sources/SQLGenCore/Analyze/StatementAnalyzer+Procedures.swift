/// `CALL procedure(...)`: its arguments typed like a function's (named ones, defaults and VARIADIC
/// included), and its INOUT and OUT parameters as the one row it returns.
extension StatementAnalyzer {
    func analyzeProcedureCall(_ call: FunctionCall) throws(ResolutionError) -> [ResultColumn] {
        let name = call.name.last ?? ""
        let schema = call.name.count >= 2 ? call.name[call.name.count - 2] : nil
        let arguments = CallArguments(call)
        var values: [TypedValue?] = Array(repeating: nil, count: arguments.expressions.count)
        for (index, argument) in arguments.expressions.enumerated() where !isOpenParameter(argument) {
            values[index] = try analyzeExpression(argument, scope: Scope(), expected: nil)
        }
        let keys = values.map { $0.map { types.key($0.type) } ?? .builtin(KnownOID.unknown) }
        guard
            let (procedure, inputs) = resolveUserRoutine(
                name, schema: schema, arguments: keys, call: arguments, variadicCall: call.variadic, procedure: true)
        else {
            let described = arguments.described(types: values.map { $0?.type ?? types.unknownType })
            throw ResolutionError(
                message: "procedure \(call.name.joined(separator: "."))(\(described)) does not exist",
                location: call.location)
        }
        callsUserFunction = true
        tableSchemasTouched.append((procedure.schema, call.location))
        if call.name.count == 1 { searchPathNames.append((procedure.schema, call.location)) }
        for (index, argument) in arguments.expressions.enumerated() where values[index] == nil {
            _ = try analyzeExpression(argument, scope: Scope(), expected: inputs[index].type, name: inputs[index].name)
        }
        return procedure.parameters.enumerated().compactMap { index, parameter in
            guard parameter.mode == .inOut || parameter.mode == .out else { return nil }
            return ResultColumn(name: parameter.name ?? "column\(index + 1)", type: parameter.type, nullable: true)
        }
    }
}
