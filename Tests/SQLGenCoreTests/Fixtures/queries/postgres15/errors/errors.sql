-- error: function total_of(items => integer[]) does not exist
-- name: VariadicByNameWithoutVariadic :one
SELECT total_of(items => $1::int[]) AS t;

-- error: function percentile_disc(unknown, timestamp with time zone) is not unique
-- name: AmbiguousFraction :one
SELECT percentile_disc($1) WITHIN GROUP (ORDER BY opened_at) AS at FROM tickets;

-- error: ORDER BY position 5 is not in select list
-- name: OrderByPositionOutOfRange :many
SELECT id FROM tickets ORDER BY 5;

-- error: GROUP BY position 3 is not in select list
-- name: GroupByPositionOutOfRange :many
SELECT team_id, count(*) FROM tickets GROUP BY 3;

-- error: invalid UNION/INTERSECT/EXCEPT ORDER BY clause
-- name: UnionOrderByExpression :many
SELECT id FROM tickets UNION SELECT id FROM ticket_copy ORDER BY id + 1;

-- error: column "doubled" does not exist
-- name: OutputAliasInsideExpression :many
SELECT id, score * 2 AS doubled FROM tickets ORDER BY doubled + 1;

-- error: function weighted(score => numeric, nope => integer) does not exist
-- name: UnknownArgumentName :one
SELECT weighted(score => 1.0, nope => 2) AS w;

-- error: procedure close_ticket() does not exist
-- name: ProcedureMissingArgument :exec
CALL close_ticket();

-- error: column reference "xmin" is ambiguous
-- name: AmbiguousSystemColumn :many
SELECT xmin FROM tickets, comments;

-- error: column "xmin" does not exist
-- name: UnqualifiedSystemColumnOfJoin :many
SELECT xmin FROM tickets t JOIN comments c ON c.ticket_id = t.id;

-- error: aggregate functions are not allowed in GROUP BY
-- name: GroupByAggregateOutput :many
SELECT team_id, count(*) AS n FROM tickets GROUP BY n;

-- error: for SELECT DISTINCT, ORDER BY expressions must appear in select list
-- name: DistinctOrderByHiddenExpression :many
SELECT DISTINCT title FROM tickets ORDER BY lower(title);

-- error: for SELECT DISTINCT, ORDER BY expressions must appear in select list
-- name: DistinctOrderByHiddenColumn :many
SELECT DISTINCT team_id FROM tickets t ORDER BY t.team_id, t.opened_at DESC;

-- error: SELECT DISTINCT ON expressions must match initial ORDER BY expressions
-- name: DistinctOnAfterOtherSortKey :many
SELECT DISTINCT ON (team_id) team_id, title FROM tickets ORDER BY opened_at, team_id;

-- error: column "nope" does not exist
-- name: DistinctOnUnknownColumn :many
SELECT DISTINCT ON (nope) id FROM tickets;

-- error: DISTINCT ON position 4 is not in select list
-- name: DistinctOnPositionOutOfRange :many
SELECT DISTINCT ON (4) id, title FROM tickets;

-- error: could not determine data type of parameter $1
-- name: ParameterIntoVariadicAny :one
SELECT concat('#', $1) AS c;

-- error: could not determine data type of parameter $2
-- name: ParameterIntoJsonbBuildObject :one
SELECT jsonb_build_object('k', $1::text, 'v', $2) AS j;

-- error: could not determine polymorphic type because input has type unknown
-- name: PolymorphicFromParameterOnly :one
SELECT cardinality($1) AS n;

-- error: argument of WHERE must be type boolean, not type text
-- name: LikeOperatorBindsBeforeConcatenation :many
SELECT id FROM tickets WHERE title ~~ 'a' || $1;

-- error: column "tickets.id" must appear in the GROUP BY clause or be used in an aggregate function
-- name: UngroupedColumn :many
SELECT id, title FROM tickets GROUP BY title;

-- error: column "t.name" must appear in the GROUP BY clause or be used in an aggregate function
-- name: GroupedKeyOfTheOtherTable :many
SELECT t.name, count(*) AS n FROM tickets JOIN teams t ON t.id = tickets.team_id GROUP BY tickets.id;

-- error: column "tickets.title" must appear in the GROUP BY clause or be used in an aggregate function
-- name: AggregateWithoutGroupBy :one
SELECT title, count(*) AS n FROM tickets;

-- error: argument of CASE/WHEN must be type boolean, not type double precision
-- name: CaseWhenNotBoolean :many
SELECT CASE WHEN score THEN 1 END AS c FROM tickets;

-- error: argument of FILTER must be type boolean, not type text
-- name: FilterNotBoolean :one
SELECT count(*) FILTER (WHERE title) AS n FROM tickets;

-- error: argument of NOT must be type boolean, not type text
-- name: NotOfText :many
SELECT id FROM tickets WHERE NOT title;

-- error: argument of HAVING must be type boolean, not type bigint
-- name: HavingNotBoolean :many
SELECT team_id FROM tickets GROUP BY team_id HAVING count(*);

-- error: argument of JOIN/ON must be type boolean, not type integer
-- name: JoinOnNotBoolean :many
SELECT tickets.id FROM tickets JOIN teams ON teams.id;

-- error: arguments to GROUPING must be grouping expressions of the associated query level
-- name: GroupingOfNoKey :many
SELECT title, GROUPING(team_id) AS g FROM tickets GROUP BY title;

-- error: arguments to GROUPING must be grouping expressions of the associated query level
-- name: GroupingWithoutGroupBy :one
SELECT GROUPING(title) AS g FROM tickets;

-- error: column "tickets.title" must appear in the GROUP BY clause or be used in an aggregate function
-- name: PrimaryKeyInSomeSetsOnly :many
SELECT id, title FROM tickets GROUP BY ROLLUP (id);
