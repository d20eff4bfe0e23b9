import Foundation
import SQLGenWire

/// Shows migration progress on standard error: a bar rewritten in place when it is a terminal
/// (`[#########...........] 4512/10000 tenants, 2 failed`), one line per tenant otherwise (a deploy
/// log); a failure always gets a line of its own.
public struct TerminalMigrationProgress: Sendable {
    private let interactive: Bool
    private let failures = LockedState(0)
    private let width = 30

    /// A reporter on standard error.
    public init() {
        interactive = isatty(STDERR_FILENO) == 1
    }

    /// Shows one tenant's progress; pass it as `migrateAll`'s `progress`.
    public func report(_ progress: TenantMigrationProgress) {
        let result = progress.result
        let failed = failures.withLock { count in
            if result.failure != nil { count += 1 }
            return count
        }
        let status =
            result.failure.map { "FAILED: \($0)" }
            ?? (result.applied.isEmpty
                ? "up to date" : "applied \(result.applied.map(String.init).joined(separator: ", "))")
        let line = "[\(progress.completed)/\(progress.total)] \(result.subdomain) (\(result.schemaName)): \(status)"
        guard interactive else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            return
        }
        var text = "\r\u{1B}[K"
        if result.failure != nil { text += line + "\n" }
        text += bar(progress, failed: failed)
        if progress.completed == progress.total { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The bar for `progress`.
    func bar(_ progress: TenantMigrationProgress, failed: Int) -> String {
        let filled = progress.total == 0 ? width : width * progress.completed / progress.total
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(progress.completed)/\(progress.total) tenants" + (failed > 0 ? ", \(failed) failed" : "")
    }
}
