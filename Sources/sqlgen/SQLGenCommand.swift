import ArgumentParser
import Foundation
import SQLGenCore

/// The `sqlgen` command-line tool.
@main
struct SQLGenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqlgen",
        abstract: "Generates type-safe Swift from PostgreSQL schema migrations and annotated queries.",
        discussion: """
            Examples:
              sqlgen generate                       # uses ./sqlgen.yaml
              sqlgen generate --config path/to/sqlgen.yaml
              sqlgen generate --schema schema/ --queries queries/
            """,
        version: SQLGenVersion.current,
        subcommands: [Generate.self, Compile.self, Vet.self, Diff.self, Init.self]
    )

    /// Runs the command with the exit codes the CLI documents: 0 success,
    /// 1 errors in the SQL or configuration, 2 usage errors.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 {
                exit(withError: error)
            }
            // Usage errors (ArgumentParser's 64) are exit code 2, as the documentation says.
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(2)
        }
    }
}
