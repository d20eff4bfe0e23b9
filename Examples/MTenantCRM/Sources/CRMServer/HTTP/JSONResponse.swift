import Hummingbird

/// Any encodable value as a JSON response with a status (`200 OK` unless said otherwise).
///
/// Lets handlers return generated models and rows as they are, without making them conform to
/// Hummingbird's protocols.
public struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var value: Value

    public init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        return response
    }
}

/// A list response: `{"items": [...]}` with the page it is, so lists can grow fields later.
public struct ItemsPage<Item: Encodable & Sendable>: Encodable, Sendable {
    public var items: [Item]
    public var limit: Int?
    public var offset: Int?

    public init(_ items: [Item], page: Paging? = nil) {
        self.items = items
        self.limit = page?.limit
        self.offset = page?.offset
    }
}

/// `204 No Content`.
public struct NoContent: ResponseGenerator {
    public init() {}
    public func response(from request: Request, context: some RequestContext) -> Response {
        Response(status: .noContent)
    }
}
