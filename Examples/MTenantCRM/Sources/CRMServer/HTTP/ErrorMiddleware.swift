import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SQLGenRuntime

/// Turns every error a handler throws into a JSON error response: the tenant's state and the
/// client's input get their own statuses, anything else is a 500 that carries only the request id
/// (the details go to the log under the same id).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let failure = Self.apiError(for: error)
            let metadata: Logger.Metadata = ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"]
            if failure.status == .internalServerError {
                context.logger.error("request failed", metadata: metadata)
            } else if failure.status == .serviceUnavailable {
                context.logger.warning("request refused: \(failure.code)", metadata: metadata)
            }
            response = try Self.response(failure, context: context)
        }
        if let requestID = HTTPField.Name.requestID { response.headers[requestID] = context.id }
        return response
    }

    static func response(_ failure: APIError, context: Context) throws -> Response {
        let body = APIErrorBody(
            error: .init(code: failure.code, message: failure.message, field: failure.field, requestID: context.id))
        var response = Response(status: failure.status, headers: [.contentType: "application/json; charset=utf-8"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(body)))
        return response
    }

    /// The response an error deserves.
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let failure as APIError:
            return failure
        case let failure as SQLGenError:
            return apiError(for: failure)
        case let failure as DecodingError:
            return APIError(decoding: failure)
        case let failure as HTTPError:
            let code = failure.status == .notFound ? "not_found" : "http_\(failure.status.code)"
            return APIError(status: failure.status, code: code, message: failure.status.reasonPhrase)
        default:
            return .internalError
        }
    }

    /// Tenant state → 403/404, constraint violations → 400/409, bad values → 400, the rest → 500/503.
    static func apiError(for error: SQLGenError) -> APIError {
        switch error.kind {
        case .unknownTenant, .tenantDeleted:
            return APIError(status: .notFound, code: "unknown_tenant", message: "no such tenant")
        case .tenantSuspended:
            return APIError(status: .forbidden, code: "tenant_suspended", message: "this tenant is suspended")
        case .noTenant:
            return APIError(
                status: .badRequest, code: "tenant_required",
                message: "name the tenant with the Host subdomain or the X-Tenant header")
        case .poolTimeout:
            return APIError(status: .serviceUnavailable, code: "busy", message: "the service is busy; retry shortly")
        case .connectionFailed:
            return APIError(
                status: .serviceUnavailable, code: "database_unavailable",
                message: "the database cannot be reached; retry shortly")
        case .server:
            break
        default:
            return .internalError
        }
        let field = ConstraintField.column(in: error)
        switch error.sqlState ?? "" {
        case "23505":
            return .conflict("a record with this \(field ?? "value") already exists", field: field)
        case "23503" where (error.detail ?? "").contains("is still referenced"):
            return .conflict("other records still refer to this one")
        case "23503":
            return .invalid(field ?? "body", "refers to a record that does not exist")
        case "23502":
            return .invalid(field ?? "body", "is required")
        case "23514":
            return .invalid(field ?? "body", "breaks the rule \(error.constraint ?? "of this field")")
        case "22001":
            return .invalid(field ?? "body", "is too long")
        case "22003":
            return .invalid(field ?? "body", "is out of range")
        case "22P02", "22007", "22008", "22023", "2201X", "2201W":
            return .invalid(field ?? "body", "is not a valid value")
        default:
            return .internalError
        }
    }
}

/// The request field a constraint violation is about, from the server's error fields.
enum ConstraintField {
    /// `company_id` in `Key (company_id)=(…)` or the error's column, as the API names it (`companyID`).
    static func column(in error: SQLGenError) -> String? {
        if let column = error.column { return apiName(column) }
        guard let detail = error.detail, let open = detail.range(of: "Key ("),
            let close = detail[open.upperBound...].range(of: ")=")
        else { return nil }
        let columns = detail[open.upperBound..<close.lowerBound]
        guard !columns.contains(",") else { return nil }
        return apiName(String(columns))
    }

    /// `company_id` → `companyID`, as the generated models name columns.
    static func apiName(_ column: String) -> String {
        let words = column.split(separator: "_").map(String.init)
        guard let first = words.first else { return column }
        return first + words.dropFirst().map { $0 == "id" ? "ID" : $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

extension HTTPField.Name {
    /// The id a response carries so a client can quote it and an operator can find its log lines.
    static let requestID = HTTPField.Name("X-Request-ID")
}
