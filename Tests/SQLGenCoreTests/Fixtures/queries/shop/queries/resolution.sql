-- Type resolution in PostgreSQL's order, and nullability that follows what the statement does.

-- COALESCE keeps the first of two types that coerce both ways; CASE resolves its ELSE first.
-- expect: a!, b!, c!, d!
-- name: CommonTypeOrder :many
SELECT coalesce(sku, title) AS a, coalesce(title, sku) AS b, CASE WHEN active THEN sku ELSE title END AS c,
    CASE WHEN active THEN title ELSE sku END AS d
FROM products;

-- A scalar subquery of an aggregate without GROUP BY returns exactly one row: as NULL-able as its column.
-- expect: orders!, latest?, first_sku?
-- name: SubqueryAggregates :one
SELECT (SELECT count(*) FROM orders) AS orders, (SELECT max(placed_at) FROM orders) AS latest,
    (SELECT sku FROM products ORDER BY id LIMIT 1) AS first_sku;

-- RETURNING shows the new row: the WHERE rejects a NULL old nickname, but SET may store NULL.
-- expect: id!, nickname?, name!
-- name: ReplaceNickname :many
UPDATE customers SET nickname = sqlc.narg(nickname) WHERE nickname = @old_nickname RETURNING id, nickname, name;

-- A NOT NULL column's new value is never NULL, whatever is assigned: the write would fail.
-- expect: id!, name!
-- name: RenameCustomerTo :many
UPDATE customers SET name = coalesce(sqlc.narg(new_name), name) WHERE nickname IS NOT NULL RETURNING id, name;

-- `IN (sqlc.slice(...))` is sent as `= ANY($n)`, the form that takes an array.
-- expect: id!
-- name: CustomersInOrNotIn :many
SELECT id FROM customers WHERE id IN (sqlc.slice(ids)) AND name NOT IN (sqlc.slice(excluded_names)) ORDER BY id;

-- Named parameters take the numbers after the highest positional one.
-- expect: id!
-- name: MixedParameters :many
SELECT id FROM customers WHERE id > $1 AND name <> @excluded_name ORDER BY id;
