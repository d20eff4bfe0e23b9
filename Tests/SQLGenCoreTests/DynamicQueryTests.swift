import Testing

@testable import SQLGenCore

/// Optional conditions (`sqlgen.optional`) and a caller-chosen sort (`sqlgen.sort`): each query expands
/// into its variants, every one analysed as PostgreSQL would see it.
@Suite struct DynamicQueryTests {
    static let schema = """
        CREATE TABLE contacts (
            id bigserial PRIMARY KEY, name text NOT NULL, company_id bigint, owner_id bigint,
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE contact_tags (contact_id bigint NOT NULL, tag text NOT NULL);
        """

    static func compile(_ queries: String) -> ([AnalyzedQuery], [Diagnostic]) {
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        return QueryCompiler.compile([SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: nil)
    }

    @Test func everyCombinationOfConditionsAndSortIsAVariantWithItsOwnParameters() throws {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: SearchContacts :many
            SELECT id, name FROM contacts c
            WHERE c.name <> ''
              AND sqlgen.optional(c.company_id = @company_id)
              AND sqlgen.optional(EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = @tag))
            ORDER BY sqlgen.sort(name => lower(c.name), created_at), c.id
            LIMIT sqlc.arg(max_rows);
            """)
        #expect(errors(diagnostics) == [])
        let query = try #require(queries.first)
        let dynamic = try #require(query.dynamic)
        #expect(query.parameters.map(\.name) == ["company_id", "tag", "max_rows"])
        // A condition's parameter may be left out; the others may not.
        #expect(query.parameters.map(\.nullable) == [true, true, false])
        #expect(dynamic.conditions == [[0], [1]])
        #expect(dynamic.sortKeys == ["name", "created_at"])
        #expect(dynamic.variants.count == 16)
        // No condition, first key ascending: only the limit, as $1.
        #expect(
            dynamic.variants[0].sql
                == "SELECT id, name FROM contacts c\nWHERE c.name <> ''\n  AND TRUE\n  AND TRUE\nORDER BY lower(c.name), c.id\nLIMIT $1"
        )
        #expect(dynamic.variants[0].parameterPositions == [2])
        // The tag alone: its value is $1.
        #expect(dynamic.variants[2].sql.contains("t.tag = $1"))
        #expect(dynamic.variants[2].parameterPositions == [1, 2])
        // Every condition, second key descending (choice 3, at 3 << 2).
        let last = dynamic.variants[3 << 2 | 3]
        #expect(last.sql.contains("(c.company_id = $1)"))
        #expect(last.sql.contains("ORDER BY created_at DESC, c.id"))
        #expect(last.parameterPositions == [0, 1, 2])
        #expect(query.sql == dynamic.variants[3].sql)
        // No variant holds a marker or a value.
        #expect(dynamic.variants.allSatisfy { !$0.sql.contains("sqlgen") && !$0.sql.contains("@") })
        #expect(Set(dynamic.variants.map(\.sql)).count == 16)
    }

    /// A variant PostgreSQL would reject is an error at generate time, at the query as written, saying
    /// which variant.
    @Test func aVariantThatFailsIsAnErrorNamingIt() {
        // Without the condition, `t` is not joined: the ORDER BY's `t.tag` has no table.
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Broken :many
            SELECT c.id FROM contacts c
            WHERE sqlgen.optional(c.company_id = @company_id)
            ORDER BY sqlgen.sort(id, bogus => c.nam);
            """)
        #expect(queries.isEmpty)
        #expect(
            errors(diagnostics) == [
                #"q.sql:4:35: error: column c.nam does not exist (in the statement sorted by bogus)"#
            ])
    }

    @Test func misusedMarkersAreErrorsAtTheirPlace() {
        let cases: [(String, String)] = [
            (
                "SELECT id FROM contacts WHERE sqlgen.optional(company_id = @c) OR id = 1",
                "2:31: error: sqlgen.optional must be a whole WHERE, HAVING or ON condition, or one of the conditions joined by AND there"
            ),
            (
                "SELECT sqlgen.optional(company_id = @c) FROM contacts",
                "2:8: error: sqlgen.optional must be a whole WHERE, HAVING or ON condition, or one of the conditions joined by AND there"
            ),
            (
                "SELECT id FROM contacts WHERE sqlgen.optional(company_id = 1)",
                "2:31: error: sqlgen.optional needs a parameter that switches it on, as in sqlgen.optional(owner_id = @owner_id)"
            ),
            (
                "SELECT id FROM contacts WHERE sqlgen.optional(company_id = $1)",
                "2:60: error: a query with sqlgen.optional names its parameters (@name), not $n"
            ),
            (
                "SELECT id FROM contacts WHERE sqlgen.optional(company_id = @c) AND owner_id = @c",
                "2:79: error: @c switches a sqlgen.optional condition on, so it cannot be used outside one too"
            ),
            (
                "SELECT id FROM contacts WHERE sqlgen.optional(company_id = sqlc.narg(c))",
                "2:60: error: sqlc.narg inside sqlgen.optional: a nil argument already leaves the condition out, so use @c"
            ),
            (
                "SELECT id FROM contacts WHERE sqlgen.maybe(company_id = @c)",
                "2:31: error: unknown function sqlgen.maybe (sqlgen.optional and sqlgen.sort are the ones there are)"
            ),
            (
                "SELECT id FROM contacts ORDER BY sqlgen.sort(id) DESC",
                "2:34: error: sqlgen.sort chooses the direction itself: remove DESC after it"
            ),
            (
                "SELECT id FROM contacts ORDER BY sqlgen.sort(lower(name))",
                "2:46: error: name this sort key, as in sqlgen.sort(newest => created_at): only a column names itself"
            ),
            (
                "SELECT id FROM contacts ORDER BY sqlgen.sort(id, ID => owner_id)",
                #"2:50: error: sort key "id" is listed twice"#
            ),
            (
                "SELECT id FROM contacts ORDER BY sqlgen.sort(id, x => owner_id + @n)",
                "2:66: error: a sort key cannot use a parameter"
            ),
            (
                "SELECT id FROM (SELECT id FROM contacts ORDER BY sqlgen.sort(id)) s",
                "2:50: error: sqlgen.sort must be an item of the query's outermost ORDER BY"
            ),
            (
                "SELECT id FROM contacts WHERE sqlgen.optional(sqlgen.optional(id = @a))",
                "2:47: error: sqlgen.optional cannot be inside sqlgen.optional"
            ),
        ]
        for (sql, message) in cases {
            let (queries, diagnostics) = Self.compile("-- name: Bad :many\n\(sql);\n")
            #expect(queries.isEmpty, "\(sql)")
            #expect(errors(diagnostics) == ["q.sql:\(message)"], "\(sql)")
        }
    }

    /// A write whose condition could be left out would change every row: refused.
    @Test func onlyReadsCanBeDynamic() {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: DeleteSome :execrows
            DELETE FROM contacts WHERE sqlgen.optional(owner_id = @owner_id);
            """)
        #expect(queries.isEmpty)
        #expect(
            errors(diagnostics) == [
                "q.sql:2:28: error: sqlgen.optional works only in a SELECT that is :one or :many: a write whose condition is left out would change every row"
            ])
    }

    @Test func moreThanTheBoundOfVariantsIsAnError() {
        let conditions = (1...6).map { "AND sqlgen.optional(owner_id = @o\($0))" }.joined(separator: " ")
        let (queries, diagnostics) = Self.compile(
            "-- name: TooMany :many\nSELECT id FROM contacts WHERE id > 0 \(conditions) ORDER BY sqlgen.sort(id);\n")
        #expect(queries.isEmpty)
        #expect(
            errors(diagnostics) == [
                "q.sql:2:42: error: the query expands into 128 statements (6 optional conditions, 2^6 × 2 sort orders); at most 64 are allowed, so split it"
            ])
    }

    /// A condition with two parameters is included when both are given; an aggregate without GROUP BY
    /// still returns exactly one row in every variant.
    @Test func aConditionOfTwoParametersAndAnExactlyOneRowCount() throws {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: CountContacts :one
            SELECT count(*) FROM contacts
            WHERE sqlgen.optional(created_at BETWEEN @created_from AND @created_until)
              AND sqlgen.optional(id = ANY(sqlc.slice(ids)));
            """)
        #expect(errors(diagnostics) == [])
        let query = try #require(queries.first)
        #expect(query.dynamic?.conditions == [[0, 1], [2]])
        #expect(query.returnsExactlyOneRow)
        #expect(query.parameters.map(\.isSlice) == [false, false, true])
        #expect(query.dynamic?.variants[2].sql.contains("id = ANY($1)") == true)
    }

    /// Comments, escaped strings and dollar quotes inside a marker are skipped as PostgreSQL's lexer
    /// skips them: a quote, comma or parenthesis in one does not move where the marker ends.
    @Test func commentsAndQuotesInsideMarkersDoNotMoveTheirEnds() throws {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Commented :many
            SELECT id, name FROM contacts
            WHERE sqlgen.optional(
                owner_id = @owner_id -- the owner's contacts
              )
              AND sqlgen.optional(name <> E'O\\'Brien' AND company_id = @company /* (see docs */)
              AND sqlgen.optional /* ( */ (name <> $$)$$ OR id = @id)
              AND name <> 'archived'
            ORDER BY sqlgen.sort(
                name => lower(name),   -- family name first, it's the default
                created_at             -- when added
            ), id
            LIMIT 10;
            """)
        #expect(errors(diagnostics) == [])
        let variants = try #require(queries.first?.dynamic?.variants)
        // Nothing after a left-out condition is lost.
        #expect(variants[0].sql.contains("AND name <> 'archived'"))
        #expect(variants[0].sql.hasSuffix("LIMIT 10"))
        // The direction follows the key, not its comment, and the tie-breaker stays.
        let last = try #require(variants.last)
        #expect(last.sql.contains("created_at DESC, id\nLIMIT 10"), "\(last.sql)")
        #expect(variants[1].sql.contains("-- the owner's contacts"))
    }

    @Test func onlyWholeConditionsOrTheirConjunctsCanBeOptional() {
        let rejected = [
            "SELECT id FROM contacts WHERE NOT (sqlgen.optional(owner_id = @a) AND sqlgen.optional(company_id = @b))",
            "SELECT id FROM contacts WHERE name = '' OR (name <> '' AND sqlgen.optional(owner_id = @a))",
            "SELECT id FROM contacts WHERE CASE WHEN name = '' AND sqlgen.optional(owner_id = @a) THEN false ELSE true END",
            "SELECT id, (name <> '' AND sqlgen.optional(owner_id = @a)) AS flag FROM contacts",
        ]
        for sql in rejected {
            let (queries, diagnostics) = Self.compile("-- name: Bad :many\n\(sql);\n")
            #expect(queries.isEmpty, "\(sql)")
            #expect(
                errors(diagnostics).first?.hasSuffix(
                    "error: sqlgen.optional must be a whole WHERE, HAVING or ON condition, or one of the conditions joined by AND there"
                ) == true, "\(sql): \(diagnostics)")
        }
        // Whole conditions of a CTE's HAVING and a subquery's WHERE are whole conditions too.
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Nested :many
            WITH busy AS (SELECT owner_id FROM contacts GROUP BY owner_id HAVING sqlgen.optional(count(*) >= @least))
            SELECT id FROM contacts
            WHERE owner_id IN (SELECT owner_id FROM busy WHERE sqlgen.optional(owner_id <> @skipped)) AND id > 0
            ORDER BY id;
            """)
        #expect(errors(diagnostics) == [])
        #expect(queries.first?.dynamic?.variants.count == 4)
    }

    @Test func anOnConditionOfOptionalConditionsOnlyWouldBeACrossJoin() {
        let (queries, diagnostics) = Self.compile(
            """
            -- name: Joined :many
            SELECT c.id FROM contacts c LEFT JOIN contact_tags t ON sqlgen.optional(t.tag = @tag);
            """)
        #expect(queries.isEmpty)
        #expect(
            errors(diagnostics) == [
                "q.sql:2:57: error: a JOIN's ON condition needs a condition that always applies beside sqlgen.optional: left out, it would make the join a cross join"
            ])
    }

    @Test func sortKeysAreIdentifiersAndMayUseColonEquals() throws {
        let (bad, badDiagnostics) = Self.compile(
            "-- name: Bad :many\nSELECT id FROM contacts ORDER BY sqlgen.sort(a => name, \"-a\" => id);\n")
        #expect(bad.isEmpty)
        #expect(
            errors(badDiagnostics) == [
                #"q.sql:2:57: error: sort key "-a" must be named with letters, digits and _, starting with a letter or _"#
            ])
        let (good, diagnostics) = Self.compile(
            "-- name: Good :many\nSELECT id FROM contacts ORDER BY sqlgen.sort(n := name, id);\n")
        #expect(errors(diagnostics) == [])
        #expect(try #require(good.first?.dynamic).sortKeys == ["n", "id"])
    }

    /// Columns count characters, as for any query, and the line shown is the one written.
    @Test func aDiagnosticInAVariantPointsAtTheQueryAsWritten() {
        let (_, diagnostics) = Self.compile(
            """
            -- name: Broken :many
            SELECT id FROM contacts
            ORDER BY sqlgen.sort(n => name || 'ééé', bad => nosuch_col);
            """)
        #expect(
            errors(diagnostics) == [
                #"q.sql:3:49: error: column "nosuch_col" does not exist (in the statement sorted by bad)"#
            ])
        #expect(diagnostics.first?.sourceLine == "ORDER BY sqlgen.sort(n => name || 'ééé', bad => nosuch_col);")
    }

    /// A query whose sort key alone reads a tenant table is a tenant query: its type needs a routing
    /// executor, and the tables it reads include the key's.
    @Test func aTenantTableInOneVariantMakesTheQueryATenantQuery() throws {
        let schema = """
            CREATE SCHEMA tenant_template;
            CREATE TABLE public.tenants (id uuid PRIMARY KEY, subdomain text NOT NULL, schema_name text NOT NULL, status text NOT NULL);
            CREATE TABLE public.plans (code text PRIMARY KEY, name text NOT NULL);
            CREATE TABLE tenant_template.contacts (id bigint PRIMARY KEY, job_title text);
            """
        let (catalog, schemaDiagnostics) = buildCatalog(schema)
        #expect(errors(schemaDiagnostics) == [])
        let (queries, diagnostics) = QueryCompiler.compile(
            [
                SourceFile(
                    path: "q.sql",
                    text: """
                        -- name: ListPlans :many
                        SELECT code, name FROM plans
                        ORDER BY sqlgen.sort(code, popularity => (SELECT count(*) FROM contacts c WHERE c.job_title = plans.code));
                        """)
            ], catalog: catalog, tenancy: TenancyConfiguration())
        #expect(errors(diagnostics) == [])
        let query = try #require(queries.first)
        #expect(query.scope == .tenant)
        #expect(query.dynamic?.variants.map(\.scope) == [.global, .global, .tenant, .tenant])
        #expect(query.tablesRead.contains("tenant_template.contacts"))
    }
}
