/// The `sqlgen.optional(condition)` and `sqlgen.sort(key, ...)` calls of a query, found and checked:
/// where each is in the file, the parameters that switch each condition on, and the sort keys.
struct DynamicQueryMarkers {
    /// `sqlgen.optional(condition)`: a condition left out (as `TRUE`) when its parameters are not given.
    struct Condition {
        /// The call's text, from `sqlgen` to just past its closing parenthesis.
        var start: Int
        var end: Int
        /// The condition inside the call's parentheses.
        var innerStart: Int
        var innerEnd: Int
        /// The names of the parameters it uses, in order of first use.
        var parameterNames: [String]
    }

    /// A key of `sqlgen.sort(...)`: `name => expression`, or a column that names itself.
    struct SortKey {
        var name: String
        /// The key's expression in the file.
        var start: Int
        var end: Int
    }

    /// `sqlgen.sort(...)`: an ORDER BY item the caller chooses from its keys, in either direction.
    struct Sort {
        var start: Int
        var end: Int
        var keys: [SortKey]
    }

    var conditions: [Condition] = []
    var sort: Sort?

    /// How many statements the query expands into.
    var variantCount: Int {
        let sorts = sort.map { 2 * $0.keys.count } ?? 1
        return conditions.count >= 30 ? Int.max : (1 << conditions.count) * sorts
    }

    /// The markers of `statement`; nil (with diagnostics) when one is misused, empty when there are none.
    static func find(
        _ statement: DataStatement, command: QueryCommand, file: SourceFile, diagnostics: inout [Diagnostic]
    ) -> DynamicQueryMarkers? {
        var calls: [FunctionCall] = []
        ExpressionVisitor { expression in
            if case .function(let call) = expression, call.name.count == 2, call.name[0] == "sqlgen" {
                calls.append(call)
            }
        }.walk(statement)
        guard !calls.isEmpty else { return DynamicQueryMarkers() }
        // Misused macros are reported when the variants are analysed.
        var ignored: [Diagnostic] = []
        let parameters = QueryParameters.collect(statement, file: file, diagnostics: &ignored)
        let errors = diagnostics.count
        func fail(_ message: String, _ offset: Int) { diagnostics.append(.error(message, in: file, atOffset: offset)) }
        let text = StatementText(bytes: file.bytes)
        var markers = DynamicQueryMarkers()
        var sortItems: Set<Int> = []
        // Where a condition may be optional: a whole WHERE, HAVING or ON condition, or one of the
        // conditions AND joins there, in any SELECT of the statement.
        var conjuncts: Set<Int> = []
        if case .select(let select) = statement {
            for case .function(let call) in select.orderBy where call.name == ["sqlgen", "sort"] {
                sortItems.insert(call.location)
            }
            let roots = ConditionRoots(select)
            for chain in roots.filters + roots.joins {
                for case .function(let call) in chain where call.name == ["sqlgen", "optional"] {
                    conjuncts.insert(call.location)
                }
            }
            // Left out, an ON condition of optional conditions only would make the join a cross join.
            for chain in roots.joins where chain.allSatisfy({ isOptional($0) }) {
                if case .function(let call)? = chain.first {
                    fail(
                        "a JOIN's ON condition needs a condition that always applies beside sqlgen.optional: left out, it would make the join a cross join",
                        call.location)
                }
            }
        }
        guard case .select = statement, command == .one || command == .many else {
            fail(
                "sqlgen.\(calls[0].name[1]) works only in a SELECT that is :one or :many: a write whose condition is left out would change every row",
                calls[0].location)
            return nil
        }
        var reportedInside: Set<Int> = []
        for call in calls where !reportedInside.contains(call.location) {
            let end = text.closingParenthesis(from: call.location)
            let open = text.openingParenthesis(from: call.location)
            // Nothing of the call's own may sit inside a condition or a key.
            let nested = calls.first { $0.location > call.location && $0.location < end }
            switch call.name[1] {
            case "optional":
                guard call.arguments.count == 1, !isNamed(call.arguments[0]) else {
                    fail(
                        "sqlgen.optional takes one condition, as in sqlgen.optional(owner_id = @owner_id)",
                        call.location)
                    continue
                }
                if let nested {
                    fail("sqlgen.\(nested.name[1]) cannot be inside sqlgen.optional", nested.location)
                    reportedInside.insert(nested.location)
                    continue
                }
                guard conjuncts.contains(call.location) else {
                    fail(
                        "sqlgen.optional must be a whole WHERE, HAVING or ON condition, or one of the conditions joined by AND there",
                        call.location)
                    continue
                }
                let inside = parameters.macros.filter { $0.kind != .embed && $0.start >= open && $0.end <= end }
                if let positional = parameters.positional.first {
                    fail("a query with sqlgen.optional names its parameters (@name), not $n", positional.location)
                    continue
                }
                guard !inside.isEmpty else {
                    fail(
                        "sqlgen.optional needs a parameter that switches it on, as in sqlgen.optional(owner_id = @owner_id)",
                        call.location)
                    continue
                }
                if let narg = inside.first(where: { $0.kind == .narg }) {
                    fail(
                        "sqlc.narg inside sqlgen.optional: a nil argument already leaves the condition out, so use @\(narg.name)",
                        narg.start)
                    continue
                }
                var names: [String] = []
                for macro in inside where !names.contains(macro.name) { names.append(macro.name) }
                markers.conditions.append(
                    Condition(
                        start: call.location, end: end, innerStart: open + 1, innerEnd: end - 1,
                        parameterNames: names))
            case "sort":
                guard sortItems.contains(call.location) else {
                    fail("sqlgen.sort must be an item of the query's outermost ORDER BY", call.location)
                    continue
                }
                guard markers.sort == nil else {
                    fail("a query can have one sqlgen.sort", call.location)
                    continue
                }
                if let nested {
                    fail("sqlgen.\(nested.name[1]) cannot be inside sqlgen.sort", nested.location)
                    reportedInside.insert(nested.location)
                    continue
                }
                if let word = text.word(after: end), ["asc", "desc", "nulls", "using"].contains(word) {
                    fail(
                        "sqlgen.sort chooses the direction itself: remove \(word.uppercased()) after it", call.location)
                    continue
                }
                if let macro = parameters.macros.first(where: { $0.kind != .embed && $0.start > open && $0.end <= end })
                {
                    fail("a sort key cannot use a parameter", macro.start)
                    continue
                }
                guard let keys = sortKeys(call, open: open, end: end, text: text, file: file, fail: fail) else {
                    continue
                }
                markers.sort = Sort(start: call.location, end: end, keys: keys)
            default:
                fail(
                    "unknown function sqlgen.\(call.name[1]) (sqlgen.optional and sqlgen.sort are the ones there are)",
                    call.location)
            }
        }
        guard diagnostics.count == errors else { return nil }
        // A parameter that also appears outside every condition is always given: it cannot switch one.
        let switches = Set(markers.conditions.flatMap(\.parameterNames))
        for macro in parameters.macros where macro.kind != .embed && switches.contains(macro.name) {
            guard !markers.conditions.contains(where: { macro.start >= $0.innerStart && macro.end <= $0.innerEnd })
            else { continue }
            fail(
                "@\(macro.name) switches a sqlgen.optional condition on, so it cannot be used outside one too",
                macro.start)
            return nil
        }
        let count = markers.variantCount
        if count > DynamicQuery.variantLimit {
            let shown = count == Int.max ? "more than \(DynamicQuery.variantLimit)" : "\(count)"
            let sorts = markers.sort.map { " × \(2 * $0.keys.count) sort orders" } ?? ""
            fail(
                "the query expands into \(shown) statements (\(markers.conditions.count) optional conditions, 2^\(markers.conditions.count)\(sorts)); at most \(DynamicQuery.variantLimit) are allowed, so split it",
                calls[0].location)
            return nil
        }
        return markers
    }

