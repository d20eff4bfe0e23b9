import Foundation

/// Parsing and printing of PostgreSQL's ISO date and time text (the session
/// runs with `DateStyle=ISO`, `TimeZone=UTC`, `IntervalStyle=iso_8601`).
enum DateTimeText {
    /// Reads `digits` decimal digits at `index`.
    static func number(_ bytes: [UInt8], _ index: inout Int, digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += digits
        return value
    }

    /// Reads one or more digits.
    static func variableNumber(_ bytes: [UInt8], _ index: inout Int) -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
        }
        return index > start ? value : nil
    }

    /// `YYYY-MM-DD` (years may have more digits; ` BC` suffix handled by the caller).
    static func date(_ bytes: [UInt8], _ index: inout Int) -> SQLDate? {
        guard let year = variableNumber(bytes, &index), index < bytes.count, bytes[index] == 45 else { return nil }
        index += 1
        guard let month = number(bytes, &index, digits: 2), index < bytes.count, bytes[index] == 45 else { return nil }
        index += 1
        guard let day = number(bytes, &index, digits: 2) else { return nil }
        return SQLDate(year: year, month: month, day: day)
    }

    /// `HH:MM:SS[.ffffff]`.
    static func time(_ bytes: [UInt8], _ index: inout Int) -> SQLTime? {
        guard let hour = number(bytes, &index, digits: 2), index < bytes.count, bytes[index] == 58 else { return nil }
        index += 1
        guard let minute = number(bytes, &index, digits: 2), index < bytes.count, bytes[index] == 58 else { return nil }
        index += 1
        guard let second = number(bytes, &index, digits: 2) else { return nil }
        var microsecond = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { microsecond = microsecond * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            while digits < 6 {
                microsecond *= 10
                digits += 1
            }
        }
        return SQLTime(hour: hour, minute: minute, second: second, microsecond: microsecond)
    }

    /// `+HH[:MM[:SS]]` or `-HH...`, in seconds east of UTC.
    static func offset(_ bytes: [UInt8], _ index: inout Int) -> Int? {
        guard index < bytes.count, bytes[index] == 43 || bytes[index] == 45 else { return nil }
        let sign = bytes[index] == 45 ? -1 : 1
        index += 1
        guard let hours = number(bytes, &index, digits: 2) else { return nil }
        var seconds = hours * 3600
        if index < bytes.count, bytes[index] == 58 {
            index += 1
            seconds += (number(bytes, &index, digits: 2) ?? 0) * 60
            if index < bytes.count, bytes[index] == 58 {
                index += 1
                seconds += number(bytes, &index, digits: 2) ?? 0
            }
        }
        return sign * seconds
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func fraction(_ microsecond: Int) -> String {
        guard microsecond > 0 else { return "" }
        let text = String(microsecond)
        return "." + String(repeating: "0", count: 6 - text.count) + text
    }
}

/// A calendar date without a time (`date`). In JSON it is the string `YYYY-MM-DD`.
public struct SQLDate: Hashable, Sendable, Comparable, LosslessStringConvertible {
    /// The year.
    public var year: Int
    /// The month, from 1 (January).
    public var month: Int
    /// The day of the month.
    public var day: Int

    /// A date of the proleptic Gregorian calendar.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`, the year padded to four digits.
    public var description: String {
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-"
            + DateTimeText.twoDigits(month)
            + "-" + DateTimeText.twoDigits(day)
    }

