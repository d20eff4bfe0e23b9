-- Names real schemas use that break naive code generation: the standard library's,
-- Foundation's and SQLGenRuntime's type names, Swift keywords, names that collide after
-- case conversion, and enum labels of every shape. The generated code must compile.

CREATE TYPE status AS ENUM ('in progress', 'in_progress', 'Case', 'case', '1st', '', 'self', 'default', 'rawValue', 'allCases', 'init', 'Type', 'a"b', 'x\y', '*/', '"""#', 'zwölf', '🎉');
CREATE TYPE string AS (value text, "Self" integer);
CREATE TABLE "date" (id bigint PRIMARY KEY, "date" text, value date);
CREATE TABLE "data" (id bigint PRIMARY KEY, "data" text, value date);
CREATE TABLE "decimal" (id bigint PRIMARY KEY, "decimal" text, value date);
CREATE TABLE "uuid" (id bigint PRIMARY KEY, "uuid" text, value date);
CREATE TABLE "sql_row" (id bigint PRIMARY KEY, "sql_row" text, value date);
CREATE TABLE "postgres_error" (id bigint PRIMARY KEY, "postgres_error" text, value date);
CREATE TABLE "json_value" (id bigint PRIMARY KEY, "json_value" text, value date);
CREATE TABLE "sql_date" (id bigint PRIMARY KEY, "sql_date" text, value date);
CREATE TABLE "swift" (id bigint PRIMARY KEY, "swift" text, value date);
CREATE TABLE "foundation" (id bigint PRIMARY KEY, "foundation" text, value date);
CREATE TABLE "sql_gen_runtime" (id bigint PRIMARY KEY, "sql_gen_runtime" text, value date);
CREATE TABLE "int" (id bigint PRIMARY KEY, "int" text, value date);
CREATE TABLE "self" (id bigint PRIMARY KEY, "self" text, value date);
CREATE TABLE "type" (id bigint PRIMARY KEY, "type" text, value date);
CREATE TABLE "protocol" (id bigint PRIMARY KEY, "protocol" text, value date);
CREATE TABLE "any" (id bigint PRIMARY KEY, "any" text, value date);
CREATE TABLE "optional" (id bigint PRIMARY KEY, "optional" text, value date);
CREATE TABLE "result" (id bigint PRIMARY KEY, "result" text, value date);
CREATE TABLE "error" (id bigint PRIMARY KEY, "error" text, value date);
CREATE TABLE "sendable" (id bigint PRIMARY KEY, "sendable" text, value date);
CREATE TABLE "never" (id bigint PRIMARY KEY, "never" text, value date);
CREATE TABLE "strings" (id bigint PRIMARY KEY, "strings" text, value date);

CREATE TABLE "url" (id bigint PRIMARY KEY, "url" text, value date);
CREATE TABLE "int16" (id bigint PRIMARY KEY, "int16" text, value date);
CREATE TABLE "int32" (id bigint PRIMARY KEY, "int32" text, value date);
CREATE TABLE "int64" (id bigint PRIMARY KEY, "int64" text, value date);
CREATE TABLE "bool" (id bigint PRIMARY KEY, "bool" text, value date);
CREATE TABLE "double" (id bigint PRIMARY KEY, "double" text, value date);
CREATE TABLE "float" (id bigint PRIMARY KEY, "float" text, value date);
CREATE TABLE "array" (id bigint PRIMARY KEY, "array" text, value date);
CREATE TABLE "dictionary" (id bigint PRIMARY KEY, "dictionary" text, value date);
CREATE TABLE "sequence" (id bigint PRIMARY KEY, "sequence" text, value date);
CREATE TABLE "async_throwing_stream" (id bigint PRIMARY KEY, "async_throwing_stream" text, value date);
CREATE TABLE "hashable" (id bigint PRIMARY KEY, "hashable" text, value date);
CREATE TABLE "codable" (id bigint PRIMARY KEY, "codable" text, value date);
CREATE TABLE "identifiable" (id bigint PRIMARY KEY, "identifiable" text, value date);
CREATE TABLE "character" (id bigint PRIMARY KEY, "character" text, value date);
CREATE TABLE "uint32" (id bigint PRIMARY KEY, "uint32" text, value date);
CREATE TABLE "sql_executor" (id bigint PRIMARY KEY, "sql_executor" text, value date);
CREATE TABLE "sql_statement" (id bigint PRIMARY KEY, "sql_statement" text, value date);
CREATE TABLE "sql_copy_statement" (id bigint PRIMARY KEY, "sql_copy_statement" text, value date);
CREATE TABLE "sql_bindings" (id bigint PRIMARY KEY, "sql_bindings" text, value date);
CREATE TABLE "sql_no_row" (id bigint PRIMARY KEY, "sql_no_row" text, value date);
CREATE TABLE "statement_scope" (id bigint PRIMARY KEY, "statement_scope" text, value date);
CREATE TABLE "sql_command_result" (id bigint PRIMARY KEY, "sql_command_result" text, value date);
CREATE TABLE "sql_enum" (id bigint PRIMARY KEY, "sql_enum" text, value date);
CREATE TABLE "sql_codable" (id bigint PRIMARY KEY, "sql_codable" text, value date);
CREATE TABLE "sql_record_text" (id bigint PRIMARY KEY, "sql_record_text" text, value date);
CREATE TABLE "sql_decoding_failure" (id bigint PRIMARY KEY, "sql_decoding_failure" text, value date);
CREATE TABLE "sql_time" (id bigint PRIMARY KEY, "sql_time" text, value date);
CREATE TABLE "sql_time_with_time_zone" (id bigint PRIMARY KEY, "sql_time_with_time_zone" text, value date);
CREATE TABLE "sql_interval" (id bigint PRIMARY KEY, "sql_interval" text, value date);
CREATE TABLE "sql_inet" (id bigint PRIMARY KEY, "sql_inet" text, value date);
CREATE TABLE "postgres_connection" (id bigint PRIMARY KEY, "postgres_connection" text, value date);
CREATE TABLE "postgres_pool" (id bigint PRIMARY KEY, "postgres_pool" text, value date);
CREATE TABLE "postgres_configuration" (id bigint PRIMARY KEY, "postgres_configuration" text, value date);
CREATE TABLE "tenant_pool" (id bigint PRIMARY KEY, "tenant_pool" text, value date);
CREATE TABLE "Data" (id bigint PRIMARY KEY, "Data" text, value date);

