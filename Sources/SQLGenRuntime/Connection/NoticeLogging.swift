import CLibPQ
import Foundation
import Logging

/// Sends the server's notices and warnings (`NOTICE: … does not exist, skipping`) to the connection's
/// logger at debug level instead of libpq's default, standard error.
final class NoticeLogger: @unchecked Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Installs this logger as `connection`'s notice processor; the caller keeps it alive as long as the connection.
    func install(on connection: OpaquePointer) {
        PQsetNoticeProcessor(
            connection,
            { context, message in
                guard let context, let message else { return }
                let sink = Unmanaged<NoticeLogger>.fromOpaque(context).takeUnretainedValue()
                let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
                sink.logger.debug("server notice", metadata: ["notice": "\(text)"])
            }, Unmanaged.passUnretained(self).toOpaque())
    }
}
