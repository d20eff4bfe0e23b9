-- Dynamic queries: optional conditions and a caller-chosen sort, each combination its own statement.

-- Orders found by any of their customer, status and placing time, newest or largest first.
-- name: SearchOrders :many
SELECT o.id, o.customer_id, o.status, o.placed_at, o.total
FROM orders o
WHERE sqlgen.optional(o.customer_id = @customer_id)
  AND sqlgen.optional(o.status = @status)
  AND sqlgen.optional(o.placed_at >= @placed_from)
  AND sqlgen.optional(o.placed_at < @placed_until)
ORDER BY sqlgen.sort(placed_at => o.placed_at, total => o.total), o.id
LIMIT sqlc.arg(max_rows);

-- A count is exactly one row in every variant; a condition of two parameters needs both.
-- name: CountOrders :one
SELECT count(*) FROM orders
WHERE sqlgen.optional(customer_id = ANY(sqlc.slice(customer_ids)))
  AND sqlgen.optional(total BETWEEN @min_total AND @max_total)
  AND sqlgen.optional(note = @note);

-- Only a sort: one column, so each row is its value.
-- name: OrderIDs :many
SELECT id FROM orders ORDER BY sqlgen.sort(id, placed => placed_at), id;

-- A parameter may be named as the generated chooser's own locals were.
-- name: CustomersNamed :many
SELECT id FROM customers WHERE sqlgen.optional(name = @index) ORDER BY id;

-- With the condition the outer join is an inner one; without it the referrer may be missing: the
-- embedded model is optional for every variant.
-- name: CustomersWithReferrer :many
SELECT sqlc.embed(c), sqlc.embed(r) FROM customers c LEFT JOIN customers r ON r.id = c.referrer_id
WHERE sqlgen.optional(r.name = @referrer_name)
ORDER BY c.id;
