/// `inet` and `cidr` values from their binary form (family, prefix bits, whether cidr, address
/// length, address), written as the server writes them: IPv4 in full, IPv6 with its longest run of
/// two or more zero groups as `::`, the prefix length unless it covers the whole address (always
/// for `cidr`).
enum InetText {
    static func text(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count >= 4 else { return nil }
        let family = bytes[0]
        let bits = Int(bytes[1])
        let isCIDR = bytes[2] != 0
        let length = Int(bytes[3])
        guard bytes.count == 4 + length else { return nil }
        let address = Array(bytes[4...])
        let text: String
        let fullBits: Int
        switch (family, length) {
        case (2, 4):
            text = ipv4(address[...])
            fullBits = 32
        case (3, 16):
            text = ipv6(address)
            fullBits = 128
        default:
            return nil
        }
        return bits != fullBits || isCIDR ? text + "/" + String(bits) : text
    }

    private static func ipv4(_ octets: ArraySlice<UInt8>) -> String {
        octets.map { String($0) }.joined(separator: ".")
    }

    private static func ipv6(_ address: [UInt8]) -> String {
        let words = (0..<8).map { Int(address[2 * $0]) << 8 | Int(address[2 * $0 + 1]) }
        var best: (base: Int, length: Int)?
        var current: (base: Int, length: Int)?
        for (index, word) in words.enumerated() {
            if word == 0 {
                current = current.map { ($0.base, $0.length + 1) } ?? (index, 1)
                if let run = current, run.length > (best?.length ?? 0) { best = run }
            } else {
                current = nil
            }
        }
        if let run = best, run.length < 2 { best = nil }
        var text = ""
        for index in 0..<8 {
            if let run = best, index >= run.base, index < run.base + run.length {
                if index == run.base { text += ":" }
                continue
            }
            if index != 0 { text += ":" }
            if index == 6, let run = best, run.base == 0,
                run.length == 6 || (run.length == 7 && words[7] != 1) || (run.length == 5 && words[5] == 0xFFFF)
            {
                return text + ipv4(address[12...])
            }
            text += String(words[index], radix: 16)
        }
        if let run = best, run.base + run.length == 8 { text += ":" }
        return text
    }
}
