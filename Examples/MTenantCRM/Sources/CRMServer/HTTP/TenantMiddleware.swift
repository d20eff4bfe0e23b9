import Foundation
import HTTPTypes
import Hummingbird
import SQLGenRuntime

/// Runs the rest of the request as one tenant: the one its `X-Tenant` header names or, failing
/// that, the subdomain of its Host (`acme.localhost:8080` → `acme`). The name is looked up in the
/// registry (unknown 404, suspended 403) and the handler runs inside `withTenant`, so every
/// generated query it makes runs in that tenant's schema and nowhere else.
struct TenantMiddleware<Context: RequestContext>: RouterMiddleware {
    let database: TenantPool
    let baseDomain: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let name = TenantName.requested(by: request, baseDomain: baseDomain) else {
            throw APIError(
                status: .badRequest, code: "tenant_required",
                message: "name the tenant with the Host subdomain (acme.\(baseDomain)) or the X-Tenant header")
        }
        guard TenantName.isPlausible(name) else {
            throw APIError(status: .notFound, code: "unknown_tenant", message: "no such tenant")
        }
        var context = context
        context.logger[metadataKey: "tenant"] = "\(name)"
        return try await database.withTenant(subdomain: name) {
            try await next(request, context)
        }
    }
}

/// How a request names its tenant.
enum TenantName {
    static let header = HTTPField.Name("X-Tenant")

    /// The `X-Tenant` header, else the first label of a Host under `baseDomain`; lower-cased.
    static func requested(by request: Request, baseDomain: String) -> String? {
        if let header, let value = request.headers[header]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            return value.lowercased()
        }
        guard let authority = request.head.authority else { return nil }
        return subdomain(ofHost: authority, baseDomain: baseDomain)
    }

    /// `acme` for `acme.localhost:8080` under `localhost`; nil for the bare domain, other domains
    /// and nested subdomains.
    static func subdomain(ofHost authority: String, baseDomain: String) -> String? {
        var host = authority.lowercased()
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = String(host[..<colon]) }
        if host.hasSuffix(".") { host.removeLast() }
        let suffix = "." + baseDomain
        guard host.hasSuffix(suffix) else { return nil }
        let label = String(host.dropLast(suffix.count))
        guard !label.isEmpty, !label.contains(".") else { return nil }
        return label
    }

    /// Whether `name` could be a subdomain the registry holds (its CHECK allows no other), so
    /// anything else is turned away without a lookup.
    static func isPlausible(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), name.first != "-", name.last != "-" else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}
