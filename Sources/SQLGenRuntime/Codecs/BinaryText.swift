/// The text PostgreSQL writes for values of the types ``BinaryResults`` does not request in binary,
/// rendered from their binary form: an executor that receives every column in binary (PostgresNIO
/// does) hands the text decoders the same characters a text result holds, under the session
/// settings the codecs read values in (``PostgresConfiguration/requiredSessionSettings``).
enum BinaryText {
    static let char: UInt32 = 18
    static let oid: UInt32 = 26
    static let xid: UInt32 = 28
    static let cid: UInt32 = 29
    static let json: UInt32 = 114
    static let xml: UInt32 = 142
    static let cidr: UInt32 = 650
    static let money: UInt32 = 790
    static let macaddr8: UInt32 = 774
    static let macaddr: UInt32 = 829
    static let inet: UInt32 = 869
    static let time: UInt32 = 1083
    static let interval: UInt32 = 1186
    static let timetz: UInt32 = 1266
    static let bit: UInt32 = 1560
    static let varbit: UInt32 = 1562
    static let jsonb: UInt32 = 3802
    static let record: UInt32 = 2249

    /// Built-in types whose binary form is neither text nor rendered here: a value of one fails to
    /// decode with a message that says so, rather than as unreadable bytes.
    static let unrendered: [UInt32: String] = [
        24: "regproc", 600: "point", 601: "lseg", 602: "path", 603: "box", 604: "polygon", 628: "line",
        718: "circle", 2202: "regprocedure", 2203: "regoper", 2204: "regoperator", 2205: "regclass",
        2206: "regtype", 3220: "pg_lsn", 3614: "tsvector", 3615: "tsquery", 3734: "regconfig",
        3769: "regdictionary", 4089: "regnamespace", 4096: "regrole", 2970: "txid_snapshot",
        5038: "pg_snapshot", 4600: "pg_brin_bloom_summary",
    ]

    /// The types ``render(_:)`` writes (a value of one it cannot render is malformed).
    static let renderedTypes: Set<UInt32> = Set(
        [oid, xid, cid, char, jsonb, record, money, time, timetz, interval, inet, cidr, macaddr, macaddr8, bit, varbit]
            + Array(rangeSubtypes.keys) + Array(arrayElements.keys))

    /// The subtype of each built-in range type.
    static let rangeSubtypes: [UInt32: UInt32] = [
        3904: BinaryResults.int4, 3926: BinaryResults.int8, 3906: BinaryResults.numeric,
        3908: BinaryResults.timestamp, 3910: BinaryResults.timestamptz, 3912: BinaryResults.date,
    ]

    /// The element type of each built-in array type rendered here.
    static let arrayElements: [UInt32: UInt32] = [
        1000: BinaryResults.bool, 1001: BinaryResults.bytea, 1002: char, 1003: BinaryResults.name,
        1005: BinaryResults.int2, 1007: BinaryResults.int4, 1009: BinaryResults.text, 1014: BinaryResults.bpchar,
        1015: BinaryResults.varchar, 1016: BinaryResults.int8, 1021: BinaryResults.float4,
        1022: BinaryResults.float8, 1028: oid, 1040: macaddr, 1041: inet, 651: cidr, 143: xml, 199: json,
        1115: BinaryResults.timestamp, 1182: BinaryResults.date, 1183: time, 1185: BinaryResults.timestamptz,
        1187: interval, 1231: BinaryResults.numeric, 1270: timetz, 1561: bit, 1563: varbit,
        2951: BinaryResults.uuid, 3807: jsonb, 3905: 3904, 3907: 3906, 3909: 3908, 3911: 3910, 3913: 3912,
        3927: 3926, 791: money, 1010: 27, 1011: xid, 1012: cid,
    ]

