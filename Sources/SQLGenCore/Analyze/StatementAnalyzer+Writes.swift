extension StatementAnalyzer {
    /// The table a write targets, with its entry under its alias.
    private func target(_ name: QualifiedName, alias: String?) throws(ResolutionError) -> (Table, RangeEntry) {
        let table = try resolveTable(name)
        guard table.kind == .table || table.kind == .partitionedTable || table.kind == .view else {
            throw ResolutionError(message: "cannot change materialized view \"\(table.name)\"", location: name.location)
        }
        record(written: table)
        return (table, entry(for: table, alias: alias.map { Alias(name: $0, columnNames: []) }))
    }

    func analyzeInsert(_ insert: InsertStatement, outer: Scope) throws(ResolutionError) -> [ResultColumn] {
        var scope = childScope(of: outer)
        try addCommonTableExpressions(insert.with, to: &scope)
        let (table, targetEntry) = try target(insert.table, alias: insert.alias)
        var targetColumns: [(column: Column, location: Int)] = []
        if insert.columns.isEmpty {
            targetColumns = table.columns.filter { !$0.isGenerated }.map { ($0, insert.table.location) }
        } else {
            for (name, location) in insert.columns {
                guard let column = table.column(named: name) else {
                    throw ResolutionError(
                        message: "column \"\(name)\" of relation \"\(table.name)\" does not exist", location: location)
                }
                targetColumns.append((column, location))
            }
        }
        try checkGeneratedTargets(targetColumns, of: insert)
        let expected = targetColumns.map { TypedValue(type: $0.column.type, nullable: !catalog.isNeverNull($0.column)) }
        if let source = insert.source {
            var sourceScope = scope
            try addCommonTableExpressions(source.with, to: &sourceScope)
            switch source.body {
            case .values(let rows, _):
                for row in rows {
                    if row.count > targetColumns.count {
                        throw ResolutionError(
                            message: "INSERT has more expressions than target columns",
                            location: row[targetColumns.count].location)
                    }
                    if row.count < targetColumns.count {
                        throw ResolutionError(
                            message: "INSERT has more target columns than expressions",
                            location: targetColumns[row.count].location)
                    }
                    for (index, value) in row.enumerated() {
                        _ = try analyzeExpression(
                            value, scope: sourceScope, expected: expected[index].type,
                            name: targetColumns[index].column.name,
                            source: ColumnSource(
                                schema: table.schema, table: table.name, column: targetColumns[index].column.name),
                            nullableTarget: expected[index].nullable)
                    }
                }
            case .simple(let simple):
                var selectScope = sourceScope
                for item in simple.from {
                    selectScope.entries.append(contentsOf: try analyzeFromItem(item, scope: selectScope))
                }
                if let whereClause = simple.whereClause {
                    _ = try analyzeCondition(whereClause, scope: selectScope, clause: "WHERE")
                }
                var produced = 0
                for target in simple.targets {
                    if case .star = target.expression {
                        produced += try analyzeTarget(target, scope: selectScope).count
                        continue
                    }
                    let hint = produced < expected.count ? expected[produced] : nil
                    let column = produced < targetColumns.count ? targetColumns[produced].column.name : nil
                    _ = try analyzeExpression(
                        target.expression, scope: selectScope, expected: hint?.type, name: column,
                        source: column.map { ColumnSource(schema: table.schema, table: table.name, column: $0) },
                        nullableTarget: hint?.nullable ?? false)
                    produced += 1
                }
                if produced > targetColumns.count {
                    throw ResolutionError(
                        message: "INSERT has more expressions than target columns",
                        location: simple.targets.last?.location ?? -1)
                }
                for expression in simple.groupBy {
                    _ = try analyzeExpression(expression, scope: selectScope, expected: nil)
                }
            case .setOperation:
                let columns = try analyzeSelect(source, outer: sourceScope)
                if columns.count > targetColumns.count {
                    throw ResolutionError(message: "INSERT has more expressions than target columns", location: -1)
                }
            }
            if case .simple = source.body {
                if let limit = source.limit {
                    _ = try analyzeExpression(
                        limit, scope: sourceScope, expected: types.type(KnownOID.int8), name: "limit")
                }
            }
        }
        var returningScope = scope
        returningScope.entries = [targetEntry]
        if let conflict = insert.onConflict {
            var conflictScope = returningScope
            var excluded = entry(for: table, alias: Alias(name: "excluded", columnNames: []))
            excluded.qualifiedOnly = true
            conflictScope.entries.append(excluded)
            try analyzeAssignments(conflict.assignments, table: table, scope: conflictScope)
            if let whereClause = conflict.whereClause {
                _ = try analyzeCondition(whereClause, scope: conflictScope, clause: "WHERE")
            }
        }
        return try returning(insert.returning, scope: returningScope)
    }

    /// Analyses a SET list as PostgreSQL does: every value first, then each is
    /// coerced to its column, so a bare parameter takes its column's type only
    /// if nothing in the list typed it before.
    /// Returns, for each column assigned whole (not `SET tags[$1] = ...`), whether its new value can be NULL.
    @discardableResult
    func analyzeAssignments(_ assignments: [Assignment], table: Table, scope: Scope) throws(ResolutionError)
        -> [String: Bool]
    {
        var targets: [(Assignment, Column, SQLType)] = []
        var assigned: [String: Bool] = [:]
        for assignment in assignments {
            guard let column = table.column(named: assignment.column) else {
                throw ResolutionError(
                    message: "column \"\(assignment.column)\" of relation \"\(table.name)\" does not exist",
                    location: assignment.location)
            }
            try checkGeneratedAssignment(assignment, to: column)
            var expected = column.type
            var isSlice = false
            for step in assignment.indirection {
                // Subscripts are integers (`SET tags[$1] = $2`, `SET tags[$1:$2] = $3`).
                switch step {
                case .index(let index?):
                    _ = try analyzeExpression(index, scope: scope, expected: types.type(KnownOID.int4), name: "index")
                case .slice(let lower, let upper):
                    isSlice = true
                    for bound in [lower, upper].compactMap({ $0 }) {
                        _ = try analyzeExpression(
                            bound, scope: scope, expected: types.type(KnownOID.int4), name: "index")
                    }
                default: break
                }
            }
            if !assignment.indirection.isEmpty, expected.isArray, !isSlice { expected = expected.element }
            targets.append((assignment, column, expected))
            // An element assignment (`SET tags[$1] = $2`) binds no value of the column's own type.
            let source =
                assignment.indirection.isEmpty
                ? ColumnSource(schema: table.schema, table: table.name, column: column.name) : nil
            let value = try analyzeExpression(
                assignment.value, scope: scope, expected: isOpenParameter(assignment.value) ? nil : expected,
                name: column.name, source: source, nullableTarget: !catalog.isNeverNull(column))
            // A NOT NULL column's new value is never NULL: the write would fail.
            if assignment.indirection.isEmpty {
                assigned[column.name] = !catalog.isNeverNull(column) && value.nullable
            }
        }
        for (assignment, _, expected) in targets {
            try coerceParameter(assignment.value, to: expected)
        }
        return assigned
    }

    /// Gives a bare parameter the type of the column it is stored into; a
    /// parameter already typed otherwise is the error PostgreSQL reports.
    func coerceParameter(_ value: Expression, to target: SQLType) throws(ResolutionError) {
        let number: Int?
        let location: Int
        switch value {
        case .parameter(let value, let at): (number, location) = (value, at)
        case .operation(.plain, "@", nil, .column?, let at): (number, location) = (macroParameters[at], at)
        case .function(let call) where call.name.first == "sqlc":
            (number, location) = (macroParameters[call.location], call.location)
        default: return
        }
        guard let number else { return }
        guard let current = parameters[number]?.type else {
            bindOpenParameter(value, type: target)
            return
        }
        let currentKey = types.key(current)
        let targetKey = types.key(target)
        if currentKey != targetKey, !types.canAssign(currentKey, to: targetKey),
            current.withoutModifiers != target.withoutModifiers
        {
            throw ResolutionError(
                message:
                    "inconsistent types deduced for parameter $\(number): \(current.formatted) versus \(target.formatted)",
                location: location)
        }
    }

    func analyzeUpdate(_ update: UpdateStatement, outer: Scope) throws(ResolutionError) -> [ResultColumn] {
        var scope = childScope(of: outer)
        try addCommonTableExpressions(update.with, to: &scope)
        let (table, targetEntry) = try target(update.table, alias: update.alias)
        scope.entries.append(targetEntry)
        for item in update.from { scope.entries.append(contentsOf: try analyzeFromItem(item, scope: scope)) }
        let assigned = try analyzeAssignments(update.assignments, table: table, scope: scope)
        if let whereClause = update.whereClause {
            _ = try analyzeCondition(whereClause, scope: scope, clause: "WHERE")
            refineNullability(rejectedBy: whereClause, in: &scope)
        }
        // RETURNING sees the new row: a WHERE that rejects a NULL old value says nothing of a column
        // the statement assigns, whose value is the SET expression's.
        for (index, entry) in scope.entries.enumerated() where entry.id == targetEntry.id {
            for (position, column) in entry.columns.enumerated() {
                guard let nullable = assigned[column.name] else { continue }
                scope.entries[index].columns[position].value.nullable = nullable
            }
        }
        return try returning(update.returning, scope: scope)
    }

    func analyzeDelete(_ delete: DeleteStatement, outer: Scope) throws(ResolutionError) -> [ResultColumn] {
        var scope = childScope(of: outer)
        try addCommonTableExpressions(delete.with, to: &scope)
        let (_, targetEntry) = try target(delete.table, alias: delete.alias)
        scope.entries.append(targetEntry)
        for item in delete.using { scope.entries.append(contentsOf: try analyzeFromItem(item, scope: scope)) }
        if let whereClause = delete.whereClause {
            _ = try analyzeCondition(whereClause, scope: scope, clause: "WHERE")
            refineNullability(rejectedBy: whereClause, in: &scope)
        }
        return try returning(delete.returning, scope: scope)
    }

    private func returning(_ targets: [SelectTarget], scope: Scope) throws(ResolutionError) -> [ResultColumn] {
        var columns: [ResultColumn] = []
        for target in targets { columns.append(contentsOf: try analyzeTarget(target, scope: scope)) }
        return columns
    }
}
