import Foundation
import SQLGenRuntime

/// Checks of request fields, each failing with a 400 that names the field.
enum InputCheck {
    /// Trimmed text that is not blank and not longer than `maximum` characters.
    static func text(_ value: String, _ field: String, maximum: Int = 255) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw APIError.invalid(field, "must not be blank") }
        guard trimmed.count <= maximum else { throw APIError.invalid(field, "is longer than \(maximum) characters") }
        return trimmed
    }

    /// Like ``text(_:_:maximum:)``, with absent and blank both meaning no value.
    static func optionalText(_ value: String?, _ field: String, maximum: Int = 255) throws -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try text(value, field, maximum: maximum)
    }

    /// An email address: one `@` with text on both sides and a dot in the domain, no spaces.
    static func email(_ value: String, _ field: String = "email") throws -> String {
        let email = try text(value, field)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else { throw APIError.invalid(field, "is not an email address") }
        return email
    }

    static func optionalEmail(_ value: String?, _ field: String = "email") throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        return try email(value, field)
    }

    /// A password long enough to be worth hashing (bcrypt reads at most 72 bytes).
    static func password(_ value: String, _ field: String = "password") throws -> String {
        guard value.count >= 10 else { throw APIError.invalid(field, "must be at least 10 characters") }
        guard value.utf8.count <= 72 else { throw APIError.invalid(field, "must be at most 72 bytes") }
        return value
    }

    /// A whole number in `range`.
    static func number<N: BinaryInteger>(_ value: N, _ field: String, in range: ClosedRange<N>) throws -> N {
        guard range.contains(value) else {
            throw APIError.invalid(field, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// A JSON object, when there is a value at all.
    static func object(_ value: JSONValue?, _ field: String) throws {
        guard let value else { return }
        guard case .object = value else { throw APIError.invalid(field, "must be a JSON object") }
    }

    /// A calendar date written `YYYY-MM-DD`, a day that exists (not `2027-02-30`).
    static func date(_ text: String, _ field: String) throws -> SQLDate {
        guard let date = SQLDate(text) else { throw APIError.invalid(field, "is not a date written YYYY-MM-DD") }
        return try existingDate(date, field)
    }

    /// A date decoded from a body (which reads any day 1 to 31 of a month), checked to exist.
    static func existingDate(_ date: SQLDate, _ field: String) throws -> SQLDate {
        guard CalendarText.exists(year: date.year, month: date.month, day: date.day) else {
            throw APIError.invalid(field, "is not a day of the calendar: \"\(date)\"")
        }
        return date
    }
}
