import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// `/companies` of the current tenant.
struct CompanyRoutes<Context: RequestContext> {
    let services: CRMServices

    private var companies: CompaniesQueries { CompaniesQueries(services.database) }

    /// The fields a client sends to create or replace a company.
    struct CompanyInput: Decodable {
        var name: String
        var domain: String?
        var industry: String?
        var employeeCount: Int32?
        var website: String?
        var phone: String?
        var address: JSONValue?
        var customFields: JSONValue?
        var ownerID: UUID?

        func checked() throws -> CompanyInput {
            var input = self
            input.name = try InputCheck.text(name, "name")
            input.domain = try InputCheck.optionalText(domain, "domain")?.lowercased()
            input.industry = try InputCheck.optionalText(industry, "industry", maximum: 100)
            input.website = try InputCheck.optionalText(website, "website", maximum: 500)
            input.phone = try InputCheck.optionalText(phone, "phone", maximum: 50)
            if let employeeCount { _ = try InputCheck.number(employeeCount, "employeeCount", in: 0...10_000_000) }
            try InputCheck.object(customFields, "customFields")
            try InputCheck.object(address, "address")
            return input
        }
    }

    func add(to group: RouterGroup<Context>) {
        group.post("companies") { request, context in
            let input = try await request.decodeJSON(CompanyInput.self, context: context).checked()
            let params = CompaniesQueries.CreateCompanyParams(
                name: input.name, domain: input.domain, industry: input.industry, employeeCount: input.employeeCount,
                website: input.website, phone: input.phone, address: input.address,
                customFields: input.customFields ?? .object([:]), ownerID: input.ownerID)
            let company = try await companies.createCompany(params)
            return JSONResponse(company, status: .created)
        }
        group.get("companies") { request, _ in
            let page = try Paging(request)
            let rows = try await companies.listCompanies(pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("companies/search") { request, _ in
            let query = try InputCheck.text(try request.requireQuery("q"), "q")
            let page = try Paging(request, defaultLimit: 20)
            return JSONResponse(ItemsPage(try await companies.searchCompanies(query: query, pageSize: page.limit)))
        }
        group.get("companies/overview") { request, _ in
            let page = try Paging(request)
            let rows = try await companies.companyOverview(pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("companies/:id") { _, context in
            guard let company = try await companies.getCompany(id: try context.uuid("id")) else {
                throw APIError.notFound("company")
            }
            return JSONResponse(company)
        }
        group.put("companies/:id") { request, context in
            let id = try context.uuid("id")
            let input = try await request.decodeJSON(CompanyInput.self, context: context).checked()
            let params = CompaniesQueries.UpdateCompanyParams(
                name: input.name, domain: input.domain, industry: input.industry, employeeCount: input.employeeCount,
                website: input.website, phone: input.phone, address: input.address, ownerID: input.ownerID, id: id)
            guard let company = try await companies.updateCompany(params) else { throw APIError.notFound("company") }
            return JSONResponse(company)
        }
        group.delete("companies/:id") { _, context in
            guard try await companies.deleteCompany(id: try context.uuid("id")) == 1 else {
                throw APIError.notFound("company")
            }
            return NoContent()
        }
        group.get("companies/:id/contacts") { _, context in
            let rows = try await ContactsQueries(services.database).listContactsByCompany(
                companyID: try context.uuid("id"))
            return JSONResponse(ItemsPage(rows))
        }
    }
}
