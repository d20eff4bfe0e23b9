import Testing

@testable import SQLGenCore

@Suite struct QueryCompilerTests {
    static let schema = """
        CREATE TABLE tenants (id uuid PRIMARY KEY, subdomain text NOT NULL);
        CREATE SCHEMA tenant_template;
        CREATE TABLE tenant_template.contacts (id uuid PRIMARY KEY, email text, tenant_note text);
        CREATE TABLE tenant_template.tenants (id int PRIMARY KEY);
        CREATE SCHEMA analytics;
        CREATE TABLE analytics.page_views (id bigint);
        """

    static func compile(_ queries: String, tenancy: TenancyConfiguration? = nil) -> ([AnalyzedQuery], [String]) {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        precondition(schemaDiagnostics.isEmpty)
        let (analyzed, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: tenancy)
        return (analyzed, diagnostics.map(\.description))
    }

    @Test func annotationsNameQueriesAndKeepTheirDocumentation() {
        let (queries, diagnostics) = Self.compile(
            """
            -- Finds a contact.
            -- Returns nothing when missing.
            -- name: GetContact :one
            SELECT id FROM tenant_template.contacts WHERE id = $1;

            /* name: ListContacts :many */
            SELECT id, email FROM tenant_template.contacts;
            """)
        #expect(diagnostics == [])
        #expect(queries.map(\.name) == ["GetContact", "ListContacts"])
        #expect(queries.map(\.line) == [3, 6])
        #expect(queries.first?.documentation == ["Finds a contact.", "Returns nothing when missing."])
        #expect(queries.map(\.command) == [.one, .many])
        #expect(queries.first?.sql == "SELECT id FROM tenant_template.contacts WHERE id = $1")
    }

