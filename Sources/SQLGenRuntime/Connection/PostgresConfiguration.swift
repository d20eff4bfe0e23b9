import Foundation
import Logging
import SQLGenWire

/// Where and how to connect: built from a URL, a libpq keyword string, or the
/// standard environment variables, and validated field by field.
///
/// ```swift
/// let configuration = try PostgresConfiguration(url: "postgres://app:secret@localhost:5432/crm?sslmode=require")
/// let fromEnvironment = try PostgresConfiguration.fromEnvironment()
/// ```
public struct PostgresConfiguration: Sendable, Hashable {
    /// libpq connection keywords (`host`, `port`, `user`, `password`, `dbname`, `sslmode`, ...).
    public var parameters: [String: String]
    /// The name shown in `pg_stat_activity`.
    public var applicationName: String = "sqlgen"
    /// Set when connecting through a pooler in transaction mode (PgBouncer's `pool_mode = transaction`),
    /// which moves a client between server connections and rejects the startup `options` parameter.
    /// Statements are then sent unnamed (still with the extended protocol, never interpolated), and the
    /// session settings the codecs read values in (``requiredSessionSettings``) are checked at connect
    /// instead of sent: set them on the database (`ALTER DATABASE ... SET IntervalStyle = 'iso_8601'`).
    public var transactionPooling = false
    /// How long a statement that is the only one in the process waiting on the server polls its
    /// socket for the answer before parking its task (zero: park at once). Parking and waking cost
    /// two thread switches, more than a point select takes on the server; a process with other
    /// statements in flight never polls. See `BENCHMARKS.md`.
    public var answerPollingLimit: Duration = .microseconds(100)
    /// Whether `copy()` sends rows in COPY's binary format when every column's type allows it (checked
    /// against the catalog before each COPY; see ``BinaryCopyFormat``). False: always text.
    public var binaryCopy = true
    /// How long opening a connection may take, from the first packet to a session ready for
    /// statements: a host that drops packets or a server that never answers fails the connect after
    /// this long instead of holding a pool slot forever. The URL's `connect_timeout` (seconds; 0 for no
    /// limit, nil here) sets it; 10 seconds otherwise. (libpq itself does not apply `connect_timeout` to
    /// the non-blocking connect the runtime makes.)
    public var connectTimeout: Duration? = .seconds(10)

    /// The settings values are read in: sent at startup, or checked under ``transactionPooling``.
    public static let requiredSessionSettings: [(name: String, value: String)] = [
        ("DateStyle", "ISO"), ("TimeZone", "UTC"), ("IntervalStyle", "iso_8601"),
    ]

    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// A configuration from libpq keywords, validated.
    public init(parameters: [String: String]) throws(PostgresConfigurationError) {
        self.parameters = parameters
        try validate()
    }

