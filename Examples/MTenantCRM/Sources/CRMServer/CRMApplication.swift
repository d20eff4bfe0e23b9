import Hummingbird
import Logging
import SQLGenRuntime
import Tracing

/// The CRM's HTTP API.
///
/// - `GET /health`
/// - `/admin/...`: tenants and plans (shared schema, no tenant)
/// - everything else runs as the tenant the request names (``TenantMiddleware``):
///   `/users`, `/auth/...`, `/invitations`, `/companies`, `/contacts`, `/deals`, `/activities`,
///   `/communications`
public enum CRMApplication {
    /// The router, with the client's request id kept, a span per request (from `tracer`, else
    /// `InstrumentationSystem.tracer`) and error mapping around every route, and tenant resolution around
    /// tenant routes.
    public static func router(
        services: CRMServices, baseDomain: String, tracer: (any Tracer)? = nil
    ) -> Router<CRMRequestContext> {
        let router = Router(context: CRMRequestContext.self)
        if let tracer { router.add(middleware: TracerMiddleware(tracer: tracer)) }
        router.add(middleware: TracingMiddleware())
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("health") { _, _ in
            _ = try await services.database.healthCheck()
            return JSONResponse(["status": "ok"])
        }
        TenantAdminRoutes(services: services).add(to: router.group("admin"))
        let tenant = router.group().add(
            middleware: TenantMiddleware(database: services.database, baseDomain: baseDomain))
        AuthRoutes(services: services).add(to: tenant)
        InvitationRoutes(services: services).add(to: tenant)
        CompanyRoutes(services: services).add(to: tenant)
        ContactRoutes(services: services).add(to: tenant)
        DealRoutes(services: services).add(to: tenant)
        CommunicationRoutes(services: services).add(to: tenant)
        return router
    }

    /// The server: the router on `configuration`'s address, with the pool run (and drained on
    /// shutdown) as one of the application's services.
    public static func application(
        configuration: CRMConfiguration, services: CRMServices, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(services: services, baseDomain: configuration.baseDomain, tracer: configuration.tracer),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "mtenant-crm"),
            services: [services.database],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
