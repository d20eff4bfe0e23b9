import Foundation
import Hummingbird

/// The request context of the CRM's routes: Hummingbird's basic context, with JSON written with
/// sorted keys (stable output, readable diffs) and ISO 8601 dates both ways; timestamps in requests
/// are read strictly (``CalendarText/timestamp(_:)``), a bad one a 400 naming its field.
public struct CRMRequestContext: RequestContext {
    /// What Hummingbird keeps for every request: the logger (with the request id), path and parameters.
    public var coreContext: CoreRequestContextStorage

    /// The context of a request the application has just received.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The decoder of request bodies: timestamps must be RFC 3339 and name a day that exists.
    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(Self.decodeTimestamp)
        return decoder
    }

    /// The encoder of response bodies: sorted keys, ISO 8601 dates.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension CRMRequestContext {
    /// A timestamp field of a request body; anything else is a 400 naming the field.
    static func decodeTimestamp(_ decoder: any Swift.Decoder) throws -> Date {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarText.timestamp(text) else {
            throw APIError.invalid(
                APIError.fieldPath(decoder.codingPath),
                "is not a date and time written like 2030-01-31T09:30:00Z: \"\(text)\"")
        }
        return date
    }
}
