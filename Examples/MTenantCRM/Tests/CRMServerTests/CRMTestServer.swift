import CRMServer
import Foundation
import Hummingbird
import Logging
import SQLGenRuntime
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The suite's database: created once on the throwaway server (`SQLGEN_TEST_DATABASE_URL`), with the
/// shared migrations applied and acme and globex seeded through the same code `mtenant-crm seed` runs.
actor CRMTestDatabase {
    static let shared = CRMTestDatabase()
    static let name = "mtenant_crm_e2e"

    private var prepared: Task<CRMConfiguration, any Error>?

    func configuration() async throws -> CRMConfiguration {
        if let prepared { return try await prepared.value }
        let task = Task { try await Self.prepare() }
        prepared = task
        return try await task.value
    }

    private static func prepare() async throws -> CRMConfiguration {
        guard let url = ProcessInfo.processInfo.environment["SQLGEN_TEST_DATABASE_URL"] else {
            throw CRMTestError("SQLGEN_TEST_DATABASE_URL is not set: run the tests through make test")
        }
        let admin = try await PostgresSession.connect(try PostgresConfiguration(url: url))
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        var environment = ["DATABASE_URL": url, "CRM_PORT": "0"]
        // The suite runs a second time with the second wall (scripts/test-crm-example.sh).
        environment["CRM_TENANT_ROLE_PREFIX"] = ProcessInfo.processInfo.environment["CRM_TENANT_ROLE_PREFIX"]
        var configuration = try CRMConfiguration(environment: environment)
        configuration.database.parameters["dbname"] = name
        let logger = Logger(label: "crm-tests")
        let services = try CRMServices(configuration: configuration, mailer: CapturingMailer(), logger: logger)
        try await SharedSchemaMigrator(configuration: configuration.database, directory: configuration.migrations)
            .migrate()
        _ = try await DemoSeeder(services: services, contactsPerTenant: 40, logger: logger).seed(
            tenants: [("Acme Corporation", "acme"), ("Globex", "globex")])
        await services.database.close()
        return configuration
    }

    /// Runs SQL on a connection of its own, behind the API's back; the first column of each row.
    static func values(_ sql: String) async throws -> [String?] {
        let configuration = try await shared.configuration()
        let connection = try await PostgresSession.connect(configuration.database)
        do {
            let rows = try await connection.query(PlainStatement(sql))
            await connection.close()
            return rows.map { $0.values.first ?? nil }
        } catch {
            await connection.close()
            throw error
        }
    }

    static func execute(_ sql: String) async throws {
        let configuration = try await shared.configuration()
        let connection = try await PostgresSession.connect(configuration.database)
        try await connection.simpleQuery(sql)
        await connection.close()
    }
}

struct CRMTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Keeps the tokens the API mails, so tests can redeem them as a recipient would.
actor CapturingMailer: Mailer {
    private var mails: [Mail] = []

    func send(_ mail: Mail) async throws { mails.append(mail) }

    func lastToken(to address: String, purpose: Mail.Purpose) -> String? {
        mails.last { $0.to.lowercased() == address.lowercased() && $0.purpose == purpose }?.token
    }
}

/// A running server on a free port, and a client for it.
struct CRMTestServer {
    let client: CRMClient
    let mailer: CapturingMailer

    /// Starts the API on the suite's database, runs `body`, and shuts the server down.
    static func run(_ body: @Sendable (CRMTestServer) async throws -> Void) async throws {
        try await run(configuration: try await CRMTestDatabase.shared.configuration(), body)
    }

    /// Starts the API with `configuration`, runs `body`, and shuts the server down.
    static func run(
        configuration: CRMConfiguration, _ body: @Sendable (CRMTestServer) async throws -> Void
    ) async throws {
        var logger = Logger(label: "crm-tests")
        logger.logLevel = .warning
        let mailer = CapturingMailer()
        let services = try CRMServices(configuration: configuration, mailer: mailer, logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let application = CRMApplication.application(
            configuration: configuration, services: services, logger: logger,
            onServerRunning: { port in portSink.yield(port) })
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CRMTestError("the server did not start") }
            let server = CRMTestServer(client: CRMClient(port: port), mailer: mailer)
            do {
                try await body(server)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A response: status, headers and the body as JSON.
struct CRMResponse: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: JSONValue

    var description: String { "\(status) \(body)" }

    subscript(key: String) -> JSONValue? { body[key] }
    var items: [JSONValue] { body["items"]?.array ?? [] }
}

/// Sends real HTTP requests to the server.
struct CRMClient: Sendable {
    let port: Int

    /// `method path` as `tenant` (by the X-Tenant header, or by the Host header when `host` is given),
    /// with `headers` besides.
    func send(
        _ method: String, _ path: String, tenant: String? = nil, host: String? = nil, json: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> CRMResponse {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw CRMTestError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let tenant { request.setValue(tenant, forHTTPHeaderField: "X-Tenant") }
        if let host { request.setValue(host, forHTTPHeaderField: "Host") }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw CRMTestError("not an HTTP response") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        let body = data.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: data)
        return CRMResponse(status: http.statusCode, headers: headers, body: body)
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    var decimal: Decimal? {
        if case .number(let text) = self { return Decimal(string: text) }
        return nil
    }
}

/// A JSON string literal of `text` (for building request bodies).
func quoted(_ text: String) -> String {
    String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
}
