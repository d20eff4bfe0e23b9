-- Relations made by CREATE TABLE AS, SELECT INTO, materialized views with column lists, and
-- CREATE TABLE ... LIKE.

-- expect: team!, open_tickets!
-- params: team!
-- name: MaterializedViewColumns :many
SELECT team, open_tickets FROM team_load WHERE team = $1;

-- expect: id?, title?, closed_at?
-- name: TableFromQuery :many
SELECT id, title, closed_at FROM ticket_archive;

-- expect: ticket?, comments?
-- name: TableFromQueryWithColumnNames :many
SELECT ticket, comments FROM comment_counts;

-- expect: id?, title?
-- name: TableFromSelectInto :many
SELECT id, title FROM ticket_titles;

-- params: id?, title?, closed_at?
-- name: InsertIntoTableFromQuery :exec
INSERT INTO ticket_archive (id, title, closed_at) VALUES ($1, $2, $3);

-- expect: id!, title!, labels!
-- name: TableLike :many
SELECT id, title, labels FROM ticket_copy;

-- name: RefreshLoad :exec
REFRESH MATERIALIZED VIEW team_load;
