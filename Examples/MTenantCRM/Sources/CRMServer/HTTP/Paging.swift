import Hummingbird

/// `?limit=&offset=` of a list endpoint, checked: limit 1...200 (50 when absent), offset ≥ 0.
public struct Paging: Sendable, Equatable {
    public var limit: Int
    public var offset: Int

    public static let maximumLimit = 200

    public init(limit: Int = 50, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    init(_ request: Request, defaultLimit: Int = 50) throws {
        limit = try request.query("limit", as: "a whole number") { Int($0) } ?? defaultLimit
        offset = try request.query("offset", as: "a whole number") { Int($0) } ?? 0
        guard (1...Self.maximumLimit).contains(limit) else {
            throw APIError.invalid("limit", "must be between 1 and \(Self.maximumLimit)")
        }
        guard offset >= 0 else { throw APIError.invalid("offset", "must not be negative") }
    }
}
