import Foundation
import Testing

@testable import SQLGenCore

/// The offsets where a tenant read gets its tenant's schema name written in front of each tenant name
/// (``AnalyzedQuery/tenantNameOffsets``): each must start a template name, none may be missed, and
/// statements whose names could be found through the session's path when they run get none.
@Suite struct TenantNameOffsetTests {
    static let schema = """
        CREATE SCHEMA tenant_template;
        CREATE TYPE tenant_template.stage AS ENUM ('lead', 'won');
        CREATE TABLE tenant_template.deals (id int PRIMARY KEY, stage tenant_template.stage NOT NULL, title text);
        CREATE TABLE tenant_template."Notes" (id int PRIMARY KEY, body text);
        CREATE FUNCTION tenant_template.deal_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM deals';
        CREATE TABLE public.plans (id int PRIMARY KEY, name text NOT NULL);
        """

    static func compile(_ queries: String) -> [String: AnalyzedQuery] {
        let (catalog, _) = Pipeline.buildCatalog(from: [SourceFile(path: "schema.sql", text: schema)])
        let (compiled, diagnostics) = QueryCompiler.compile(
            [SourceFile(path: "q.sql", text: queries)], catalog: catalog, tenancy: TenancyConfiguration())
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        return Dictionary(uniqueKeysWithValues: compiled.map { ($0.name, $0) })
    }

    /// `sql` with `"schema".` written at each UTF-8 offset.
    static func qualified(_ sql: String, _ offsets: [Int], schema: String = "tenant_template") -> String {
        var bytes = Array(sql.utf8)
        for offset in offsets.reversed() { bytes.insert(contentsOf: Array("\"\(schema)\".".utf8), at: offset) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func readsGetAnOffsetBeforeEveryTemplateNameAndNoneElsewhere() {
        let queries = Self.compile(
            """
            -- name: Joined :many
            WITH won AS (SELECT id FROM deals WHERE stage = 'won'::stage)
            SELECT d.id, p.name, @label::text AS label FROM won JOIN deals d ON d.id = won.id
            JOIN plans p ON p.id = d.id JOIN "Notes" n ON n.id = d.id
            WHERE d.title = @title AND EXISTS (SELECT 1 FROM ONLY deals x WHERE x.id = d.id);
            -- name: Shared :many
            SELECT id FROM plans;
            """)
        let joined = queries["Joined"]
        #expect(
            joined.map { Self.qualified($0.sql, $0.tenantNameOffsets ?? []) }
                == """
                WITH won AS (SELECT id FROM "tenant_template".deals WHERE stage = 'won'::"tenant_template".stage)
                SELECT d.id, p.name, $1::text AS label FROM won JOIN "tenant_template".deals d ON d.id = won.id
                JOIN plans p ON p.id = d.id JOIN "tenant_template"."Notes" n ON n.id = d.id
                WHERE d.title = $2 AND EXISTS (SELECT 1 FROM ONLY "tenant_template".deals x WHERE x.id = d.id)
                """)
        #expect(queries["Shared"]?.scope == .global)
        #expect(queries["Shared"]?.tenantNameOffsets == nil)
    }

    @Test func statementsThatResolveNamesWhenTheyRunGetNone() {
        let queries = Self.compile(
            """
            -- name: Write :exec
            UPDATE deals SET title = $1 WHERE id = $2;
            -- name: WriteInCTE :many
            WITH gone AS (DELETE FROM deals WHERE id = $1 RETURNING id) SELECT id FROM gone;
            -- name: UserFunction :one
            SELECT deal_count() AS n FROM deals LIMIT 1;
            -- name: Sequence :one
            SELECT nextval('deals_seq') AS n FROM deals LIMIT 1;
            -- name: RegClass :one
            SELECT 'deals'::regclass::oid AS n FROM deals LIMIT 1;
            -- name: Plain :one
            SELECT id FROM deals WHERE id = $1;
            """)
        for name in ["Write", "WriteInCTE", "UserFunction", "Sequence", "RegClass"] {
            #expect(queries[name]?.scope == .tenant, "\(name)")
            #expect(queries[name]?.tenantNameOffsets == nil, "\(name)")
        }
        #expect(queries["Plain"]?.tenantNameOffsets == [15])
    }

    /// Every CRM read, qualified at its offsets, analyses with only the shared schemas on the path (a
    /// template name left unqualified would not be found) and returns the same columns.
    @Test func everyCRMReadIsFullyQualified() throws {
        let (configuration, catalog, queries, _) = try RepositoryQueriesTests.load()
        let tenancy = try #require(configuration.entries.first?.tenancy)
        var qualifiedReads = 0
        for query in queries where query.scope == .tenant {
            guard let offsets = query.tenantNameOffsets else {
                #expect(!query.tablesWritten.isEmpty, "the read \(query.name) was left to the search path")
                continue
            }
            let text = Self.qualified(query.sql, offsets, schema: tenancy.templateSchema)
            let parsed = SQLParser.parse(SourceFile(path: query.name, text: text))
            guard case .query(let statement)? = parsed.statements.first?.kind else {
                Issue.record("\(query.name): the qualified SQL does not parse: \(text)")
                continue
            }
            let analyzer = StatementAnalyzer(catalog: catalog, searchPath: tenancy.sharedSchemas, macroParameters: [:])
            do {
                let columns = try analyzer.analyze(statement)
                #expect(columns.map(\.name) == query.columns.map(\.name), "\(query.name)")
                #expect(analyzer.searchPathNames.allSatisfy { $0.schema != tenancy.templateSchema }, "\(query.name)")
            } catch {
                Issue.record("\(query.name): \(error.message) in \(text)")
            }
            qualifiedReads += 1
        }
        #expect(qualifiedReads >= 20)
    }
}