    /// Whether `lhs` is an earlier date than `rhs`.
    public static func < (lhs: SQLDate, rhs: SQLDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension SQLDate: Codable {
    /// A date written `YYYY-MM-DD` (years of more than four digits allowed), nil for anything else.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        var index = 0
        guard let date = DateTimeText.date(bytes, &index), index == bytes.count, (1...12).contains(date.month),
            (1...31).contains(date.day)
        else { return nil }
        self = date
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = SQLDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a date written YYYY-MM-DD")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension SQLDate: SQLCodable {
    public func sqlText() -> String? { description }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLDate {
        let text = try require(text)
        let bytes = Array(text.utf8)
        var index = 0
        guard let date = DateTimeText.date(bytes, &index), index == bytes.count else {
            throw .malformed(text, as: "date (infinite and BC dates need a String column)")
        }
        return date
    }
}

/// A time of day without a date (`time`).
public struct SQLTime: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The hour.
    public var hour: Int
    /// The minute.
    public var minute: Int
    /// The second.
    public var second: Int
    /// The fraction of the second, in microseconds.
    public var microsecond: Int

    /// A time of day.
    public init(hour: Int, minute: Int, second: Int, microsecond: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// `HH:MM:SS`, with the microseconds when there are any.
    public var description: String {
        DateTimeText.twoDigits(hour) + ":" + DateTimeText.twoDigits(minute) + ":" + DateTimeText.twoDigits(second)
            + DateTimeText.fraction(microsecond)
    }

    /// Whether `lhs` is an earlier time of day than `rhs`.
    public static func < (lhs: SQLTime, rhs: SQLTime) -> Bool {
        (lhs.hour, lhs.minute, lhs.second, lhs.microsecond) < (rhs.hour, rhs.minute, rhs.second, rhs.microsecond)
    }
}

extension SQLTime: SQLCodable {
    public func sqlText() -> String? { description }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLTime {
        let text = try require(text)
        let bytes = Array(text.utf8)
        var index = 0
        guard let time = DateTimeText.time(bytes, &index), index == bytes.count else {
            throw .malformed(text, as: "time")
        }
        return time
    }
}

/// A time of day with a UTC offset (`time with time zone`).
public struct SQLTimeWithTimeZone: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The local time of day.
    public var time: SQLTime
    /// Seconds east of UTC.
    public var offsetSeconds: Int

    /// A time of day at an offset of `offsetSeconds` east of UTC.
    public init(time: SQLTime, offsetSeconds: Int) {
        self.time = time
        self.offsetSeconds = offsetSeconds
    }

    /// The time and the UTC offset (`+HH` or `+HH:MM`).
    public var description: String {
        let magnitude = abs(offsetSeconds)
        var text = time.description + (offsetSeconds < 0 ? "-" : "+") + DateTimeText.twoDigits(magnitude / 3600)
        if magnitude % 3600 != 0 { text += ":" + DateTimeText.twoDigits(magnitude % 3600 / 60) }
        return text
    }
}

extension SQLTimeWithTimeZone: SQLCodable {
    public func sqlText() -> String? { description }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLTimeWithTimeZone {
        let text = try require(text)
        let bytes = Array(text.utf8)
        var index = 0
        guard let time = DateTimeText.time(bytes, &index), let offset = DateTimeText.offset(bytes, &index),
            index == bytes.count
        else { throw .malformed(text, as: "time with time zone") }
        return SQLTimeWithTimeZone(time: time, offsetSeconds: offset)
    }
}

extension Date: SQLCodable {
    /// `timestamptz` text in UTC, to the microsecond.
    public func sqlText() -> String? {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(32)
        appendText(to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The same text written straight into COPY's buffer (it needs no escaping).
    public func appendCopyField(to buffer: inout [UInt8]) {
        appendText(to: &buffer)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]+00`, `infinity` or `-infinity`; years outside 1...9999 through
    /// ``SQLDate`` and ``SQLTime``.
    private func appendText(to buffer: inout [UInt8]) {
        if self == .distantFuture || self == .distantPast {
            buffer.append(contentsOf: (self == .distantFuture ? "infinity" : "-infinity").utf8)
            return
        }
        let parts = utcParts
        guard (1...9999).contains(parts.year) else {
            let date = SQLDate(year: parts.year, month: parts.month, day: parts.day)
            let time = SQLTime(
                hour: parts.hour, minute: parts.minute, second: parts.second, microsecond: parts.microsecond)
            buffer.append(contentsOf: "\(date) \(time)+00".utf8)
            return
        }
        CopyText.appendDigits(parts.year, width: 4, to: &buffer)
        buffer.append(45)
        CopyText.appendDigits(parts.month, width: 2, to: &buffer)
        buffer.append(45)
        CopyText.appendDigits(parts.day, width: 2, to: &buffer)
        buffer.append(32)
        CopyText.appendDigits(parts.hour, width: 2, to: &buffer)
        buffer.append(58)
        CopyText.appendDigits(parts.minute, width: 2, to: &buffer)
        buffer.append(58)
        CopyText.appendDigits(parts.second, width: 2, to: &buffer)
        if parts.microsecond != 0 {
            buffer.append(46)
            CopyText.appendDigits(parts.microsecond, width: 6, to: &buffer)
        }
        buffer.append(contentsOf: [43, 48, 48])  // +00
    }

    /// The UTC calendar date and time of day, to the microsecond.
    private var utcParts: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) {
        let totalMicroseconds = (timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int64((totalMicroseconds / 1_000_000).rounded(.down))
        let microsecond = Int(Int64(totalMicroseconds) - seconds * 1_000_000)
        var days = seconds / 86_400
        seconds -= days * 86_400
        if seconds < 0 {
            seconds += 86_400
            days -= 1
        }
        let date = CivilDate.fromDays(days)
        return (
            date.year, date.month, date.day, Int(seconds / 3600), Int(seconds % 3600 / 60), Int(seconds % 60),
            microsecond
        )
    }

    /// `timestamptz` (with an offset) or `timestamp` (taken as UTC).
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> Date {
        let text = try require(text)
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        let bytes = Array(text.utf8)
        var index = 0
        guard let date = DateTimeText.date(bytes, &index), index < bytes.count, bytes[index] == 32 || bytes[index] == 84
        else { throw .malformed(text, as: "timestamp") }
        index += 1
        guard let time = DateTimeText.time(bytes, &index) else { throw .malformed(text, as: "timestamp") }
        let offset = DateTimeText.offset(bytes, &index) ?? 0
        guard index == bytes.count else { throw .malformed(text, as: "timestamp") }
        let days = CivilDate.days(year: date.year, month: date.month, day: date.day)
        let seconds = Double(days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second - offset))
        return Date(timeIntervalSince1970: seconds + Double(time.microsecond) / 1_000_000)
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithms).
enum CivilDate {
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func fromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}

/// An `interval`: months, days and microseconds, kept apart as PostgreSQL keeps them.
/// In JSON it is its ISO 8601 text (`P1DT2H`).
public struct SQLInterval: Hashable, Sendable, CustomStringConvertible {
    /// Whole months.
    public var months: Int32
    /// Whole days.
    public var days: Int32
    /// Microseconds of time.
    public var microseconds: Int64

    /// An interval of months, days and microseconds.
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }

    /// An interval of seconds.
    public static func seconds(_ seconds: Double) -> SQLInterval {
        SQLInterval(microseconds: Int64((seconds * 1_000_000).rounded()))
    }

    /// ISO 8601, as PostgreSQL reads and (with `IntervalStyle=iso_8601`) writes it.
    public var description: String {
        if months == 0, days == 0, microseconds == 0 { return "PT0S" }
        var text = "P"
        if months / 12 != 0 { text += "\(months / 12)Y" }
        if months % 12 != 0 { text += "\(months % 12)M" }
        if days != 0 { text += "\(days)D" }
        if microseconds != 0 {
            text += "T"
            let negative = microseconds < 0
            let magnitude = negative ? -microseconds : microseconds
            let hours = magnitude / 3_600_000_000
            let minutes = magnitude % 3_600_000_000 / 60_000_000
            let seconds = magnitude % 60_000_000
            let sign = negative ? "-" : ""
            if hours != 0 { text += "\(sign)\(hours)H" }
            if minutes != 0 { text += "\(sign)\(minutes)M" }
            if seconds != 0 {
                text += "\(sign)\(seconds / 1_000_000)" + DateTimeText.fraction(Int(seconds % 1_000_000)) + "S"
            }
        }
        return text
    }
}

extension SQLInterval: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try SQLInterval.decode(sqlText: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an ISO 8601 interval")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension SQLInterval: SQLCodable {
    public func sqlText() -> String? { description }
    public static func decode(sqlText text: String?) throws(SQLDecodingFailure) -> SQLInterval {
        let text = try require(text)
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "P") else { throw .malformed(text, as: "interval") }
        var interval = SQLInterval()
        var index = 1
        var inTime = false
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "T") {
                inTime = true
                index += 1
                continue
            }
            var negative = false
            if bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            guard let whole = DateTimeText.variableNumber(bytes, &index) else { throw .malformed(text, as: "interval") }
            var fraction: Int64 = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 6 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                while digits < 6 {
                    fraction *= 10
                    digits += 1
                }
            }
            guard index < bytes.count else { throw .malformed(text, as: "interval") }
            let sign: Int64 = negative ? -1 : 1
            let value = Int64(whole) * sign
            switch (bytes[index], inTime) {
            case (UInt8(ascii: "Y"), false): interval.months += Int32(value * 12)
            case (UInt8(ascii: "M"), false): interval.months += Int32(value)
            case (UInt8(ascii: "W"), false): interval.days += Int32(value * 7)
            case (UInt8(ascii: "D"), false): interval.days += Int32(value)
            case (UInt8(ascii: "H"), true): interval.microseconds += value * 3_600_000_000
            case (UInt8(ascii: "M"), true): interval.microseconds += value * 60_000_000
            case (UInt8(ascii: "S"), true): interval.microseconds += value * 1_000_000 + sign * fraction
            default: throw .malformed(text, as: "interval")
            }
            index += 1
        }
        return interval
    }
}
