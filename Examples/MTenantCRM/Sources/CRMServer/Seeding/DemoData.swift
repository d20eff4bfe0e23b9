import Foundation

/// A small deterministic generator (SplitMix64), so every seed run writes the same data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: String) {
        state = seed.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Word lists the demo data is drawn from.
enum DemoData {
    static let firstNames = [
        "Ada", "Alan", "Barbara", "Claude", "Dennis", "Edsger", "Frances", "Grace", "Hedy", "Ivan", "Jean", "Ken",
        "Linus", "Margaret", "Niklaus", "Ole", "Radia", "Shafi", "Tim", "Vint", "Whitfield", "Xiao", "Yukihiro",
        "Zhang", "Amara", "Bjarne", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    ]
    static let lastNames = [
        "Lovelace", "Turing", "Liskov", "Shannon", "Ritchie", "Dijkstra", "Allen", "Hopper", "Lamarr", "Sutherland",
        "Sammet", "Thompson", "Torvalds", "Hamilton", "Wirth", "Dahl", "Perlman", "Goldwasser", "Berners-Lee", "Cerf",
        "Diffie", "Chen", "Matsumoto", "Wei", "Okafor", "Stroustrup", "Mendes", "Volkov", "Petrova", "Haddad",
    ]
    static let companyStems = [
        "Northwind", "Bluefin", "Copperleaf", "Driftwood", "Evergreen", "Foxglove", "Granite", "Harbor", "Ironbark",
        "Juniper", "Kestrel", "Lighthouse", "Meridian", "Nimbus", "Orchard", "Pinecone", "Quarry", "Riverbend",
        "Saltmarsh", "Timberline",
    ]
    static let companySuffixes = ["Labs", "Logistics", "Analytics", "Foods", "Health", "Energy", "Systems", "Media"]
    static let industries = ["Software", "Logistics", "Retail", "Healthcare", "Energy", "Finance", "Manufacturing"]
    static let jobTitles = [
        "CEO", "CTO", "VP Sales", "Head of Operations", "Procurement Manager", "Engineering Manager", "Buyer",
        "Office Manager", "Product Lead", "Finance Director",
    ]
    static let tags = ["vip", "newsletter", "partner", "trial", "churn-risk", "enterprise", "smb", "referral"]
    static let dealTopics = [
        "Annual licence", "Pilot project", "Support renewal", "Fleet rollout", "Data migration", "Training package",
        "Platform upgrade", "Regional expansion",
    ]
    static let taskSubjects = [
        "Send proposal", "Follow up on quote", "Book demo", "Prepare contract", "Check references", "Call back",
    ]
    static let noteSubjects = ["Discovery call", "Pricing discussion", "Kick-off meeting", "Quarterly review"]

    static func pick<T>(_ values: [T], _ generator: inout SeededGenerator) -> T {
        values[Int(generator.next() % UInt64(values.count))]
    }
}
