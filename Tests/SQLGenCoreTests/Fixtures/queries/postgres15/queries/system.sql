-- System columns on every stored relation, and sequences read as relations.

-- expect: id!, inserted!
-- params: id!, name!
-- name: UpsertReportsInserted :one
INSERT INTO teams (id, name) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
RETURNING id, (xmax = 0) AS inserted;

-- expect: ctid!, tableoid!, xmin!, xmax!, cmin!, cmax!
-- name: TupleIdentity :many
SELECT ctid, tableoid, xmin, xmax, cmin, cmax FROM tickets;

-- expect: ctid!, xmin!
-- name: QualifiedSystemColumns :many
SELECT t.ctid, c.xmin FROM tickets t JOIN comments c ON c.ticket_id = t.id;

-- expect: id!, ctid?
-- name: OuterJoinedSystemColumn :many
SELECT t.id, c.ctid FROM tickets t LEFT JOIN comments c ON c.ticket_id = t.id;

-- expect: relation!, id!
-- name: TableOidAsName :many
SELECT tableoid::regclass AS relation, id FROM tickets;

-- params: ctid!
-- name: DeleteByCtid :execrows
DELETE FROM comments WHERE ctid = $1;

-- expect: id!, xmax!
-- params: score?, team_id!
-- name: UpdateReturningXmax :many
UPDATE tickets SET score = $1 WHERE team_id = $2 RETURNING id, xmax;

-- expect: ctid!, team!
-- name: MaterializedViewSystemColumn :many
SELECT ctid, team FROM team_load;

-- expect: last_value!, log_cnt!, is_called!
-- name: SequenceRelation :one
SELECT last_value, log_cnt, is_called FROM ticket_numbers;

-- expect: last_value!, log_cnt!, is_called!
-- name: SequenceStar :one
SELECT * FROM ticket_numbers;

-- expect: last_value!
-- name: SequenceQualified :one
SELECT s.last_value FROM public.ticket_numbers AS s;

-- expect: relname!, relkind!, reltuples!
-- params: relnamespace!
-- name: RelationsOfSchema :many
SELECT relname, relkind, reltuples FROM pg_class WHERE relnamespace = $1::regnamespace ORDER BY relname;

-- expect: oid!, relname!, nspname!
-- name: QualifiedCatalogTable :many
SELECT c.oid, c.relname, n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace;

-- expect: column_name?, data_type?, is_nullable?, ordinal_position?, character_maximum_length?
-- params: table_schema!, table_name!
-- name: ColumnsOfTable :many
SELECT column_name, data_type, is_nullable, ordinal_position, character_maximum_length
FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position;

-- expect: table_name?, table_type?
-- params: table_schema!
-- name: TablesOfSchema :many
SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = $1;

-- expect: schemaname!, tablename?, tableowner?
-- params: schemaname!
-- name: CatalogView :many
SELECT schemaname, tablename, tableowner FROM pg_tables WHERE schemaname = $1;

-- expect: indexname?, indexdef?
-- params: tablename!
-- name: IndexesOfTable :many
SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1;

-- expect: attname!, type?, attnotnull!
-- params: attrelid!
-- name: AttributesWithTypes :many
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped;

-- expect: indexrelid!, indkey!, indclass!
-- params: indrelid!
-- name: IndexKeys :many
SELECT indexrelid, indkey, indclass FROM pg_index WHERE indrelid = $1::regclass;

-- expect: name!, setting?, unit?
-- params: name!
-- name: SettingsByName :many
SELECT name, setting, unit FROM pg_settings WHERE name = ANY ($1::text[]);

-- expect: enumlabel!, enumsortorder!
-- params: typname!
-- name: EnumLabels :many
SELECT e.enumlabel, e.enumsortorder FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1;

-- A type of a schema outside the search path, spelled as format_type spells it.
-- expect: id!, plan!, plans!
-- params: plan!
-- name: TeamsOnPlan :many
SELECT id, plan, ARRAY[plan] AS plans FROM teams WHERE plan = $1;