    private static func isOptional(_ expression: Expression) -> Bool {
        if case .function(let call) = expression { return call.name == ["sqlgen", "optional"] }
        return false
    }

    private static func isNamed(_ expression: Expression) -> Bool {
        if case .namedArgument = expression { return true }
        return false
    }

    /// The keys of a `sqlgen.sort` call, each with its expression's extent; nil (reported) when one
    /// is neither `name => expression` nor a column, or when two share a name.
    private static func sortKeys(
        _ call: FunctionCall, open: Int, end: Int, text: StatementText, file: SourceFile,
        fail: (String, Int) -> Void
    ) -> [SortKey]? {
        let pieces = text.splitAtTopLevelCommas(open + 1, end - 1)
        guard !call.arguments.isEmpty, pieces.count == call.arguments.count else {
            fail("sqlgen.sort takes its keys, as in sqlgen.sort(name, newest => created_at)", call.location)
            return nil
        }
        var keys: [SortKey] = []
        for (argument, piece) in zip(call.arguments, pieces) {
            let name: String
            var range = piece
            switch argument {
            case .namedArgument(let argumentName, _, _):
                guard let arrow = text.arrow(in: piece),
                    let expression = text.splitAtTopLevelCommas(arrow, piece.upperBound).first
                else {
                    fail("write a named sort key as name => expression", piece.lowerBound)
                    return nil
                }
                name = argumentName
                range = expression
            case .column(let parts, _):
                name = parts.last ?? ""
            default:
                fail(
                    "name this sort key, as in sqlgen.sort(newest => created_at): only a column names itself",
                    piece.lowerBound)
                return nil
            }
            // The name becomes enum cases and raw values (`name`, `-name`): an identifier, no leading `-`.
            let isIdentifier =
                name.unicodeScalars.first.map { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
                == true
                && name.unicodeScalars.allSatisfy {
                    $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                }
            guard isIdentifier else {
                fail(
                    "sort key \"\(name)\" must be named with letters, digits and _, starting with a letter or _",
                    piece.lowerBound)
                return nil
            }
            if keys.contains(where: { $0.name == name }) {
                fail("sort key \"\(name)\" is listed twice", piece.lowerBound)
                return nil
            }
            keys.append(SortKey(name: name, start: range.lowerBound, end: range.upperBound))
        }
        return keys
    }
}
