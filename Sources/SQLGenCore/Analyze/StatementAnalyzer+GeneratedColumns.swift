/// Columns the server computes: a `GENERATED ALWAYS AS (...) STORED` column takes no value but DEFAULT,
/// and a `GENERATED ALWAYS AS IDENTITY` column none but DEFAULT unless INSERT says `OVERRIDING SYSTEM
/// VALUE` (PostgreSQL's rewriter, `rewriteTargetListIU`).
extension StatementAnalyzer {
    /// Refuses an INSERT that gives such a column a value other than DEFAULT.
    func checkGeneratedTargets(_ targets: [(column: Column, location: Int)], of insert: InsertStatement)
        throws(ResolutionError)
    {
        guard let source = insert.source else { return }  // DEFAULT VALUES
        for (index, target) in targets.enumerated() {
            guard let reason = Self.computedReason(target.column, overriding: insert.overridesSystemValue) else {
                continue
            }
            if case .values(let rows, _) = source.body,
                rows.allSatisfy({ row in
                    guard index < row.count, case .setToDefault = row[index] else { return false }
                    return true
                })
            {
                continue
            }
            let hint = target.column.isGenerated ? "" : "; use OVERRIDING SYSTEM VALUE to override"
            throw ResolutionError(
                message:
                    "cannot insert a non-DEFAULT value into column \"\(target.column.name)\": \(reason)\(hint)",
                location: target.location)
        }
    }

    /// Refuses an UPDATE (or ON CONFLICT DO UPDATE) that sets such a column to anything but DEFAULT.
    func checkGeneratedAssignment(_ assignment: Assignment, to column: Column) throws(ResolutionError) {
        guard let reason = Self.computedReason(column, overriding: false) else { return }
        if case .setToDefault = assignment.value, assignment.indirection.isEmpty { return }
        throw ResolutionError(
            message: "column \"\(column.name)\" can only be updated to DEFAULT: \(reason)",
            location: assignment.location)
    }

    /// Why the server computes the column's value, or nil when a statement may set it.
    private static func computedReason(_ column: Column, overriding: Bool) -> String? {
        if column.isGenerated { return "it is a generated column" }
        if column.isIdentityAlways, !overriding { return "it is an identity column defined as GENERATED ALWAYS" }
        return nil
    }
}
