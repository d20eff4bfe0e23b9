import Foundation
import Hummingbird

extension Request {
    /// The JSON body as `T`; a body that does not fit is a 400 naming the field at fault.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        do {
            return try await context.requestDecoder.decode(type, from: self, context: context)
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }

    /// A query parameter, `nil` when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A required query parameter.
    func requireQuery(_ name: String) throws -> String {
        guard let value = query(name) else { throw APIError.invalid(name, "is required") }
        return value
    }

    /// A query parameter read by `parse`, a 400 naming it when it does not parse.
    func query<T>(_ name: String, as what: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = query(name) else { return nil }
        guard let value = parse(text) else { throw APIError.invalid(name, "is not \(what): \"\(text)\"") }
        return value
    }
}

extension RequestContext {
    /// The path parameter `name` as a UUID.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw APIError.invalid(name, "is not a UUID")
        }
        return id
    }
}

extension APIError {
    /// A 400 for a body that could not be decoded, naming the field (`address.city`, `tags[2]`).
    init(decoding error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self = .invalid(Self.fieldPath(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            self = .invalid(Self.fieldPath(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            self = .invalid(Self.fieldPath(context.codingPath), "has the wrong type (expected \(Self.typeName(type)))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .invalid("body", "is not a JSON object of the expected shape")
        case .dataCorrupted(let context):
            self = .invalid(Self.fieldPath(context.codingPath), "is not a valid value")
        @unknown default:
            self = .invalid("body", "could not be read")
        }
    }

    /// `address.city`, `tags[2]`: a coding path as the API names fields.
    static func fieldPath(_ keys: [any CodingKey]) -> String {
        var path = ""
        for key in keys {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return path.isEmpty ? "body" : path
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch String(describing: type) {
        case "String": "a string"
        case "Int", "Int16", "Int32", "Int64": "an integer"
        case "Double", "Decimal": "a number"
        case "Bool": "true or false"
        case let name where name.hasPrefix("Array"): "an array"
        case let name where name.hasPrefix("Dictionary"): "an object"
        case let name: name
        }
    }
}
