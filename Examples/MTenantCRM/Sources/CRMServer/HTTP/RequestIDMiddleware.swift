import HTTPTypes
import Hummingbird
import Logging

/// Keeps the request id a client (or a proxy in front of the API) sends in `X-Request-ID`, so one
/// id follows a request through every service's logs: the response header, the `requestID` of an
/// error body and the server's log lines carry it. Hummingbird's own id is kept when the header is
/// absent or not a ``RequestID/isAcceptable(_:)`` value.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let name = HTTPField.Name.requestID, let incoming = request.headers[name],
            RequestID.isAcceptable(incoming)
        else { return try await next(request, context) }
        var context = context
        context.logger[metadataKey: RequestID.metadataKey] = .string(incoming)
        return try await next(request, context)
    }
}

/// The request ids the API takes from clients.
enum RequestID {
    /// Where Hummingbird keeps a request's id: `context.id` reads it from the logger's metadata.
    static let metadataKey = "hb.request.id"

    /// 1 to 128 printable ASCII characters without spaces: enough for UUIDs and tracing ids, and
    /// nothing that could break a header or a log line.
    static func isAcceptable(_ value: String) -> Bool {
        (1...128).contains(value.utf8.count) && value.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