    /// A configuration from a `postgres://` or `postgresql://` URL.
    public init(url: String) throws(PostgresConfigurationError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw PostgresConfigurationError(field: "url", reason: "must start with postgres:// or postgresql://")
        }
        var parameters: [String: String] = [:]
        if let host = components.host, !host.isEmpty { parameters["host"] = host }
        if let port = components.port { parameters["port"] = String(port) }
        if let user = components.user, !user.isEmpty { parameters["user"] = user.removingPercentEncoding ?? user }
        if let password = components.password { parameters["password"] = password.removingPercentEncoding ?? password }
        let database = components.path.drop { $0 == "/" }
        if !database.isEmpty { parameters["dbname"] = String(database).removingPercentEncoding ?? String(database) }
        for item in components.queryItems ?? [] {
            parameters[item.name == "database" ? "dbname" : item.name] = item.value ?? ""
        }
        try self.init(parameters: parameters)
    }

    /// A configuration from a libpq keyword string: `host=localhost port=5432 dbname=crm`.
    public init(keywords: String) throws(PostgresConfigurationError) {
        var parameters: [String: String] = [:]
        var index = keywords.startIndex
        func skipSpaces() {
            while index < keywords.endIndex, keywords[index].isWhitespace { index = keywords.index(after: index) }
        }
        while true {
            skipSpaces()
            guard index < keywords.endIndex else { break }
            let keyStart = index
            while index < keywords.endIndex, keywords[index] != "=", !keywords[index].isWhitespace {
                index = keywords.index(after: index)
            }
            let key = String(keywords[keyStart..<index])
            skipSpaces()
            guard index < keywords.endIndex, keywords[index] == "=" else {
                throw PostgresConfigurationError(field: key, reason: "expected key=value")
            }
            index = keywords.index(after: index)
            skipSpaces()
            var value = ""
            if index < keywords.endIndex, keywords[index] == "'" {
                index = keywords.index(after: index)
                while index < keywords.endIndex, keywords[index] != "'" {
                    if keywords[index] == "\\", keywords.index(after: index) < keywords.endIndex {
                        index = keywords.index(after: index)
                    }
                    value.append(keywords[index])
                    index = keywords.index(after: index)
                }
                guard index < keywords.endIndex else {
                    throw PostgresConfigurationError(field: key, reason: "unterminated quoted value")
                }
                index = keywords.index(after: index)
            } else {
                while index < keywords.endIndex, !keywords[index].isWhitespace {
                    value.append(keywords[index])
                    index = keywords.index(after: index)
                }
            }
            parameters[key] = value
        }
        try self.init(parameters: parameters)
    }

    /// A configuration from `DATABASE_URL`, or else `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE` and `PGSSLMODE`. With none of them set, libpq's defaults apply
    /// (a local socket, port 5432, the user's name), and `logger` says at info level which server
    /// that is, since nothing in the environment does.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "sqlgen.configuration")
    ) throws(PostgresConfigurationError) -> PostgresConfiguration {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try PostgresConfiguration(url: url) }
        let names = [
            "PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password", "PGDATABASE": "dbname",
            "PGSSLMODE": "sslmode",
        ]
        var parameters: [String: String] = [:]
        for (variable, keyword) in names {
            if let value = environment[variable], !value.isEmpty { parameters[keyword] = value }
        }
        if parameters.isEmpty {
            let defaults = LibPQDefaults.current
            logger.info(
                "no DATABASE_URL or PG* variables: connecting with libpq's defaults",
                metadata: [
                    "host": "\(defaults["host"] ?? "")", "port": "\(defaults["port"] ?? "")",
                    "dbname": "\(defaults["dbname"] ?? "")", "user": "\(defaults["user"] ?? "")",
                ])
        }
        return try PostgresConfiguration(parameters: parameters)
    }

    private mutating func validate() throws(PostgresConfigurationError) {
        if let port = parameters["port"], Int(port).map({ (1...65535).contains($0) }) != true {
            throw PostgresConfigurationError(field: "port", reason: "must be a number from 1 to 65535, not '\(port)'")
        }
        if let mode = parameters["sslmode"], !Self.sslModes.contains(mode) {
            throw PostgresConfigurationError(
                field: "sslmode",
                reason: "must be one of \(Self.sslModes.sorted().joined(separator: ", ")), not '\(mode)'")
        }
        if let timeout = parameters["connect_timeout"] {
            guard let seconds = Int(timeout), seconds >= 0 else {
                throw PostgresConfigurationError(field: "connect_timeout", reason: "must be a number of seconds")
            }
            // As libpq reads it: 0 waits without end, and less than 2 seconds is 2; past a day, a day.
            connectTimeout = seconds == 0 ? nil : .seconds(min(max(seconds, 2), 86_400))
        }
    }

    /// The keywords libpq receives, with the session settings codecs rely on.
    var connectionKeywords: [(String, String)] {
        var keywords = parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        keywords.removeAll { $0.0 == "options" || $0.0 == "application_name" }
        if !transactionPooling {
            let sessionOptions =
                Self.requiredSessionSettings.map { "-c \($0.name)=\($0.value)" }.joined(separator: " ")
                + " -c extra_float_digits=3"
            keywords.append(("options", ((parameters["options"].map { $0 + " " }) ?? "") + sessionOptions))
        }
        keywords.append(("application_name", parameters["application_name"] ?? applicationName))
        return keywords
    }
}

/// A configuration field that is missing or wrong.
public struct PostgresConfigurationError: Error, Hashable, CustomStringConvertible {
    /// The field (`port`, `sslmode`, `url`, ...).
    public var field: String
    /// What is wrong with it.
    public var reason: String

    /// The field and what is wrong with it, on one line.
    public var description: String { "invalid database configuration: \(field) \(reason)" }
}
