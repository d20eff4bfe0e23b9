import CRMDatabase
import Foundation
import Hummingbird
import SQLGenRuntime

/// `/deals` of the current tenant: CRUD, stage moves with history, the pipeline summary,
/// deals closing in a date range, deals by owner, and win/loss by month.
struct DealRoutes<Context: RequestContext> {
    let services: CRMServices

    private var deals: DealsQueries { DealsQueries(services.database) }

    /// The fields a client sends to create or replace a deal (the stage moves through its own endpoint).
    struct DealInput: Decodable {
        var title: String
        var contactID: UUID?
        var companyID: UUID?
        var stage: DealStage?
        var amount: Decimal
        var currency: String?
        var probability: Int16?
        var expectedCloseDate: SQLDate?
        var ownerID: UUID?

        func checked() throws -> DealInput {
            var input = self
            input.title = try InputCheck.text(title, "title")
            guard amount >= 0 else { throw APIError.invalid("amount", "must not be negative") }
            let currency = (currency ?? "USD").uppercased()
            guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw APIError.invalid("currency", "must be a three-letter ISO 4217 code")
            }
            input.currency = currency
            input.probability = try InputCheck.number(probability ?? 10, "probability", in: 0...100)
            input.expectedCloseDate = try expectedCloseDate.map { try InputCheck.existingDate($0, "expectedCloseDate") }
            return input
        }
    }

    struct MoveInput: Decodable {
        var stage: DealStage
        var lostReason: String?
        var changedBy: UUID?
    }

    func add(to group: RouterGroup<Context>) {
        group.post("deals") { request, context in
            let input = try await request.decodeJSON(DealInput.self, context: context).checked()
            let params = DealsQueries.CreateDealParams(
                title: input.title, contactID: input.contactID, companyID: input.companyID,
                stage: input.stage ?? .lead, amount: input.amount, currency: input.currency ?? "USD",
                probability: input.probability ?? 10, expectedCloseDate: input.expectedCloseDate,
                ownerID: input.ownerID)
            let deal = try await deals.createDeal(params)
            return JSONResponse(deal, status: .created)
        }
        group.get("deals") { request, _ in
            let stage = try request.query("stage", as: "a deal stage") { DealStage(rawValue: $0) }
            guard let stage else { throw APIError.invalid("stage", "is required") }
            let page = try Paging(request)
            let rows = try await deals.listDealsByStage(
                stage: stage, pageSize: page.limit, pageOffset: page.offset)
            return JSONResponse(ItemsPage(rows, page: page))
        }
        group.get("deals/pipeline") { _, _ in
            JSONResponse(ItemsPage(try await deals.pipelineSummary()))
        }
        group.get("deals/closing") { request, _ in
            let from = try InputCheck.date(try request.requireQuery("from"), "from")
            let to = try InputCheck.date(try request.requireQuery("to"), "to")
            guard from <= to else { throw APIError.invalid("to", "must not be before from") }
            return JSONResponse(ItemsPage(try await deals.listDealsClosingBetween(fromDate: from, toDate: to)))
        }
        group.get("deals/win-loss") { _, _ in
            JSONResponse(ItemsPage(try await deals.winLossByMonth()))
        }
        group.get("deals/:id") { _, context in
            guard let deal = try await deals.getDeal(id: try context.uuid("id")) else {
                throw APIError.notFound("deal")
            }
            return JSONResponse(deal)
        }
        group.put("deals/:id") { request, context in
            let id = try context.uuid("id")
            let input = try await request.decodeJSON(DealInput.self, context: context).checked()
            let params = DealsQueries.UpdateDealParams(
                title: input.title, contactID: input.contactID, companyID: input.companyID, amount: input.amount,
                currency: input.currency ?? "USD", probability: input.probability ?? 10,
                expectedCloseDate: input.expectedCloseDate, ownerID: input.ownerID, id: id)
            guard let deal = try await deals.updateDeal(params) else { throw APIError.notFound("deal") }
            return JSONResponse(deal)
        }
        group.delete("deals/:id") { _, context in
            guard try await deals.deleteDeal(id: try context.uuid("id")) == 1 else { throw APIError.notFound("deal") }
            return NoContent()
        }
        // Moves the stage and records the move in the history, in one statement; a move to the stage
        // the deal is in changes nothing and answers the deal as it is.
        group.post("deals/:id/stage") { request, context in
            let id = try context.uuid("id")
            let input = try await request.decodeJSON(MoveInput.self, context: context)
            let reason = try InputCheck.optionalText(input.lostReason, "lostReason", maximum: 500)
            guard
                let moved = try await deals.moveDealStage(
                    id: id, stage: input.stage, lostReason: reason, changedBy: input.changedBy)
            else { throw APIError.notFound("deal") }
            return JSONResponse(moved)
        }
        group.get("deals/:id/history") { _, context in
            JSONResponse(ItemsPage(try await deals.listDealStageHistory(dealID: try context.uuid("id"))))
        }
        group.get("users/:id/deals") { _, context in
            JSONResponse(ItemsPage(try await deals.listDealsByOwner(ownerID: try context.uuid("id"))))
        }
    }
}
