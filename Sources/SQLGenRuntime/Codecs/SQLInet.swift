/// An `inet` or `cidr` value: an IPv4 or IPv6 address, with its prefix length when given.
public struct SQLInet: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The address as PostgreSQL prints it (`192.168.0.1`, `2001:db8::1`).
    public var address: String
    /// The prefix length (`/24`), when written.
    public var prefixLength: Int?

    /// An address, with a prefix length or without.
    public init(address: String, prefixLength: Int? = nil) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// The address, with `/` and the prefix length when there is one.
    public var description: String { prefixLength.map { "\(address)/\($0)" } ?? address }
}

extension SQLInet: SQLCodable {
    public func sqlText() -> String? { description }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLInet {
        let text = try require(text)
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = parts.first, address.contains(".") || address.contains(":") else {
            throw .malformed(text, as: "inet")
        }
        if parts.count == 2 {
            guard let length = Int(parts[1]) else { throw .malformed(text, as: "inet") }
            return SQLInet(address: String(address), prefixLength: length)
        }
        return SQLInet(address: String(address))
    }
}
