import Logging
import SQLGenWire
import Testing

@testable import SQLGenRuntime

/// Keeps every log record it is given.
struct CapturingLogHandler: LogHandler {
    final class Records: @unchecked Sendable {
        let lines = LockedState<[String]>([])
    }

    let records: Records
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        records.lines.withLock { $0.append("\(event.message) \(fields)") }
    }
}

@Suite struct NoticeLoggingTests {
    @Test("server notices go to the connection's logger, not to standard error")
    func noticesAreLogged() async throws {
        let records = CapturingLogHandler.Records()
        let logger = Logger(label: "test.notices") { _ in CapturingLogHandler(records: records) }
        let connection = try await PostgresSession.connect(TestDatabase.configuration(), logger: logger)
        try await connection.simpleQuery("DO $$ BEGIN RAISE NOTICE 'sqlgen notice marker'; END $$")
        await connection.close()
        let lines = records.lines.withLock { $0 }
        #expect(lines.contains { $0.hasPrefix("server notice") && $0.contains("sqlgen notice marker") })
    }
}
