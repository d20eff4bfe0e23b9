/// Which tenancy a query belongs to, and where a tenant's schema name can be written into it.
extension QueryCompiler {
    /// The query's scope: `tenant` when it touches the template schema, `global` when it touches only
    /// shared schemas, `unscoped` without tenancy; nil (reported) when it reaches into any other schema.
    static func scope(
        of analyzer: StatementAnalyzer, annotation: QueryAnnotation, file: SourceFile, context: AnalysisContext,
        diagnostics: inout [Diagnostic]
    ) -> QueryScope? {
        guard let tenancy = context.tenancy else { return .unscoped }
        var scope = QueryScope.global
        for (schema, location) in analyzer.tableSchemasTouched {
            if schema == tenancy.templateSchema {
                scope = .tenant
            } else if !tenancy.sharedSchemas.contains(schema) {
                diagnostics.append(
                    .error(
                        "query \"\(annotation.name)\" reaches into schema \"\(schema)\", which is neither the tenant template nor a shared schema, so it could not be routed to one tenant",
                        in: file, atOffset: location))
                return nil
            }
        }
        return scope
    }

    /// Where a tenant's schema name can be written in front of every template name of a tenant-scoped
    /// read, so that it runs without switching the session's search path; nil when it cannot.
    ///
    /// Only reads qualify: a write can fire triggers, and a user function can be called, whose bodies
    /// find names through the session's search path; so can names looked up at run time (`nextval('s')`).
    static func qualifiableTemplateNames(
        _ analyzer: StatementAnalyzer, scope: QueryScope, tenancy: TenancyConfiguration?
    ) -> [Int]? {
        guard let tenancy, scope == .tenant, analyzer.tablesWritten.isEmpty, !analyzer.callsUserFunction,
            !analyzer.resolvesNamesAtRunTime
        else { return nil }
        var offsets: Set<Int> = []
        for name in analyzer.searchPathNames where name.schema == tenancy.templateSchema {
            guard name.location >= 0 else { return nil }
            offsets.insert(name.location)
        }
        return offsets.isEmpty ? nil : offsets.sorted()
    }
}
