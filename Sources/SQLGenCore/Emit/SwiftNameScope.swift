/// The names already taken in one Swift scope (a struct's members, an enum's cases, the top level):
/// each name derived from SQL is made distinct here, deterministically, in the order claimed.
struct SwiftNameScope {
    private var used: Set<String>

    /// A scope in which `reserved` names (members the generated code declares itself) are taken.
    init(reserved: Set<String> = []) {
        used = reserved
    }

    /// `name` if it is free, else the first of `name2`, `name3`, … (`name_2` after a digit) that is; with the name it was
    /// derived from when it had to be changed, so the caller can warn that two SQL names met.
    mutating func claim(_ name: String) -> (name: String, merged: Bool) {
        let bare = SwiftNaming.bare(name)
        guard used.contains(bare) else {
            used.insert(bare)
            return (name, false)
        }
        // `user1` and `user1` become `user1` and `user1_2`, never `user12`.
        let stem = bare.last?.isNumber == true ? bare + "_" : bare
        var counter = 2
        while used.contains(stem + String(counter)) { counter += 1 }
        let candidate = stem + String(counter)
        used.insert(candidate)
        return (SwiftNaming.escaped(candidate), true)
    }

    /// Marks `name` as taken.
    mutating func reserve(_ name: String) {
        used.insert(SwiftNaming.bare(name))
    }
}

/// The modules and types generated code names, qualified by module, so that no name derived from SQL
/// (a table `data`, an enum `string`) and no type of the user's own module can shadow them.
enum ModuleQualified {
    /// Module names generated code qualifies with, which no generated type may take.
    static let modules: Set<String> = [
        "Swift", "Foundation", "SQLGenRuntime", "_Concurrency", "FoundationEssentials", "Dispatch", "Glibc", "Darwin",
    ]

    /// Type names of the standard library, Foundation and the runtime that a generated type would shadow in the
    /// user's module (their code meaning Foundation's `Data` would find the model instead).
    static let shadowable: Set<String> = [
        "String", "Int", "Int16", "Int32", "Int64", "UInt32", "Double", "Float", "Bool", "Data", "Date", "Decimal",
        "UUID", "URL", "Error", "Result", "Optional", "Array", "Dictionary", "Set", "Character", "Never", "Sequence",
        "Collection", "Codable", "Hashable", "Sendable", "Identifiable", "Equatable", "Any", "AnyObject",
        "SQLDate", "SQLTime", "SQLTimeWithTimeZone", "SQLInterval", "SQLInet", "JSONValue", "SQLGenError",
        "PostgresSession", "PostgresPool", "SQLRow", "SQLExecutor", "SQLStatement", "TenantPool",
    ]

    /// `Swift.String`, `Foundation.Date`, `SQLGenRuntime.SQLDate` written without their module, as the
    /// compile report shows Swift types.
    static func unqualified(_ type: String) -> String {
        var text = type
        for module in ["Swift.", "Foundation.", "SQLGenRuntime."] {
            var result = ""
            var rest = Substring(text)
            while let range = rest.range(of: module) {
                let before = rest[..<range.lowerBound]
                result += before
                let previous = before.last ?? result.last
                if let previous, previous.isLetter || previous.isNumber || previous == "_" || previous == "." {
                    result += module
                }
                rest = rest[range.upperBound...]
            }
            text = result + rest
        }
        return text
    }
}
