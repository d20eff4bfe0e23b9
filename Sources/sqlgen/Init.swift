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
        # sqlgen configuration: https://github.com/ (see the project's README)
        version: 1
        sql:
          # One entry per database schema. Paths are relative to this file.
          - schema: db/migrations        # migration files or folders, applied in lexicographic order
            queries: db/queries          # annotated query files or folders (-- name: GetUser :one)
            output: Sources/Database/Generated
            module: Database
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

    func run() throws {
        if FileManager.default.fileExists(atPath: config), !force {
            FileHandle.standardError.write(Data("error: \(config) exists; pass --force to replace it\n".utf8))
            throw ExitCode(1)
        }
        guard FileManager.default.createFile(atPath: config, contents: Data(Self.starter.utf8)) else {
            FileHandle.standardError.write(Data("error: cannot write \(config)\n".utf8))
            throw ExitCode(1)
        }
        print("wrote \(config)")
    }
}
