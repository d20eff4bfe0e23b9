import Foundation
import Testing

@testable import SQLGenRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// A server that accepts the TCP connection and never answers holds no task forever: the connect
/// fails after its timeout, through a pool too.
@Suite("Connecting to a server that never answers", .timeLimit(.minutes(1)))
struct ConnectTimeoutTests {
    /// A socket listening on 127.0.0.1 that never accepts: the kernel completes the handshake and
    /// libpq's startup packet is never answered.
    final class SilentListener {
        let socket: Int32
        let port: Int

        init() throws {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
            }
            guard bound == 0, listen(socket, 16) == 0 else {
                throw SQLGenError(.connectionFailed, message: "could not listen: errno \(errno)")
            }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
            }
            self.socket = socket
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(socket) }
    }

    @Test("the connect fails after connectTimeout, with a message that says so")
    func connectGivesUpAfterItsTimeout() async throws {
        let listener = try SilentListener()
        var configuration = try PostgresConfiguration(
            url: "postgres://nobody@127.0.0.1:\(listener.port)/postgres?sslmode=disable")
        configuration.connectTimeout = .milliseconds(500)
        let started = ContinuousClock.now
        do {
            let session = try await PostgresSession.connect(configuration)
            await session.close()
            Issue.record("connected to a server that never answers")
        } catch {
            #expect(error.kind == .connectionFailed)
            #expect(error.message.contains("did not complete the connection within 0.5 s"))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(450))
        #expect(elapsed < .seconds(5))
    }

    @Test("connect_timeout in the URL sets it, 0 for no limit")
    func theURLSetsTheTimeout() throws {
        #expect(try PostgresConfiguration(url: "postgres://h/d?connect_timeout=3").connectTimeout == .seconds(3))
        #expect(try PostgresConfiguration(url: "postgres://h/d?connect_timeout=1").connectTimeout == .seconds(2))
        #expect(try PostgresConfiguration(url: "postgres://h/d?connect_timeout=0").connectTimeout == nil)
        #expect(try PostgresConfiguration(url: "postgres://h/d").connectTimeout == .seconds(10))
        #expect(throws: PostgresConfigurationError.self) {
            try PostgresConfiguration(url: "postgres://h/d?connect_timeout=-1")
        }
    }

    @Test("a pool's acquire fails in time instead of waiting on the connect")
    func aPoolGivesUpToo() async throws {
        let listener = try SilentListener()
        var configuration = try PostgresConfiguration(
            url: "postgres://nobody@127.0.0.1:\(listener.port)/postgres?sslmode=disable")
        configuration.connectTimeout = .milliseconds(500)
        var options = PoolOptions()
        options.maxConnections = 2
        options.acquireTimeout = .seconds(2)
        let pool = PostgresPool(configuration: configuration, options: options)
        defer { Task { await pool.close() } }
        let started = ContinuousClock.now
        do {
            _ = try await pool.execute(PlainStatement("SELECT 1"))
            Issue.record("a statement ran on a server that never answers")
        } catch {
            #expect(error.kind == .connectionFailed || error.kind == .poolTimeout, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
