import Foundation
import Hummingbird

/// The request context of the CRM's routes: Hummingbird's basic context, with JSON written with
/// sorted keys (stable output, readable diffs) and ISO 8601 dates both ways.
public struct CRMRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
