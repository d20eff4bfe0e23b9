import Foundation

/// Your own `Codable` type stored in a `json` or `jsonb` column.
///
/// Conform to it, and name the type in an override of `sqlgen.yaml`:
///
/// ```swift
/// struct ContactFields: Codable, Hashable, Sendable, SQLJSONCodable {
///     var linkedIn: String?
///     var birthday: String?
/// }
/// ```
/// ```yaml
/// overrides:
///   - column: contacts.custom_fields
///     swift_type: ContactFields
/// ```
public protocol SQLJSONCodable: Codable, SQLCodable {}

extension SQLJSONCodable {
    public func sqlText() -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Self {
        let text = try requireText(text)
        do {
            return try JSONDecoder().decode(Self.self, from: Data(text.utf8))
        } catch {
            throw SQLDecodingFailure("JSON does not decode as \(Self.self): \(error)")
        }
    }
}