    /// The text of a value of one of the types rendered here, or nil for any other type.
    static func render(_ value: SQLBinaryValue) -> String? {
        let bytes = value.bytes
        switch value.type {
        case oid, xid, cid: return value.bigEndian(UInt32.self).map { String($0) }
        case char: return charText(bytes)
        case jsonb: return bytes.first == 1 ? String(decoding: bytes.dropFirst(), as: UTF8.self) : nil
        case money: return value.bigEndian(Int64.self).map(moneyText)
        case time: return value.bigEndian(Int64.self).map(timeText)
        case timetz: return timeWithZoneText(value)
        case interval: return intervalText(value)
        case inet, cidr: return InetText.text(bytes)
        case macaddr, macaddr8: return bytes.map { hexByte($0) }.joined(separator: ":")
        case bit, varbit: return bitText(bytes)
        case record: return BinaryArrayText.recordText(bytes)
        default:
            if let subtype = rangeSubtypes[value.type] { return rangeText(bytes, subtype: subtype) }
            if arrayElements[value.type] != nil { return BinaryArrayText.text(bytes) }
            return nil
        }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    /// `"char"`: the byte, or `\ooo` for one with the high bit set, or nothing for zero.
    private static func charText(_ bytes: UnsafeRawBufferPointer) -> String {
        guard let byte = bytes.first, byte != 0 else { return "" }
        guard byte >= 128 else { return String(UnicodeScalar(byte)) }
        return "\\" + String(byte >> 6) + String((byte >> 3) & 7) + String(byte & 7)
    }

    /// `money` as the C locale writes it: `-$1,234.56`.
    private static func moneyText(_ cents: Int64) -> String {
        let magnitude = cents.magnitude
        let whole = String(magnitude / 100)
        var grouped = ""
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        let fraction = magnitude % 100
        return (cents < 0 ? "-$" : "$") + grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// Seconds with their fraction's digits up to six, trailing zeros dropped: `6`, `6.5`.
    private static func seconds(_ whole: Int64, microseconds: Int64) -> String {
        guard microseconds != 0 else { return String(whole) }
        let digits = String(microseconds + 1_000_000).dropFirst()
        return String(whole) + "." + digits.reversed().drop { $0 == "0" }.reversed()
    }

    /// `time`: `HH:MM:SS[.ffffff]`.
    private static func timeText(_ microseconds: Int64) -> String {
        let wholeSeconds = microseconds / 1_000_000
        let hours = Int(wholeSeconds / 3600)
        let minutes = Int(wholeSeconds % 3600 / 60)
        let second = wholeSeconds % 60
        let secondText = seconds(second, microseconds: microseconds % 1_000_000)
        return DateTimeText.twoDigits(hours) + ":" + DateTimeText.twoDigits(minutes) + ":"
            + (second < 10 ? "0" : "") + secondText
    }

    /// `timetz`: the time, then the zone east of UTC as `+HH[:MM[:SS]]` (the binary form holds
    /// seconds west).
    private static func timeWithZoneText(_ value: SQLBinaryValue) -> String? {
        guard value.bytes.count == 12 else { return nil }
        let microseconds = Int64(bigEndian: value.bytes.loadUnaligned(as: Int64.self))
        let west = Int32(bigEndian: value.bytes.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        let east = -Int(west)
        let magnitude = abs(east)
        var zone = (east < 0 ? "-" : "+") + DateTimeText.twoDigits(magnitude / 3600)
        if magnitude % 3600 != 0 {
            zone += ":" + DateTimeText.twoDigits(magnitude % 3600 / 60)
            if magnitude % 60 != 0 { zone += ":" + DateTimeText.twoDigits(magnitude % 60) }
        }
        return timeText(microseconds) + zone
    }

    /// `interval` as IntervalStyle `iso_8601` writes it: `P1Y2M3DT4H5M6.5S`, `PT0S` for zero.
    private static func intervalText(_ value: SQLBinaryValue) -> String? {
        guard value.bytes.count == 16 else { return nil }
        var time = Int64(bigEndian: value.bytes.loadUnaligned(as: Int64.self))
        let days = Int32(bigEndian: value.bytes.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        let months = Int32(bigEndian: value.bytes.loadUnaligned(fromByteOffset: 12, as: Int32.self))
        let hours = time / 3_600_000_000
        time -= hours * 3_600_000_000
        let minutes = time / 60_000_000
        time -= minutes * 60_000_000
        let second = time / 1_000_000
        let fraction = time - second * 1_000_000
        let years = months / 12
        let month = months % 12
        if years == 0, month == 0, days == 0, hours == 0, minutes == 0, time == 0 { return "PT0S" }
        func part(_ value: some BinaryInteger, _ unit: String) -> String { value == 0 ? "" : "\(value)\(unit)" }
        var text = "P" + part(years, "Y") + part(month, "M") + part(days, "D")
        if hours != 0 || minutes != 0 || time != 0 {
            text += "T" + part(hours, "H") + part(minutes, "M")
            if time != 0 {
                text +=
                    (second < 0 || fraction < 0 ? "-" : "") + seconds(abs(second), microseconds: abs(fraction)) + "S"
            }
        }
        return text
    }

    /// `bit` and `varbit`: the bit count, then the bits from the most significant of each byte.
    private static func bitText(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count >= 4 else { return nil }
        let count = Int(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
        guard count >= 0, (count + 7) / 8 <= bytes.count - 4 else { return nil }
        var text = ""
        text.reserveCapacity(count)
        for bit in 0..<count {
            text.append(bytes[4 + bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 ? "1" : "0")
        }
        return text
    }

    /// A built-in range: `empty`, or its bounds between `[`/`(` and `]`/`)`, each quoted where the
    /// server quotes it.
    private static func rangeText(_ bytes: UnsafeRawBufferPointer, subtype: UInt32) -> String? {
        guard let flags = bytes.first else { return nil }
        if flags & 0x01 != 0 { return "empty" }
        var offset = 1
        func bound(present: Bool) -> String? {
            guard present else { return "" }
            guard offset + 4 <= bytes.count else { return nil }
            let length = Int(Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            offset += 4
            guard length >= 0, offset + length <= bytes.count else { return nil }
            let text = BinaryResults.text(
                SQLBinaryValue(type: subtype, bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])))
            offset += length
            return quotedRangeBound(text)
        }
        guard let lower = bound(present: flags & 0x08 == 0), let upper = bound(present: flags & 0x10 == 0) else {
            return nil
        }
        return (flags & 0x02 != 0 ? "[" : "(") + lower + "," + upper + (flags & 0x04 != 0 ? "]" : ")")
    }

    private static func quotedRangeBound(_ text: String) -> String {
        let special: Set<Character> = ["\"", "\\", "(", ")", "[", "]", ","]
        guard text.isEmpty || text.contains(where: { special.contains($0) || $0.isWhitespace }) else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append(character) }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
