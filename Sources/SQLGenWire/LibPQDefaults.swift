import CLibPQ

/// The connection settings libpq uses for what a configuration leaves out (`PQconndefaults`): where
/// a connection with no host, port, database or user goes.
package enum LibPQDefaults {
    /// Each keyword's default value (a Unix socket folder for `host`; the user's name for `user` and
    /// `dbname`); empty when libpq cannot tell.
    package static var current: [String: String] {
        guard let options = PQconndefaults() else { return [:] }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            } else if String(cString: keyword) == "host" {
                // No PGHOST and no compiled-in default: libpq's own Unix socket folder.
                values["host"] = "(libpq's default socket folder)"
            }
            option += 1
        }
        return values
    }
}
