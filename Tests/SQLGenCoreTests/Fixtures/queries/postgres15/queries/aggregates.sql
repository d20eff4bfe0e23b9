-- Ordered-set and hypothetical-set aggregates, FILTER, and ORDER BY inside aggregates.

-- expect: median?
-- name: MedianScore :one
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY score) AS median FROM tickets;

-- expect: median?
-- name: ContinuousMedian :one
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score) AS median FROM tickets;

-- expect: quartiles?
-- name: Quartiles :one
SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY score) AS quartiles FROM tickets;

-- expect: times?
-- name: QuartileTimes :one
SELECT percentile_disc(ARRAY[0.25, 0.75]) WITHIN GROUP (ORDER BY opened_at) AS times FROM tickets;

-- expect: at?
-- params: p1!
-- name: MedianParameterFraction :one
SELECT percentile_disc($1::double precision) WITHIN GROUP (ORDER BY opened_at) AS at FROM tickets;

-- expect: common?
-- name: MostCommonPriority :one
SELECT mode() WITHIN GROUP (ORDER BY priority) AS common FROM tickets;

-- expect: team_id!, median_opened?
-- name: MedianPerTeam :many
SELECT team_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY opened_at) AS median_opened FROM tickets GROUP BY team_id;

-- expect: r!
-- params: p1!
-- name: HypotheticalRank :one
SELECT rank($1) WITHIN GROUP (ORDER BY score) AS r FROM tickets;

-- expect: r!
-- params: p1!, p2!
-- name: HypotheticalDenseRank :one
SELECT dense_rank($1, $2) WITHIN GROUP (ORDER BY priority, opened_at) AS r FROM tickets;

-- expect: pr!
-- params: p1!
-- name: HypotheticalPercentRank :one
SELECT percent_rank($1::double precision) WITHIN GROUP (ORDER BY score) AS pr FROM tickets;

-- expect: cd!
-- params: p1!
-- name: HypotheticalCumeDist :one
SELECT cume_dist($1) WITHIN GROUP (ORDER BY opened_at DESC) AS cd FROM tickets;

-- expect: team_id!, open_titles?
-- name: FilteredStringAgg :many
SELECT team_id, string_agg(title, ', ' ORDER BY opened_at) FILTER (WHERE closed_at IS NULL) AS open_titles
FROM tickets GROUP BY team_id;

-- expect: team_id!, numbers!
-- name: ArrayAggOrdered :many
SELECT team_id, array_agg(number ORDER BY number DESC) AS numbers FROM tickets GROUP BY team_id;

-- expect: high!, chosen!
-- params: priority!
-- name: FilteredCounts :one
SELECT count(*) FILTER (WHERE priority = 'high') AS high, count(*) FILTER (WHERE priority = $1) AS chosen FROM tickets;

-- expect: team_id!, titles!
-- name: JsonObjectAggOrdered :many
SELECT team_id, jsonb_object_agg(number, title ORDER BY number) AS titles FROM tickets GROUP BY team_id;

-- expect: teams!, priorities?
-- name: DistinctAggregate :one
SELECT count(DISTINCT team_id) AS teams, array_agg(DISTINCT priority) AS priorities FROM tickets;

-- Grouping sets: a key missing from some set is NULL in that set's rows, and a set that is empty
-- (ROLLUP, CUBE, `()`) makes one row even of no rows, whose aggregates can be NULL.

-- expect: team_id?, priority?, tickets!, total?, grouping!
-- name: TicketsByTeamAndPriorityRollup :many
SELECT team_id, priority, count(*) AS tickets, sum(score) AS total, GROUPING(team_id, priority) AS grouping
FROM tickets GROUP BY ROLLUP (team_id, priority);

-- expect: team_id!, priority?, opened!, grouping!
-- name: TicketsByTeamThenPriority :many
SELECT team_id, priority, min(opened_at) AS opened, GROUPING(priority) AS grouping
FROM tickets GROUP BY team_id, CUBE (priority);

-- expect: team_id?, title?, n!
-- name: TicketsBySets :many
SELECT team_id, title, count(*) AS n FROM tickets GROUP BY GROUPING SETS ((team_id), (title), ());

-- expect: team_id!, title?, n!
-- name: TicketsBySetsSharingAKey :many
SELECT team_id, title, count(*) AS n FROM tickets GROUP BY GROUPING SETS ((team_id, title), (team_id));

-- expect: lowered?, n!
-- name: TicketsByExpressionCube :many
SELECT lower(title) AS lowered, count(*) AS n FROM tickets GROUP BY CUBE (lower(title));

-- expect: id!, title!, team_id?, n!
-- name: TicketsByKeyAndRollup :many
SELECT id, title, team_id, count(*) AS n FROM tickets GROUP BY id, ROLLUP (team_id);

-- expect: label!, n!
-- name: TicketsBySetWithCoalesce :many
SELECT coalesce(title, 'all') AS label, count(*) AS n FROM tickets GROUP BY ROLLUP (title);
