-- Function and procedure calls: named arguments (=> and :=), defaults, VARIADIC, and CALL.

-- expect: w?
-- params: bonus!
-- name: WeightedByName :one
SELECT weighted(score => 2.0, bonus => $1) AS w;

-- expect: w?
-- params: score!
-- name: WeightedColonEquals :one
SELECT weighted(score := $1, weight := 2.0) AS w;

-- expect: w?
-- params: score!
-- name: WeightedMixed :one
SELECT weighted($1, bonus => 3) AS w;

-- expect: w?
-- params: bonus!, weight!, score!
-- name: WeightedNamedOutOfOrder :one
SELECT weighted(bonus => $1, weight => $2, score => $3) AS w;

-- expect: id!, w?
-- name: WeightedDefaults :many
SELECT id, weighted(score) AS w FROM tickets;

-- expect: w?
-- params: base!, factor!
-- name: WeightedMacroNamed :one
SELECT weighted(score => sqlc.arg(base), weight => @factor) AS w;

-- expect: t?
-- params: items!
-- name: VariadicExpanded :one
SELECT total_of(1, 2, $1) AS t;

-- expect: t?
-- params: items!
-- name: VariadicOne :one
SELECT total_of($1) AS t;

-- expect: t?
-- params: p1!
-- name: VariadicArrayArgument :one
SELECT total_of(VARIADIC $1::int[]) AS t;

-- expect: t?
-- params: items!
-- name: VariadicArrayUntyped :one
SELECT total_of(VARIADIC $1) AS t;

-- expect: t?
-- params: items!
-- name: VariadicNamed :one
SELECT total_of(VARIADIC items => $1) AS t;

-- expect: line?
-- params: parts!, id!
-- name: VariadicAfterFixed :one
SELECT joined(', ', title, $1) AS line FROM tickets WHERE id = $2;

-- expect: span!
-- params: days!, hours!
-- name: BuiltinNamedInterval :one
SELECT make_interval(days => $1, hours => $2) AS span;

-- expect: at!
-- params: year!
-- name: BuiltinNamedTimestamp :one
SELECT make_timestamptz(year => $1, month => 1, mday => 1, hour => 0, min => 0, sec => 0) AS at;

-- expect: v?
-- params: silent!
-- name: BuiltinNamedJsonbPath :many
SELECT jsonb_path_query('{"a": [1, 2]}'::jsonb, '$.a[*]', silent => $1) AS v;

-- expect: label!
-- params: p1!, p2!
-- name: BuiltinVariadicFormat :one
SELECT format('%s-%s', $1::text, $2::int) AS label;

-- expect: path!
-- params: p1!
-- name: BuiltinVariadicConcatWs :one
SELECT concat_ws('/', 'a', $1::text, 3) AS path;

-- expect: team_name?, open_count?
-- params: team!
-- name: OutParameters :one
SELECT * FROM team_pair($1);

-- expect: team_name?, open_count?
-- params: team!
-- name: OutParametersNamed :one
SELECT team_name, open_count FROM team_pair(team => $1);

-- expect: id?, title?
-- params: team!
-- name: SetReturningWithDefaults :many
SELECT id, title FROM team_tickets($1);

-- expect: id?, title?
-- params: team!, max_rows!
-- name: SetReturningNamedDefault :many
SELECT id, title FROM team_tickets($1, max_rows => $2);

-- params: ticket!
-- name: CallClose :exec
CALL close_ticket($1);

-- params: ticket!, at!
-- name: CallCloseNamed :exec
CALL close_ticket(ticket => $1, at => $2);

-- params: ticket_id!, closed_at?
-- name: CallCloseMacro :execrows
CALL close_ticket(sqlc.arg(ticket_id), sqlc.narg(closed_at));

-- expect: total?
-- params: team!
-- name: CallInOut :one
CALL count_open($1, NULL);

-- expect: total?
-- params: team!
-- name: CallInOutNamed :one
CALL count_open(team => $1, total => NULL);

-- expect: opened?, closed?
-- params: team!
-- name: CallOutParameters :one
CALL team_summary($1, NULL, NULL);

-- params: ids!, ids2!
-- name: CallVariadic :exec
CALL tag_tickets('urgent', $1, $2);

-- params: label!, p2!
-- name: CallVariadicArray :exec
CALL tag_tickets($1, VARIADIC $2::bigint[]);
