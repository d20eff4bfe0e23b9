import Foundation
import HTTPTypes
import Hummingbird

/// An error the API answers with: a status and a JSON body
/// `{"error": {"code": …, "message": …, "field": …, "requestID": …}}`.
///
/// Handlers throw these for input they reject; ``ErrorMiddleware`` turns every other error
/// (database, decoding, unexpected) into one, so no internals reach a client.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code: `not_found`, `invalid_input`, `conflict`, …
    public var code: String
    public var message: String
    /// The request field at fault, for invalid input.
    public var field: String?

    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// 400: `field` is missing or not acceptable.
    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_input", message: message, field: field)
    }

    /// 404: the thing asked for does not exist (in this tenant).
    public static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "\(what) not found")
    }

    /// 409: the request conflicts with what is stored.
    public static func conflict(_ message: String, field: String? = nil) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message, field: field)
    }

    /// 500: something failed that the client cannot fix; details are only in the server's log.
    public static let internalError = APIError(
        status: .internalServerError, code: "internal_error", message: "the request failed; quote its request id")
}

/// The JSON body of an error response.
struct APIErrorBody: Encodable {
    struct Content: Encodable {
        var code: String
        var message: String
        var field: String?
        var requestID: String
    }
    var error: Content
}
