import ArgumentParser
import Foundation

/// `sqlgen init`: writes a commented starter `sqlgen.yaml`.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter sqlgen.yaml.")

    @Option(name: .long, help: "Where to write it.")
    var config: String = "sqlgen.yaml"

    @Flag(name: .long, help: "Replace an existing file.")
    var force = false

    static let starter = """
        # sqlgen configuration; sqlgen's README describes every key, and sqlgen.schema.json checks them.
        version: 1
        sql:
        \(cliPaths)
            # Multi-tenant schemas: tenant tables live in the template schema, shared ones elsewhere.
            # tenancy:
            #   template_schema: tenant_template
            #   shared_schemas: [public]
            #   registry_table: public.tenants
            swift:
              access_level: public       # public, package or internal
              parameter_struct_threshold: 4
              # conformances: [Codable, Hashable, Identifiable]   # default: [Identifiable]; the others cost build time
              # rename:
              #   user_id: ownerID
              # overrides:
              #   - db_type: jsonb
              #     swift_type: JSONValue
              #   - column: contacts.custom_fields
              #     swift_type: ContactFields   # your Codable type, conforming to SQLJSONCodable
              #     import: ContactModels
        # database: postgres://localhost/app   # sqlgen compile checks its analysis against this server

        """

    /// The entry's paths for the CLI: relative to the configuration, with an output folder.
    private static let cliPaths = """
          # One entry per database schema. Paths are relative to this file.
          - schema: db/migrations        # migration files or folders, applied in lexicographic order
            queries: db/queries          # annotated query files or folders (-- name: GetUser :one)
            output: Sources/Database/Generated
            module: Database
        """

    /// The starter for a SwiftPM target's folder (`Sources/<Target>/sqlgen.yaml`), which the build
    /// plugin reads: paths relative to the target, no output folder.
    static let pluginStarter =
        "# The build plugin (SQLGenPlugin) generates this target's Swift from this file at every build.\n"
        + starter.replacingOccurrences(
            of: cliPaths,
            with: """
                  - schema: schema               # migration files, applied in lexicographic order
                    queries: queries             # annotated query files (-- name: GetUser :one)
                """)

    func run() throws {
        if FileManager.default.fileExists(atPath: config), !force {
            FileHandle.standardError.write(Data("error: \(config) exists; pass --force to replace it\n".utf8))
            throw ExitCode(1)
        }
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent().standardizedFileURL
        // In `Sources/<Target>/`, the build plugin's target: SwiftPM refuses a target without a Swift
        // file of its own, so one is written beside the configuration.
        let target = folder.deletingLastPathComponent().lastPathComponent == "Sources" ? folder.lastPathComponent : nil
        guard
            FileManager.default.createFile(
                atPath: config, contents: Data((target == nil ? Self.starter : Self.pluginStarter).utf8))
        else {
            FileHandle.standardError.write(Data("error: cannot write \(config)\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(config)")
        guard let target else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            FileHandle.standardError.write(
                Data("error: cannot read \(folder.path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        if !names.contains(where: { $0.hasSuffix(".swift") }) {
            let stub = folder.appendingPathComponent("\(target).swift")
            let text = """
                // sqlgen generates this target's models and queries from sqlgen.yaml at build time.
                // SwiftPM needs one Swift file of the target's own, and this is it: add your code here or beside it.

                """
            guard FileManager.default.createFile(atPath: stub.path, contents: Data(text.utf8)) else {
                FileHandle.standardError.write(Data("error: cannot write \(stub.path)\n".utf8))
                throw ExitCode(1)
            }
            print("wrote \(stub.path)")
        }
        print(
            """
            In Package.swift, the target needs the runtime, the plugin, and its SQL excluded from its sources:
                .target(
                    name: "\(target)",
                    dependencies: [.product(name: "SQLGenRuntime", package: "swift-sqlgen")],
                    exclude: ["sqlgen.yaml", "schema", "queries"],
                    plugins: [.plugin(name: "SQLGenPlugin", package: "swift-sqlgen")]
                )
            """)
    }
}
