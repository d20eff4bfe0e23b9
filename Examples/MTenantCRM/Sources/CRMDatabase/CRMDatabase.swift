import Foundation

/// Where the CRM's SQL lives: the migrations the generated code was built from, which `seed`
/// applies (the registry to the shared schema, the template to each tenant's schema).
public enum CRMSchema {
    /// The template schema every tenant schema is a copy of.
    public static let templateSchema = "tenant_template"

    /// The repository's `schema/` folder, found from this file's place in the checkout.
    public static var bundledMigrations: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CRMDatabase
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // MTenantCRM
            .deletingLastPathComponent()  // Examples
            .deletingLastPathComponent()
            .appendingPathComponent("schema")
    }
}
