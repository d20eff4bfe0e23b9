import ArgumentParser
import SQLGenCore

/// The `sqlgen` command-line tool.
@main
struct SQLGenCommand: ParsableCommand {
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
        subcommands: [Generate.self, Compile.self]
    )
}