    @Test func macrosAreRewrittenToNumberedParameters() {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Find :many
            SELECT id FROM tenant_template.contacts
            WHERE email = sqlc.arg(email) OR tenant_note = sqlc.narg('note') OR email = @email OR id = ANY(sqlc.slice(ids));
            """)
        #expect(diagnostics == [])
        let query = queries.first
        #expect(
            query?.sql
                == "SELECT id FROM tenant_template.contacts\nWHERE email = $1 OR tenant_note = $2 OR email = $1 OR id = ANY($3)"
        )
        #expect(query?.parameters.map(\.name) == ["email", "note", "ids"])
        #expect(query?.parameters.map(\.type.formatted) == ["text", "text", "uuid[]"])
        #expect(query?.parameters.map(\.nullable) == [false, true, false])
        #expect(query?.parameters.map(\.isSlice) == [false, false, true])
    }

    @Test func duplicateParameterNamesAreMadeUnique() {
        let (queries, _) = Self.compile(
            "-- name: Q :many\nSELECT id FROM tenant_template.contacts WHERE email = $1 OR email = $2 LIMIT $3 OFFSET $4;"
        )
        #expect(queries.first?.parameters.map(\.name) == ["email", "email2", "limit", "offset"])
        #expect(queries.first?.parameters.map(\.type.formatted) == ["text", "text", "bigint", "bigint"])
    }

    @Test(arguments: [
        (
            "-- name: Q :first\nSELECT 1;",
            "q.sql:1:12: error: unknown query command \":first\" (expected one of :one, :many, :exec, :execrows, :execresult, :copyfrom, :batchexec, :batchmany, :batchone)"
        ),
        (
            "-- name: Q :one\nSELECT 1;\n-- name: Q :one\nSELECT 2;",
            "q.sql:3:10: error: query \"Q\" is already defined at q.sql:1:1"
        ),
        (
            "-- name: Q :one\nDELETE FROM tenants WHERE id = $1;",
            "q.sql:1:12: error: query \"Q\" is :one but returns no rows; add RETURNING or use :exec, :execrows or :execresult"
        ),
        (
            "-- name: Q :many\nUPDATE tenants SET subdomain = $1;",
            "q.sql:1:12: error: query \"Q\" is :many but returns no rows; add RETURNING or use :exec, :execrows or :execresult"
        ),
        (
            "-- name: Q :copyfrom\nINSERT INTO tenants (id, subdomain) VALUES ($1, lower($2));",
            "q.sql:1:12: error: query \"Q\" is :copyfrom, which needs a plain INSERT INTO table (columns) VALUES ($1, ...) with only parameters"
        ),
        ("SELECT 1;", "q.sql:1:1: error: query has no annotation: add \"-- name: QueryName :command\" above it"),
        ("-- name: Q\nSELECT 1;", "q.sql:1:10: error: query \"Q\" has no command (:one, :many, :exec, ...)"),
        ("-- name: Q :one\nSELECT $1;", "q.sql:2:8: error: could not determine data type of parameter $1"),
        (
            "-- name: Q :one\nSELECT id FROM tenants WHERE id = $2;",
            "q.sql:2:1: error: could not determine data type of parameter $1"
        ),
        (
            "-- name: Q :one\nCREATE TABLE x (a int);",
            "q.sql:1:12: error: query \"Q\" is a CREATE TABLE statement, which returns no rows: use :exec, :execrows or :execresult"
        ),
        ("-- name: Q :one\nSELECT sqlc.unknown(x);", "q.sql:2:8: error: unknown macro sqlc.unknown"),
        (
            "-- name: Q :one\nSELECT lastval();",
            "q.sql:2:8: error: lastval() returns the last value any sequence gave the session, which on a pooled connection may be another lease's, another tenant's: use INSERT ... RETURNING"
        ),
        (
            "-- name: Q :execlastid\nINSERT INTO users (email) VALUES ('a');",
            "q.sql:1:12: error: \":execlastid\" means nothing on PostgreSQL, which has no last insert id: add RETURNING id and use :one"
        ),
    ])
    func errorsAreReportedAtTheirPlace(sql: String, expected: String) {
        let (_, diagnostics) = Self.compile(sql)
        #expect(diagnostics == [expected])
    }

    /// Named parameters take the numbers after the highest positional one, as sqlc numbers them.
    @Test func namedParametersFollowPositionalOnes() throws {
        let (queries, diagnostics) = Self.compile(
            "-- name: Q :many\nSELECT id FROM tenants WHERE subdomain = @sub OR id = $2 OR subdomain = @sub OR id = $1;"
        )
        #expect(diagnostics == [])
        let query = try #require(queries.first)
        #expect(query.parameters.map(\.number) == [1, 2, 3])
        #expect(query.parameters.map(\.name) == ["id", "id2", "sub"])
        #expect(query.sql == "SELECT id FROM tenants WHERE subdomain = $3 OR id = $2 OR subdomain = $3 OR id = $1")
    }

    @Test func tenancyResolvesTemplateFirstAndScopesQueries() {
        let tenancy = TenancyConfiguration()
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Contacts :many
            SELECT id FROM contacts;
            -- name: Registry :many
            SELECT id FROM public.tenants;
            -- name: Shadowed :many
            SELECT id FROM tenants;
            -- name: Joined :many
            SELECT c.id FROM contacts c JOIN public.tenants t ON t.subdomain = c.email;
            """, tenancy: tenancy)
        #expect(diagnostics == [])
        #expect(queries.map(\.scope) == [.tenant, .global, .tenant, .tenant])
        #expect(
            queries.map(\.tablesRead) == [
                ["tenant_template.contacts"], ["public.tenants"], ["tenant_template.tenants"],
                ["tenant_template.contacts", "public.tenants"],
            ])
        // `tenants` unqualified is the template's table, whose id is an integer.
        #expect(queries[2].columns.first?.type.formatted == "integer")
    }

    @Test func queriesOutsideTheTemplateAndSharedSchemasAreRejected() {
        let (_, diagnostics) = Self.compile(
            "-- name: Views :many\nSELECT id FROM analytics.page_views;", tenancy: TenancyConfiguration())
        #expect(
            diagnostics == [
                "q.sql:2:16: error: query \"Views\" reaches into schema \"analytics\", which is neither the tenant template nor a shared schema, so it could not be routed to one tenant"
            ])
    }

    @Test func writesAreRecordedAndScopeIsUnscopedWithoutTenancy() {
        let (queries, _) = Self.compile(
            "-- name: Move :exec\nINSERT INTO tenants (id, subdomain) SELECT id, email FROM tenant_template.contacts WHERE email IS NOT NULL;"
        )
        #expect(queries.first?.tablesWritten == ["public.tenants"])
        #expect(queries.first?.tablesRead == ["tenant_template.contacts"])
        #expect(queries.first?.scope == .unscoped)
    }

    @Test func compileReportIsTheDocumentedJSON() {
        let (catalog, _) = buildCatalog(Self.schema)
        let (queries, _) = QueryCompiler.compile(
            [
                SourceFile(
                    path: "queries/contacts.sql",
                    text: "-- name: GetContact :one\nSELECT id, email FROM tenant_template.contacts WHERE id = $1;")
            ],
            catalog: catalog, tenancy: TenancyConfiguration())
        #expect(
            CompileReport(queries: queries, catalog: catalog).json == """
                {
                  "version": 1,
                  "queries": [
                    {
                      "name": "GetContact",
                      "command": "one",
                      "file": "queries/contacts.sql",
                      "line": 1,
                      "sql": "SELECT id, email FROM tenant_template.contacts WHERE id = $1",
                      "scope": "tenant",
                      "tables": {
                        "read": [
                          "tenant_template.contacts"
                        ],
                        "write": []
                      },
                      "params": [
                        {
                          "number": 1,
                          "name": "id",
                          "pgType": "uuid",
                          "nullable": false,
                          "swiftType": "UUID"
                        }
                      ],
                      "columns": [
                        {
                          "name": "id",
                          "pgType": "uuid",
                          "nullable": false,
                          "swiftType": "UUID"
                        },
                        {
                          "name": "email",
                          "pgType": "text",
                          "nullable": true,
                          "swiftType": "String?"
                        }
                      ]
                    }
                  ]
                }

                """)
    }
}
