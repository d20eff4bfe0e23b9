/// Arrays and records from their binary form: each element or field carries its own type (the
/// array's header names its element type; a record names each field's), so each is read as that
/// type, and the whole is written with the quoting the server's text output uses.
enum BinaryArrayText {
    /// One element of a binary array, or one field of a binary record: its type and bytes, or nil for NULL.
    struct Item {
        let type: UInt32
        let bytes: UnsafeRawBufferPointer?
    }

    /// A binary array's dimensions (each one's length and lower bound) and elements, in storage order.
    static func elements(
        _ bytes: UnsafeRawBufferPointer
    ) -> (dimensions: [(length: Int, lowerBound: Int)], items: [Item])? {
        var reader = BigEndianReader(bytes)
        guard let dimensionCount = reader.int32(), reader.int32() != nil, let elementType = reader.uint32(),
            dimensionCount >= 0, dimensionCount <= 6
        else { return nil }
        var dimensions: [(length: Int, lowerBound: Int)] = []
        var total = dimensionCount == 0 ? 0 : 1
        for _ in 0..<dimensionCount {
            guard let length = reader.int32(), let lowerBound = reader.int32(), length >= 0 else { return nil }
            dimensions.append((Int(length), Int(lowerBound)))
            total = total.multipliedReportingOverflow(by: Int(length)).partialValue
        }
        guard total <= bytes.count / 4 else { return nil }
        var items: [Item] = []
        items.reserveCapacity(total)
        for _ in 0..<total {
            guard let item = reader.item(type: elementType) else { return nil }
            items.append(item)
        }
        return reader.atEnd ? (dimensions, items) : nil
    }

    /// A binary record's fields.
    static func fields(_ bytes: UnsafeRawBufferPointer) -> [Item]? {
        var reader = BigEndianReader(bytes)
        guard let count = reader.int32(), count >= 0, Int(count) <= bytes.count / 8 else { return nil }
        var fields: [Item] = []
        fields.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let type = reader.uint32(), let field = reader.item(type: type) else { return nil }
            fields.append(field)
        }
        return reader.atEnd ? fields : nil
    }

    /// The text of an item: nil for NULL.
    static func text(of item: Item) -> String? {
        item.bytes.map { BinaryResults.text(SQLBinaryValue(type: item.type, bytes: $0)) }
    }

    /// An array's text: `{1,NULL,"a b"}`, nested for more dimensions, with `[2:3]=` in front when a
    /// lower bound is not 1.
    static func text(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let (dimensions, items) = elements(bytes) else { return nil }
        guard !dimensions.isEmpty, !items.isEmpty else { return "{}" }
        var output = ""
        if dimensions.contains(where: { $0.lowerBound != 1 }) {
            for dimension in dimensions {
                output += "[\(dimension.lowerBound):\(dimension.lowerBound + dimension.length - 1)]"
            }
            output += "="
        }
        var next = 0
        func write(_ level: Int) {
            output += "{"
            for index in 0..<dimensions[level].length {
                if index > 0 { output += "," }
                if level + 1 < dimensions.count {
                    write(level + 1)
                } else {
                    output += quotedElement(text(of: items[next]))
                    next += 1
                }
            }
            output += "}"
        }
        write(0)
        return output
    }

    /// A record's text: `(1,,"a b")`.
    static func recordText(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let fields = fields(bytes) else { return nil }
        return "(" + fields.map { field in text(of: field).map(quotedField) ?? "" }.joined(separator: ",") + ")"
    }

    private static func quotedElement(_ text: String?) -> String {
        guard let text else { return "NULL" }
        let special: Set<Character> = ["\"", "\\", "{", "}", ","]
        guard
            text.isEmpty || text.uppercased() == "NULL"
                || text.contains(where: { special.contains($0) || isArraySpace($0) })
        else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted += "\\" }
            quoted.append(character)
        }
        return quoted + "\""
    }

    private static func quotedField(_ text: String) -> String {
        let special: Set<Character> = ["\"", "\\", "(", ")", ","]
        guard text.isEmpty || text.contains(where: { special.contains($0) || isArraySpace($0) }) else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append(character) }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// The characters the server's array and record output treat as space.
    private static func isArraySpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\u{0B}"
            || character == "\u{0C}"
    }
}

/// Reads big-endian integers and length-prefixed values from binary data, failing instead of
/// reading past its end.
struct BigEndianReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func int32() -> Int32? {
        guard offset + 4 <= bytes.count else { return nil }
        defer { offset += 4 }
        return Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    mutating func uint32() -> UInt32? { int32().map { UInt32(bitPattern: $0) } }

    /// A length-prefixed value of `type` (a length of -1 is NULL).
    mutating func item(type: UInt32) -> BinaryArrayText.Item? {
        guard let length = int32() else { return nil }
        if length == -1 { return BinaryArrayText.Item(type: type, bytes: nil) }
        guard length >= 0, offset + Int(length) <= bytes.count else { return nil }
        defer { offset += Int(length) }
        return BinaryArrayText.Item(
            type: type, bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)]))
    }
}
