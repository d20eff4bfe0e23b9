-- expect: id!, total!
-- name: SimpleCte :many
WITH big AS (SELECT id, total FROM orders WHERE total > $1)
SELECT id, total FROM big;

-- expect: customer_id!, spent?
-- name: CteWithAggregate :many
WITH per_customer AS (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id)
SELECT customer_id, spent FROM per_customer ORDER BY spent DESC NULLS LAST;

-- expect: id!, depth!
-- name: RecursiveCte :many
WITH RECURSIVE chain (id, depth) AS (
    SELECT id, 1 FROM customers WHERE id = $1
    UNION ALL
    SELECT c.id, chain.depth + 1 FROM customers c JOIN chain ON c.referrer_id = chain.id
)
SELECT id, depth FROM chain;

-- expect: id!, status!
-- name: DataModifyingCte :many
WITH cancelled AS (UPDATE orders SET status = 'cancelled' WHERE placed_at < $1 RETURNING id, status)
SELECT id, status FROM cancelled;

-- expect: id!, label!
-- name: UnionAll :many
SELECT id, name AS label FROM customers
UNION ALL
SELECT id, title FROM products;

-- expect: id!, label?
-- name: UnionWithNullable :many
SELECT id, name AS label FROM customers
UNION
SELECT id, note FROM orders;

-- expect: value!
-- name: UnionTypePromotion :many
SELECT 1 AS value UNION SELECT 2.5;

-- expect: id!
-- name: Intersect :many
SELECT customer_id AS id FROM orders INTERSECT SELECT id FROM customers;

-- expect: id!
-- name: Except :many
SELECT id FROM customers EXCEPT SELECT customer_id FROM orders;

-- expect: column1!, column2!
-- name: ValuesList :many
VALUES (1, 'one'), (2, 'two');

-- expect: n!, word?
-- name: ValuesInFrom :many
SELECT v.n, v.word FROM (VALUES (1, 'one'), (2, NULL)) AS v (n, word);

-- expect: tag?
-- name: UnnestInFrom :many
SELECT tag FROM customers c, unnest(c.tags) AS tag WHERE c.id = $1;

-- expect: day!
-- name: GenerateSeriesInFrom :many
SELECT day FROM generate_series($1::date, $2::date, interval '1 day') AS day;

-- expect: tag?, position!
-- name: UnnestWithOrdinality :many
SELECT t.tag, t.position FROM customers c, unnest(c.tags) WITH ORDINALITY AS t (tag, position) WHERE c.id = $1;

-- expect: key?, value?
-- name: JsonbEach :many
SELECT key, value FROM events e, jsonb_each(e.payload) WHERE e.id = $1;

-- expect: id?, customer_id?, status?, placed_at?, shipped_at?, note?, total?
-- name: SetofTableFunction :many
SELECT * FROM recent_orders($1);

-- expect: product_id?, sold?
-- name: ReturnsTableFunction :many
SELECT product_id, sold FROM product_stats($1);

-- expect: id!, orders?
-- name: UserScalarFunction :many
SELECT id, order_count(id) AS orders FROM customers;

-- expect: id!, email!
-- name: NamedParameters :many
SELECT id, email FROM customers WHERE name = @name AND created_at > @since;

-- expect: id!
-- name: SqlcArgMacros :many
SELECT id FROM customers WHERE name = sqlc.arg(name) OR nickname = sqlc.narg(nickname);

-- expect: id!
-- name: SqlcSlice :many
SELECT id FROM products WHERE id = ANY(sqlc.slice(ids));

-- expect: id!, label!
-- name: RepeatedNamedParameter :many
SELECT id, name AS label FROM customers WHERE name = @term OR nickname = @term;

-- expect: id!, name!
-- name: ExistsWithParameters :many
SELECT id, name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = $1);

-- expect: id!
-- name: ParameterInFunction :many
SELECT id FROM customers WHERE lower(name) = lower($1);

-- expect: id!
-- name: ParameterCast :many
SELECT id FROM orders WHERE placed_at > $1::timestamptz - interval '1 day';

-- expect: id!
-- name: ParameterInCoalesce :many
SELECT id FROM orders WHERE coalesce(note, $1) = $2;

-- expect: id!
-- name: DateRange :many
SELECT id FROM orders WHERE placed_at >= $1 AND placed_at < $2 ORDER BY placed_at;

-- expect: id!, created_at!
-- name: KeysetPagination :many
SELECT id, created_at FROM customers WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT $3;
