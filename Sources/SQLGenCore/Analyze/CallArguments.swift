/// The arguments of a function or procedure call as PostgreSQL matches them to a routine's inputs:
/// positional ones first, then `name => value` ones, and for an ordered-set aggregate the `WITHIN
/// GROUP (ORDER BY ...)` keys after the direct arguments.
struct CallArguments {
    /// The argument values, names taken off.
    var expressions: [Expression] = []
    /// Each argument's name, nil for a positional one.
    var names: [String?] = []

    /// Whether any argument is written with a name.
    var hasNames: Bool { names.contains { $0 != nil } }

    /// The argument list as PostgreSQL's messages show it: `score => numeric, integer`.
    func described(types: [SQLType]) -> String {
        zip(names, types).map { name, type in (name.map { "\($0) => " } ?? "") + type.formatted }
            .joined(separator: ", ")
    }

    init(_ call: FunctionCall) {
        self.init(call.withinGroup ? call.arguments + call.orderBy : call.arguments)
    }

    init(_ arguments: [Expression]) {
        for argument in arguments {
            if case .namedArgument(let name, let value, _) = argument {
                expressions.append(value)
                names.append(name)
            } else {
                expressions.append(argument)
                names.append(nil)
            }
        }
    }

    /// For each argument, the index of the input it fills; nil when the call does not fit: too many
    /// arguments, a name the routine has not, an input given twice, or one without a default left out.
    /// `required` is how many leading inputs have no default.
    func inputPositions(inputNames: [String?], required: Int) -> [Int]? {
        let positional = names.prefix { $0 == nil }.count
        guard positional <= inputNames.count else { return nil }
        var positions = Array(0..<positional)
        var filled = Set(positions)
        for name in names.dropFirst(positional) {
            guard let name, let index = inputNames.firstIndex(of: name), !filled.contains(index) else { return nil }
            positions.append(index)
            filled.insert(index)
        }
        for index in 0..<required where !filled.contains(index) { return nil }
        return positions
    }
}
