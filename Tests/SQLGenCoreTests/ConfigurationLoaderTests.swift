import Testing

@testable import SQLGenCore

@Suite struct ConfigurationLoaderTests {
    @Test func readsEntriesWithTenancy() {
        let (configuration, diagnostics) = ConfigurationLoader.parse(
            """
            version: 1
            sql:
              - schema: schema
                queries: [queries/auth, queries/contact]
                output: Generated
                module: CRMDatabase
                tenancy:
                  template_schema: tenant_template
                  shared_schemas: [public, shared]
            """, path: "sqlgen.yaml", baseDirectory: "/project")
        #expect(diagnostics.isEmpty)
        let entry = configuration?.entries.first
        #expect(entry?.schema == ["schema"])
        #expect(entry?.queries == ["queries/auth", "queries/contact"])
        #expect(entry?.module == "CRMDatabase")
        #expect(entry?.tenancy?.sharedSchemas == ["public", "shared"])
        #expect(entry?.tenancy?.registryTable == "public.tenants")
        #expect(configuration?.baseDirectory == "/project")
    }

    @Test(arguments: [
        (
            "version: 1\nsql:\n  - schema: s\n    querys: q\n",
            "sqlgen.yaml:4:5: error: unknown key 'querys' in an 'sql' entry (expected schema, queries, output, module, tenancy, swift or extensions)"
        ),
        ("version: 2\nsql: []\n", "sqlgen.yaml:1:10: error: unsupported version '2': this sqlgen reads version 1"),
        ("version: 1\n", "sqlgen.yaml:1:1: error: missing key 'sql'"),
        ("version: 1\nsql:\n  - queries: q\n", "sqlgen.yaml:3:5: error: an 'sql' entry needs 'schema'"),
        (
            "version: 1\nsql:\n  - schema: s\n    tenancy:\n      template: t\n",
            "sqlgen.yaml:5:7: error: unknown key 'template' in 'tenancy' (expected template_schema, shared_schemas or registry_table)"
        ),
        ("version: 1\nsql: [\n", "sqlgen.yaml:3:1: error: invalid YAML: did not find expected node content"),
    ])
    func problemsAreReportedAtTheirLine(text: String, expected: String) {
        let (configuration, diagnostics) = ConfigurationLoader.parse(text, path: "sqlgen.yaml", baseDirectory: ".")
        #expect(configuration == nil)
        #expect(diagnostics.first.map { String($0.description.prefix(expected.count)) } == expected)
    }
}
