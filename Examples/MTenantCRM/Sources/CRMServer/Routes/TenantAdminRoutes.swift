import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// `/admin/...`: the tenant registry and plans, in the shared schema (global-scope queries).
///
/// These run without a tenant; a deployment puts them behind its operators' authentication.
struct TenantAdminRoutes<Context: RequestContext> {
    let services: CRMServices

    private var tenants: TenantsQueries { TenantsQueries(services.database) }

    struct CreateTenantInput: Decodable {
        var name: String
        var subdomain: String
        var plan: String?
        var settings: JSONValue?
    }

    struct PlanInput: Decodable {
        var plan: String
    }

    struct SettingsInput: Decodable {
        var settings: JSONValue
    }

    func add(to group: RouterGroup<Context>) {
        group.get("plans") { _, _ in
            JSONResponse(ItemsPage(try await tenants.listPlans()))
        }
        group.post("tenants", use: createTenant)
        group.get("tenants") { request, _ in
            let page = try Paging(request)
            let status = try request.query("status", as: "active, suspended or deleted") {
                TenantStatus(rawValue: $0)
            }
            let rows = try await tenants.listTenants(
                status: status, pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("tenants/stats") { _, _ in
            JSONResponse(ItemsPage(try await tenants.countTenantsByStatus()))
        }
        // By id or by subdomain.
        group.get("tenants/:tenant") { _, context in
            let key = try context.parameters.require("tenant")
            let found =
                if let id = UUID(uuidString: key) {
                    try await tenants.getTenantByID(id: id)
                } else {
                    try await tenants.getTenantBySubdomain(subdomain: key.lowercased())
                }
            guard let tenant = found else { throw APIError.notFound("tenant") }
            return JSONResponse(tenant)
        }
        group.post("tenants/:tenant/suspend") { _, context in
            let id = try context.uuid("tenant")
            guard let tenant = try await tenants.suspendTenant(id: id) else {
                throw APIError.conflict("the tenant does not exist or is not active")
            }
            services.database.registry.invalidateAll()
            return JSONResponse(tenant)
        }
        group.post("tenants/:tenant/reactivate") { _, context in
            let id = try context.uuid("tenant")
            guard let tenant = try await tenants.reactivateTenant(id: id) else {
                throw APIError.conflict("the tenant does not exist or is not suspended")
            }
            services.database.registry.invalidateAll()
            return JSONResponse(tenant)
        }
        // Drops the tenant's schema and marks it deleted (its registry row stays, for the record).
        group.delete("tenants/:tenant") { _, context in
            let id = try context.uuid("tenant")
            guard try await tenants.getTenantByID(id: id) != nil else { throw APIError.notFound("tenant") }
            try await services.provisioner.delete(id: id)
            return NoContent()
        }
        group.put("tenants/:tenant/plan") { request, context in
            let id = try context.uuid("tenant")
            let input = try await request.decodeJSON(PlanInput.self, context: context)
            guard let tenant = try await tenants.updateTenantPlan(plan: input.plan, id: id) else {
                throw APIError.notFound("tenant")
            }
            return JSONResponse(tenant)
        }
        group.patch("tenants/:tenant/settings") { request, context in
            let id = try context.uuid("tenant")
            let input = try await request.decodeJSON(SettingsInput.self, context: context)
            try InputCheck.object(input.settings, "settings")
            guard let tenant = try await tenants.updateTenantSettings(settings: input.settings, id: id) else {
                throw APIError.notFound("tenant")
            }
            return JSONResponse(tenant)
        }
    }

    /// Registers the tenant and builds its schema (one transaction), then sets its plan and settings.
    @Sendable func createTenant(_ request: Request, context: Context) async throws -> JSONResponse<Tenant> {
        let input = try await request.decodeJSON(CreateTenantInput.self, context: context)
        let name = try InputCheck.text(input.name, "name")
        let subdomain = input.subdomain.lowercased()
        guard TenantName.isPlausible(subdomain) else {
            throw APIError.invalid("subdomain", "must be 1 to 63 lower-case letters, digits and inner hyphens")
        }
        try InputCheck.object(input.settings, "settings")
        if let plan = input.plan {
            guard try await tenants.listPlans().contains(where: { $0.code == plan }) else {
                throw APIError.invalid("plan", "is not a plan: see GET /admin/plans")
            }
        }
        if try await tenants.getTenantBySubdomain(subdomain: subdomain) != nil {
            throw APIError.conflict("the subdomain is taken", field: "subdomain")
        }
        let created = try await services.provisioner.createTenant(name: name, subdomain: subdomain)
        if let plan = input.plan {
            _ = try await tenants.updateTenantPlan(plan: plan, id: created.id)
        }
        if let settings = input.settings {
            _ = try await tenants.updateTenantSettings(settings: settings, id: created.id)
        }
        guard let tenant = try await tenants.getTenantByID(id: created.id) else { throw APIError.notFound("tenant") }
        return JSONResponse(tenant, status: .created)
    }
}
