import ArgumentParser
import SQLGenCore

/// `sqlgen vet`: checks queries against rules that catch common mistakes.
struct Vet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check queries for common mistakes.",
        usage: "sqlgen vet [<options>]",
        discussion: """
            Rules: \(VetRule.allCases.map(\.rawValue).joined(separator: ", ")).
            Turn a rule off for one query with a comment above its annotation:
              -- vet: ignore update-without-where
            Exits 1 when any query breaks a rule.
            """)

    @OptionGroup var input: InputOptions

    func run() throws {
        let configuration = try input.load()
        var problems = 0
        var checked = 0
        for entry in configuration.entries {
            guard let analysis = try Analysis.run(entry, base: configuration.baseDirectory) else { throw ExitCode(1) }
            let warnings = QueryVet(catalog: analysis.catalog, tenancy: entry.tenancy).check(analysis.queries)
            Diagnostics.print(warnings)
            problems += warnings.count
            checked += analysis.queries.count
        }
        if problems > 0 { throw ExitCode(1) }
        print("vet: \(checked) \(checked == 1 ? "query" : "queries") checked, no rule broken")
    }
}
