-- Zero-column SELECTs, untyped literals in subqueries and recursive CTEs, and subscripted assignment.

-- params: team_id!
-- name: ZeroColumns :many
SELECT FROM tickets WHERE team_id = $1;

-- params: id!
-- name: ZeroColumnsOne :one
SELECT FROM teams WHERE id = $1;

-- expect: n!, tag?
-- name: RecursiveUntypedNull :many
WITH RECURSIVE r(n, tag) AS (SELECT 1, NULL UNION ALL SELECT n + 1, 'x' FROM r WHERE n < 3) SELECT n, tag FROM r;

-- expect: x?, y!
-- name: CteUntypedLiterals :many
WITH c AS (SELECT NULL AS x, 'lit' AS y) SELECT x, y FROM c;

-- expect: x?
-- name: SubqueryUntypedNull :many
SELECT s.x FROM (SELECT NULL AS x) AS s;

-- expect: id!, name!, depth!
-- params: id!
-- name: TeamTree :many
WITH RECURSIVE tree AS (
    SELECT id, name, parent_id, 1 AS depth FROM teams WHERE id = $1
    UNION ALL
    SELECT t.id, t.name, t.parent_id, tree.depth + 1 FROM teams t JOIN tree ON t.parent_id = tree.id
)
SELECT id, name, depth FROM tree;

-- params: index!, labels!, id!
-- name: SetArrayElement :exec
UPDATE tickets SET labels[$1] = $2 WHERE id = $3;

-- params: index!, index2!, labels!, id!
-- name: SetArraySlice :exec
UPDATE tickets SET labels[$1:$2] = $3 WHERE id = $4;

-- expect: id!
-- params: p1!
-- name: NullifParameter :many
SELECT id FROM tickets WHERE score = NULLIF($1, 0);

-- expect: id!
-- params: p1!, p2!
-- name: ArrayElementCompare :many
SELECT id FROM tickets WHERE labels[$1] = $2;
