import Testing

@testable import SQLGenCore

@Suite struct ParserTests {
    @Test func statementBoundariesSkipCommentsDollarQuotesAndEscapeStrings() {
        let sql = """
            -- leading comment; with a semicolon
            CREATE TABLE a (id int);
            /* block comment
               spanning lines; */ CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$
              SELECT 'x; y'
            $body$;
              SELECT E'it\\'s; fine', $$a;b$$ ;
            CREATE TABLE b (id int)
            """
        let file = SourceFile(path: "q.sql", text: sql)
        let parsed = SQLParser.parse(file)
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.statements.count == 4)
        let starts = parsed.statements.map { file.location(ofOffset: $0.location).description }
        #expect(starts == ["q.sql:2:1", "q.sql:4:23", "q.sql:7:3", "q.sql:8:1"])
        let texts = parsed.statements.map { file.slice(from: $0.location, length: $0.length) }
        #expect(texts[0] == "CREATE TABLE a (id int)")
        #expect(texts[3] == "CREATE TABLE b (id int)")
    }

    @Test func syntaxErrorPointsAtTheOffendingToken() {
        let file = SourceFile(
            path: "bad.sql", text: "CREATE TABLE ok (id int);\n\nCREATE TABLE broken (id int,, name text);\n")
        let parsed = SQLParser.parse(file)
        #expect(parsed.statements.isEmpty)
        #expect(parsed.diagnostics.map(\.description) == ["bad.sql:3:29: error: syntax error at or near \",\""])
        #expect(
            parsed.diagnostics.first?.rendered
                == """
                bad.sql:3:29: error: syntax error at or near ","
                CREATE TABLE broken (id int,, name text);
                                            ^
                """)
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        let file = SourceFile(path: "u.sql", text: "SELECT 'ñandú', 'é' FROM;\n")
        let parsed = SQLParser.parse(file)
        #expect(parsed.diagnostics.map(\.description) == ["u.sql:1:25: error: syntax error at or near \";\""])
    }

    @Test func unterminatedInputIsReportedNotCrashed() {
        for text in [
            "SELECT 'open", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1", "/* never closed", "SELECT \u{0}",
        ] {
            let parsed = SQLParser.parse(SourceFile(path: "x.sql", text: text))
            #expect(parsed.diagnostics.count == 1, "\(text)")
            #expect(parsed.diagnostics.first?.severity == .error)
        }
    }

    @Test func typeNamesKeepModifiersAndArrayBounds() {
        let parsed = SQLParser.parse(
            SourceFile(path: "t.sql", text: "CREATE TABLE t (a varchar(40)[][], b numeric(10,2), c int)"))
        guard case .createTable(let create) = parsed.statements.first?.kind else {
            Issue.record("expected CREATE TABLE")
            return
        }
        let types = create.elements.compactMap { element -> TypeReference? in
            if case .column(let column) = element { return column.type }
            return nil
        }
        #expect(
            types.map(\.names) == [["pg_catalog", "varchar"], ["pg_catalog", "numeric"], ["pg_catalog", "int4"]])
        #expect(types.map(\.modifiers) == [[40], [10, 2], []])
        #expect(types.map(\.arrayDimensions) == [2, 0, 0])
    }
}
