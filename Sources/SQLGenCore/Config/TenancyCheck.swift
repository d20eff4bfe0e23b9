/// Tenancy settings checked against the schema the migrations build: a misspelled
/// `template_schema` is one error at its line in `sqlgen.yaml`, not one "relation does not exist"
/// for every query, and a `registry_table` the schema lacks is an error too.
public enum TenancyCheck {
    /// An error for each schema or table the settings name that the catalog does not have.
    public static func diagnostics(_ tenancy: TenancyConfiguration, catalog: Catalog) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let schemas = catalog.schemas.keys.map { "\"\($0)\"" }.joined(separator: ", ")
        func error(_ key: String, _ message: String) {
            diagnostics.append(
                Diagnostic(.error, message, at: tenancy.locations[key], sourceLine: tenancy.sourceLines[key]))
        }
        if catalog.schemas[tenancy.templateSchema] == nil {
            error(
                "template_schema",
                "template_schema \"\(tenancy.templateSchema)\" is not a schema the migrations create (they create \(schemas))"
            )
        }
        for schema in tenancy.sharedSchemas where catalog.schemas[schema] == nil {
            error(
                "shared_schemas",
                "shared schema \"\(schema)\" is not a schema the migrations create (they create \(schemas))")
        }
        let parts = tenancy.registryTable.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let (schema, table) = parts.count == 2 ? (parts[0], parts[1]) : ("public", tenancy.registryTable)
        // Checked when written: the generator itself does not read the registry.
        if tenancy.locations["registry_table"] != nil, parts.count > 2 || catalog.schemas[schema]?.tables[table] == nil
        {
            error(
                "registry_table",
                "registry_table \"\(tenancy.registryTable)\" is not a table the migrations create (write it as schema.table)"
            )
        }
        return diagnostics
    }
}