CREATE TABLE keywords (
    id bigint PRIMARY KEY,
    "associatedtype" integer,
    "class" integer,
    "deinit" integer,
    "enum" integer,
    "extension" integer,
    "fileprivate" integer,
    "func" integer,
    "import" integer,
    "init" integer,
    "inout" integer,
    "internal" integer,
    "let" integer,
    "open" integer,
    "operator" integer,
    "private" integer,
    "protocol" integer,
    "public" integer,
    "rethrows" integer,
    "static" integer,
    "struct" integer,
    "subscript" integer,
    "typealias" integer,
    "var" integer,
    "break" integer,
    "case" integer,
    "continue" integer,
    "default" integer,
    "defer" integer,
    "do" integer,
    "else" integer,
    "fallthrough" integer,
    "for" integer,
    "guard" integer,
    "if" integer,
    "in" integer,
    "repeat" integer,
    "return" integer,
    "switch" integer,
    "where" integer,
    "while" integer,
    "as" integer,
    "Any" integer,
    "catch" integer,
    "false" integer,
    "is" integer,
    "nil" integer,
    "super" integer,
    "self" integer,
    "Self" integer,
    "throw" integer,
    "throws" integer,
    "true" integer,
    "try" integer,
    "await" integer,
    "async" integer,
    "some" integer,
    "any" integer,
    "Type" integer,
    "Protocol" integer,
    "get" integer,
    "set" integer,
    "willSet" integer,
    "didSet" integer,
    "mutating" integer,
    "nonmutating" integer,
    "lazy" integer,
    "dynamic" integer,
    "final" integer,
    "override" integer,
    "required" integer,
    "convenience" integer,
    "weak" integer,
    "unowned" integer,
    "indirect" integer,
    "optional" integer,
    "prefix" integer,
    "postfix" integer,
    "infix" integer,
    "left" integer,
    "right" integer,
    "none" integer,
    "package" integer,
    "consume" integer,
    "copy" integer,
    "borrowing" integer,
    "consuming" integer,
    "each" integer,
    "macro" integer,
    "actor" integer,
    "isolated" integer,
    "nonisolated" integer,
    "sending" integer,
    "sqlText" integer,
    "hashValue" integer,
    "hash" integer,
    "description" integer,
    "row" integer,
    "executor" integer,
    "bindings" integer,
    "params" integer,
    "text" integer,
    "fields" integer,
    "name" integer,
    "sql" integer,
    "scope" integer,
    "decode" integer,
    "bind" integer,
    user_id integer,
    "userId" integer,
    "user-id" integer,
    "UserID" integer,
    "a""b" text,
    "x\y" text,
    "*/" text,
    "line
break" text,
    "🎉" text,
    "über" text,
    "1st" text,
    " " text,
    state status NOT NULL DEFAULT 'in progress',
    pair string
);

COMMENT ON TABLE keywords IS E'Every keyword as a column.\r\nA second line */ with """ and #" and \\(x) in it.';
COMMENT ON COLUMN keywords."class" IS E'ends a comment? */\rno';
