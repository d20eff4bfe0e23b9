import Hummingbird
import Tracing

/// Binds the configured tracer (``CRMConfiguration/tracer``) for the rest of the request, so that
/// Hummingbird's request span and the spans of the request's statements, the tenant lookup's
/// included, go to it: each statement's span is a child of the request's.
struct TracerMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: any Tracer

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await withTracer(tracer) { try await next(request, context) }
    }
}
