import Testing

@testable import SQLGenCore

/// Annotated statements other than SELECT, INSERT, UPDATE and DELETE: maintenance and DDL run with
/// `:exec`, scoped by the relations they name; what would outlive the statement in a pooled session
/// is refused.
@Suite struct UtilityQueryTests {
    static let schema = """
        CREATE SCHEMA tenant_template;
        CREATE TABLE public.tenants (id uuid PRIMARY KEY, subdomain text NOT NULL, schema_name text NOT NULL, status text NOT NULL);
        CREATE TABLE public.plans (code text PRIMARY KEY);
        CREATE TABLE tenant_template.contacts (id bigint PRIMARY KEY);
        CREATE MATERIALIZED VIEW tenant_template.contact_counts AS SELECT count(*) AS n FROM tenant_template.contacts;
        CREATE PROCEDURE tenant_template.archive_contact(contact bigint) LANGUAGE sql
            AS 'DELETE FROM tenant_template.contacts WHERE id = contact';
        CREATE PROCEDURE public.add_plan(code text, INOUT added boolean DEFAULT false) LANGUAGE sql
            AS 'INSERT INTO public.plans VALUES (code) RETURNING true';
        CREATE SCHEMA reporting;
        CREATE PROCEDURE reporting.rebuild() LANGUAGE sql AS 'SELECT 1';
        """

    /// A procedure of the tenant template is a tenant statement; one of a shared schema a global one;
    /// one elsewhere could not be routed.
    @Test func callIsScopedByTheProceduresSchema() {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: ArchiveContact :exec
            CALL archive_contact($1);
            -- name: AddPlan :one
            CALL add_plan(code => $1);
            -- name: Rebuild :exec
            CALL reporting.rebuild();
            """)
        #expect(queries.map(\.scope) == [.tenant, .global])
        #expect(queries.first?.parameters.map { "\($0.name) \($0.type.formatted)" } == ["contact bigint"])
        #expect(queries.last?.columns.map { "\($0.name) \($0.type.formatted)" } == ["added boolean"])
        #expect(
            diagnostics.map(\.message) == [
                "query \"Rebuild\" reaches into schema \"reporting\", which is neither the tenant template nor a shared schema, so it could not be routed to one tenant"
            ])
    }

    static func compile(_ queries: String, tenancy: TenancyConfiguration? = TenancyConfiguration()) -> (
        [AnalyzedQuery], [Diagnostic]
    ) {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        return QueryCompiler.compile([SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: tenancy)
    }

    @Test func maintenanceIsScopedByTheRelationsItNames() {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: WipeContacts :exec
            TRUNCATE contacts;
            -- name: WipePlans :execrows
            TRUNCATE public.plans;
            -- name: Refresh :exec
            REFRESH MATERIALIZED VIEW CONCURRENTLY contact_counts;
            -- name: Analyze :exec
            ANALYZE plans;
            -- name: Ping :exec
            NOTIFY jobs;
            -- name: Block :execresult
            DO $$ BEGIN PERFORM 1; END $$;
            """)
        #expect(errors(diagnostics) == [])
        #expect(queries.map(\.scope) == [.tenant, .global, .tenant, .global, .global, .global])
        #expect(
            queries.map(\.tablesWritten) == [
                ["tenant_template.contacts"], ["public.plans"], ["tenant_template.contact_counts"], [], [], [],
            ])
        #expect(queries[3].tablesRead == ["public.plans"])
        #expect(queries[0].sql == "TRUNCATE contacts")
        #expect(queries.allSatisfy { $0.parameters.isEmpty && $0.columns.isEmpty })
        // Without tenancy every statement is unscoped.
        let (plain, plainDiagnostics) = Self.compile(
            "-- name: W :exec\nTRUNCATE tenant_template.contacts;\n", tenancy: nil)
        #expect(errors(plainDiagnostics) == [])
        #expect(plain.first?.scope == .unscoped)
    }

    @Test func whatWouldOutliveTheStatementIsRefused() {
        let cases: [(String, String)] = [
            (
                "SET statement_timeout = 5",
                "2:1: error: query \"Q\" would change a setting for the rest of the session, which on a pooled connection outlives the statement and reaches the next lease; use SET LOCAL inside withTransaction, or set_config(name, value, true)"
            ),
            (
                "LISTEN jobs",
                "2:1: error: query \"Q\" would change what the session listens to, which on a pooled connection outlives the statement and reaches the next lease; run it from a migration or on a connection of its own"
            ),
            (
                "CREATE TEMP TABLE scratch (a int)",
                "2:1: error: query \"Q\" would create a temporary object, which on a pooled connection outlives the statement and reaches the next lease; run it from a migration or on a connection of its own"
            ),
            (
                "BEGIN",
                "2:1: error: query \"Q\" would control the transaction, which on a pooled connection outlives the statement and reaches the next lease; run the queries inside withTransaction"
            ),
            ("TRUNCATE nowhere", "2:10: error: relation \"nowhere\" does not exist"),
            (
                "TRUNCATE analytics.events",
                "2:10: error: relation \"analytics.events\" does not exist"
            ),
            (
                "VACUUM contacts",
                "2:1: error: VACUUM cannot run inside a transaction block, and a tenant's statement runs in one (its search path is set and checked around it): vacuum tenant tables from a maintenance job"
            ),
            (
                "ALTER TABLE plans ADD COLUMN w int DEFAULT $1",
                "2:44: error: PostgreSQL takes no parameters in ALTER TABLE"
            ),
        ]
        for (sql, message) in cases {
            let (queries, diagnostics) = Self.compile("-- name: Q :exec\n\(sql);\n")
            #expect(queries.isEmpty, "\(sql)")
            #expect(errors(diagnostics) == ["q.sql:\(message)"], "\(sql)")
        }
        // SET LOCAL ends with the transaction.
        let (local, localDiagnostics) = Self.compile("-- name: Q :exec\nSET LOCAL statement_timeout = 5;\n")
        #expect(errors(localDiagnostics) == [])
        #expect(local.count == 1)
    }

    @Test func rowsNeedAStatementThatReturnsThem() {
        let (queries, diagnostics) = Self.compile("-- name: Q :many\nTRUNCATE contacts;\n")
        #expect(queries.isEmpty)
        #expect(
            errors(diagnostics) == [
                "q.sql:1:12: error: query \"Q\" is a TRUNCATE statement, which returns no rows: use :exec, :execrows or :execresult"
            ])
    }
}
