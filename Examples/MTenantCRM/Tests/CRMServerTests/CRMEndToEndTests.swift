import Testing

/// The CRM API end to end: a real server on a free port, real HTTP, the throwaway PostgreSQL.
/// Serialized, because some tests change a tenant's state (suspension) or compare totals.
@Suite("MTenant CRM over HTTP", .serialized)
struct CRMEndToEndTests {
    static let tenants = ["acme", "globex"]
}
