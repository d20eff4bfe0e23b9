-- ORDER BY and GROUP BY by output column name and by position, with PostgreSQL's precedence.

-- expect: day!, opened!
-- name: GroupByOutputName :many
SELECT date_trunc('day', opened_at) AS day, count(*) AS opened FROM tickets GROUP BY day ORDER BY day;

-- expect: team_id!, priority!, n!
-- name: GroupByPositions :many
SELECT team_id, priority, count(*) AS n FROM tickets GROUP BY 1, 2 ORDER BY 3 DESC, 1;

-- expect: title!, n!
-- name: GroupByInputColumnFirst :many
SELECT upper(title) AS title, count(*) AS n FROM tickets GROUP BY title;

-- expect: shout!, n!
-- params: p1!
-- name: GroupByOutputExpression :many
SELECT upper(title) AS shout, count(*) AS n FROM tickets GROUP BY shout HAVING count(*) > $1;

-- expect: id!, doubled?
-- name: OrderByOutputAlias :many
SELECT id, score * 2 AS doubled FROM tickets ORDER BY doubled NULLS LAST;

-- expect: id!, score?
-- name: OrderByOutputShadowsInput :many
SELECT id, -score AS score FROM tickets ORDER BY score;

-- expect: id!
-- params: score!
-- name: OrderByInputExpression :many
SELECT id FROM tickets ORDER BY score * $1;

-- expect: title!, opened_at!
-- name: OrderByPositionDescending :many
SELECT title, opened_at FROM tickets ORDER BY 2 DESC, 1;

-- expect: id!
-- name: OrderByUnionPosition :many
SELECT id FROM tickets UNION SELECT id FROM ticket_copy ORDER BY 1;

-- expect: key!
-- name: OrderByUnionName :many
SELECT id AS key FROM tickets UNION ALL SELECT id FROM ticket_copy ORDER BY key DESC;

-- expect: column1!, column2!
-- name: OrderByValuesColumn :many
VALUES (1, 'a'), (2, 'b') ORDER BY column2 DESC;

-- expect: team_id!, n!
-- params: limit!
-- name: GroupByRollupKeys :many
SELECT team_id, count(*) AS n FROM tickets GROUP BY team_id ORDER BY n DESC LIMIT $1;

-- expect: level!
-- name: DistinctOrderByOutput :many
SELECT DISTINCT priority AS level FROM tickets ORDER BY level;

-- expect: id!, position!
-- name: WindowOrderByAlias :many
SELECT id, row_number() OVER (ORDER BY opened_at) AS position FROM tickets ORDER BY position;

-- expect: t!
-- name: DistinctOrderBySameExpression :many
SELECT DISTINCT lower(title) AS t FROM tickets ORDER BY lower(tickets.title);

-- expect: team_id!
-- name: DistinctOrderByQualifiedColumn :many
SELECT DISTINCT t.team_id FROM tickets t ORDER BY team_id DESC;

-- expect: team_id!, title!
-- name: LatestTitlePerTeam :many
SELECT DISTINCT ON (team_id) team_id, title FROM tickets ORDER BY team_id, opened_at DESC;

-- expect: team_id!, title!
-- name: DistinctOnHiddenKeyFirst :many
SELECT DISTINCT ON (date_trunc('day', opened_at)) team_id, title
FROM tickets ORDER BY date_trunc('day', tickets.opened_at), opened_at;

-- expect: team_id!, title!
-- name: DistinctOnPositionAndName :many
SELECT DISTINCT ON (1, title) team_id, title FROM tickets ORDER BY title, team_id, opened_at;
