import CPgQuery

extension ParseTreeDecoder {
    func createFunction(_ pointer: UnsafeMutablePointer<PgQuery__CreateFunctionStmt>, location: Int) -> CreateFunction {
        let create = pointer.pointee
        var parameters: [FunctionParameterDefinition] = []
        for node in nodes(create.n_parameters, create.parameters)
        where node.pointee.node_case == PG_QUERY__NODE__NODE_FUNCTION_PARAMETER {
            guard let parameter = node.pointee.function_parameter?.pointee,
                let type = typeReference(parameter.arg_type)
            else { continue }
            let mode: ParameterMode
            switch parameter.mode {
            case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT: mode = .out
            case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT: mode = .inOut
            case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC: mode = .variadic
            case PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE: mode = .table
            default: mode = .in
            }
            parameters.append(
                FunctionParameterDefinition(
                    name: optionalText(parameter.name), type: type, mode: mode, hasDefault: parameter.defexpr != nil))
        }
        return CreateFunction(
            name: QualifiedName(parts: stringValues(create.n_funcname, create.funcname), location: location),
            parameters: parameters,
            returnType: typeReference(create.return_type),
            isProcedure: create.is_procedure != 0,
            orReplace: create.replace != 0
        )
    }
}
