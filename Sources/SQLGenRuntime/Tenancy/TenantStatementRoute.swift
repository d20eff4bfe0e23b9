import Foundation

extension TenantRegistry {
    /// Runs `operation` as the active tenant with this registry id (``RegisteredTenant/current``).
    public func withTenant<R>(
        id: UUID, isolation: isolated (any Actor)? = #isolation, _ operation: () async throws -> R
    ) async throws -> R {
        let tenant = try await tenant(id: id)
        return try await SQLGenRuntime.withTenant(tenant, isolation: isolation, operation)
    }

    /// Runs `operation` as the active tenant reached under this subdomain.
    public func withTenant<R>(
        subdomain: String, isolation: isolated (any Actor)? = #isolation, _ operation: () async throws -> R
    ) async throws -> R {
        let tenant = try await tenant(subdomain: subdomain)
        return try await SQLGenRuntime.withTenant(tenant, isolation: isolation, operation)
    }

    /// The exact search path `statement` must run under; fails before anything is sent when the
    /// statement needs a tenant and there is none (``RegisteredTenant/current``), or the tenant
    /// cannot be used, or the statement does not declare its scope.
    func route<S: SQLStatement>(
        for statement: S, shared: SearchPathRoute, ofTenant: (RegisteredTenant) -> SearchPathRoute
    ) async throws(SQLGenError) -> SearchPathRoute {
        switch statement.declaredScope {
        case .global:
            return shared
        case .tenant:
            guard let tenant = RegisteredTenant.current else {
                throw SQLGenError(
                    .noTenant, message: "a tenant-scoped statement ran outside withTenant",
                    statementName: statement.statementName)
            }
            do throws(SQLGenError) {
                return ofTenant(try await current(tenant))
            } catch {
                var failure = error
                failure.statementName = statement.statementName
                throw failure
            }
        case .unscoped:
            throw SQLGenError(
                .undeclaredScope,
                message: "plain SQL through a tenant pool must declare its scope: PlainStatement(sql, scope: .tenant)",
                statementName: statement.statementName)
        }
    }

    /// How `statement` runs for the current tenant, for executors other than ``TenantPool`` that
    /// route statements themselves (the PostgresNIO integration): in a transaction that sets the
    /// path with ``TenantStatementRoute/setPathSQL`` (bound to ``TenantStatementRoute/pathSetting``),
    /// runs ``TenantStatementRoute/sql``, then ``TenantStatementRoute/pathCheckSQL`` (bound to
    /// ``TenantStatementRoute/expectedSchemas``), whose failure means the work must be rolled back.
    /// With `qualifyingReads` false, a read runs on the tenant's path as written too (for a batch
    /// of statements that share one route); with `sharedPathForQualifiedReads` false, a qualified
    /// read runs on the tenant's path rather than the shared one.
    public func route<S: SQLStatement>(
        for statement: S, options: TenancyOptions, qualifyingReads: Bool = true,
        sharedPathForQualifiedReads: Bool = true
    ) async throws(SQLGenError) -> TenantStatementRoute {
        // The second wall is TenantPool's: an executor that routes itself would run as the connecting user.
        if options.tenantRoles != nil {
            throw SQLGenError(
                .invalidParameter,
                message:
                    "tenant roles (TenancyOptions.tenantRoles) are applied by TenantPool only; this executor would run tenant statements as the connecting user; nothing was sent",
                statementName: statement.statementName)
        }
        let shared = SearchPathRoute(tenant: nil, sharedSchemas: options.sharedSchemas)
        let route = try await route(for: statement, shared: shared) { tenant in
            SearchPathRoute(tenant: tenant, sharedSchemas: options.sharedSchemas)
        }
        // This executor has one server: a tenant placed on another is TenantPool's to reach.
        if let placement = route.tenant?.placement {
            throw SQLGenError(
                .unknownPlacement,
                message:
                    "tenant \"\(route.tenant?.subdomain ?? "")\" lives on placement \"\(placement)\": placements are routed by TenantPool only; nothing was sent",
                statementName: statement.statementName)
        }
        // A read with the places of its tenant names gets the tenant's schema written in, and runs on
        // the shared path, where no tenant schema is: a name missing from the tenant's schema fails.
        if qualifyingReads, options.qualifiesTenantNames, let quotedSchema = route.quotedTenantSchema,
            let offsets = statement.declaredTenantNameOffsets, TenantPool.readsOnly(statement.sqlText),
            SessionEffects.isPlainQuery(statement.sqlText),
            let sql = TenantQualifiedSQL.qualify(statement.sqlText, quotedSchema: quotedSchema, at: offsets)
        {
            return TenantStatementRoute(route: sharedPathForQualifiedReads ? shared : route, sql: sql, tenant: route)
        }
        return TenantStatementRoute(route: route, sql: statement.sqlText, tenant: route)
    }
}

/// Where and how a statement routed by ``TenantRegistry/route(for:options:qualifyingReads:sharedPathForQualifiedReads:)`` runs.
public struct TenantStatementRoute: Sendable {
    /// The `search_path` value: the tenant's schema (unless the SQL names it), the shared
    /// schemas, then `pg_temp`, each quoted.
    public let pathSetting: String
    /// What the path check compares `current_schemas(false)` with, as an array literal.
    public let expectedSchemas: String
    /// The SQL to run: the statement's, with the tenant's schema written in front of its tenant
    /// names for a read that has their places.
    public let sql: String
    /// The tenant's schema, or nil for a global statement.
    public let tenantSchema: String?
    private let tenantRoute: SearchPathRoute

    init(route: SearchPathRoute, sql: String, tenant: SearchPathRoute) {
        self.pathSetting = route.setting
        self.expectedSchemas = route.expectedSchemas
        self.sql = sql
        self.tenantSchema = tenant.tenant?.schemaName
        self.tenantRoute = tenant
    }

    /// Sets the search path for the current transaction only: bind ``pathSetting``.
    public static var setPathSQL: String { SearchPathRoute.setSQL(local: true) }

    /// Fails with SQLSTATE 22P02 unless the schemas names resolve in are exactly the route's: bind
    /// ``expectedSchemas``.
    public static var pathCheckSQL: String { SearchPathRoute.guardSQL }

    /// ``pathCheckSQL``, failing too while the session's temp schema holds any relation, for an
    /// executor whose connections other code may leave a temp table on: `pg_temp`, though named
    /// last, would catch a name neither the tenant's schema nor a shared one has.
    public static var pathCheckWithoutTempRelationsSQL: String { SearchPathRoute.guardWithoutTempRelationsSQL }

    /// The failure to report when the path check fails, or when a qualified read names a table
    /// the tenant's schema does not have (SQLSTATE 3F000, 42P01 or 42704): the work was rolled back.
    public func schemaUnavailable(after error: SQLGenError? = nil, statementName: String) -> SQLGenError {
        var failure = PostgresSession.schemaUnavailable(tenantRoute, statementName: statementName)
        if let error {
            failure.message += " (\(error.message))"
            failure.sqlState = error.sqlState
        }
        return failure
    }

    /// Whether `error` says a schema, table or type the statement names does not exist.
    public static func namesMissing(_ error: SQLGenError) -> Bool { PostgresSession.namesMissing(error) }
}
