-- Every FROM-item form: SQL value functions and scalar expressions, ROWS FROM, WITH ORDINALITY,
-- column definition lists, and set-returning functions with their own aliases.

-- expect: d!
-- name: FromCurrentDate :one
SELECT d FROM current_date AS d;

-- expect: current_timestamp!
-- name: FromCurrentTimestampNoAlias :one
SELECT * FROM current_timestamp;

-- expect: t!
-- name: FromLocaltime :one
SELECT t FROM localtime AS t;

-- expect: u!
-- name: FromCurrentUser :one
SELECT u FROM current_user AS u;

-- expect: r?
-- params: p1!
-- name: FromNullif :one
SELECT r FROM nullif($1::int, 0) AS r;

-- expect: c!
-- params: p1!
-- name: FromCoalesce :one
SELECT c FROM coalesce($1::text, 'none') AS c;

-- expect: g!
-- params: p1!
-- name: FromGreatest :one
SELECT g FROM greatest(1, $1::int, 3) AS g;

-- expect: w?
-- name: FromScalarUserFunction :one
SELECT w FROM weighted(1.0) AS w;

-- expect: l!
-- params: p1!
-- name: FromScalarBuiltin :one
SELECT l FROM lower($1::text) AS l;

-- expect: v!
-- name: FromScalarAliasColumn :one
SELECT x.v FROM upper('a') AS x(v);

-- expect: n?, s?
-- name: RowsFromTwo :many
SELECT * FROM ROWS FROM (generate_series(1, 3), unnest(ARRAY['a', 'b'])) AS t(n, s);

-- expect: n?, s?, i!
-- params: p1!, p2!
-- name: RowsFromOrdinality :many
SELECT n, s, i FROM ROWS FROM (generate_series(1, $1), unnest($2::text[])) WITH ORDINALITY AS t(n, s, i);

-- expect: label?, ord!
-- params: id!
-- name: UnnestOrdinality :many
SELECT label, ord FROM tickets, unnest(labels) WITH ORDINALITY AS l(label, ord) WHERE tickets.id = $1;

-- expect: u?, ordinality!, ordinality!
-- name: UnnestOrdinalityDefaultName :many
SELECT u.*, ordinality FROM unnest(ARRAY[10, 20]) WITH ORDINALITY AS u;

-- expect: n?, s?
-- name: UnnestMultiple :many
SELECT * FROM unnest(ARRAY[1, 2], ARRAY['x', 'y', 'z']) AS u(n, s);

-- expect: n?, s?
-- name: ColumnDefinitionList :many
SELECT * FROM any_record(3) AS r(n int, s text);

-- expect: n?, s?
-- params: n!
-- name: ColumnDefinitionListNoAlias :many
SELECT n, s FROM any_record($1) AS (n int, s text);

-- expect: id?, name?
-- params: p1!
-- name: JsonbToRecordset :many
SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id int, name text);

-- expect: key?, value?
-- params: p1!
-- name: JsonbEachText :many
SELECT key, value FROM jsonb_each_text($1::jsonb);

-- expect: day!
-- params: p1!, p2!
-- name: GenerateSeriesTimes :many
SELECT day FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 day') AS day;

-- expect: id!, n?
-- name: LateralSetFunction :many
SELECT t.id, c.n FROM tickets t, LATERAL generate_series(1, array_length(t.labels, 1)) AS c(n);

-- expect: id?, priority?
-- params: team!
-- name: SetFunctionReturningTable :many
SELECT tt.id, tt.priority FROM team_tickets(team => $1, max_rows => 5) AS tt;

-- expect: m!
-- params: p1!
-- name: RegexpMatches :many
SELECT m FROM regexp_matches($1::text, '(\d+)', 'g') AS m;

-- expect: part?
-- params: p1!
-- name: StringToTable :many
SELECT part FROM string_to_table($1::text, ',') AS part;

-- expect: option_name?, option_value?
-- name: PgOptionsToTable :many
SELECT option_name, option_value FROM pg_options_to_table(ARRAY['fillfactor=70']);

-- `*` over JOIN ... USING puts the merged column first, then the left side's others, then the right's.
-- expect: team_id!, id!, number!, title!, priority!, score?, labels!, opened_at!, closed_at?, name!
-- name: StarOverJoinUsing :many
SELECT * FROM tickets JOIN watchers USING (team_id);

-- expect: name!, id!, region?, parent_id?, plan!, team_id?
-- name: StarOverLeftJoinUsing :many
SELECT * FROM teams LEFT JOIN watchers USING (name);

-- name: StarOverNaturalJoin :many
SELECT * FROM teams NATURAL JOIN watchers;

-- An inner join keeps its own order inside an outer one; an outer USING merges it away again.
-- name: StarOverNestedJoins :many
SELECT * FROM comments JOIN (tickets JOIN watchers USING (team_id)) ON comments.ticket_id = tickets.id;

-- name: StarOverJoinUsingAroundJoin :many
SELECT * FROM watchers JOIN (tickets t JOIN teams ON teams.id = t.team_id) USING (team_id);

-- A function with one OUT parameter names its column for the parameter, even under a table alias.
-- expect: open_count?
-- params: team!
-- name: OneOutParameterInFrom :one
SELECT * FROM open_tickets($1) AS o;

-- `IN (sqlc.slice('ids'))` with the name quoted is sent as `= ANY($1)` too.
-- expect: id!
-- name: QuotedSliceInList :many
SELECT id FROM tickets WHERE id IN (sqlc.slice('ids'));

