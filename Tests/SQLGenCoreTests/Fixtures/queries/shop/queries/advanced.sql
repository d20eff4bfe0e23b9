-- expect: customer_id!, shipped!, distinct_statuses!
-- name: FilteredAggregates :many
SELECT customer_id, count(*) FILTER (WHERE status = 'shipped') AS shipped, count(DISTINCT status) AS distinct_statuses
FROM orders GROUP BY customer_id;

-- expect: customer_id!, notes?, statuses!, ids!
-- name: StringAndArrayAggregates :many
SELECT customer_id, string_agg(note, ', ') AS notes, array_agg(status ORDER BY placed_at) AS statuses, json_agg(id) AS ids
FROM orders GROUP BY customer_id;

-- expect: any_shipped!, all_paid!
-- name: BooleanAggregates :many
SELECT bool_or(status = 'shipped') AS any_shipped, bool_and(status = 'paid') AS all_paid FROM orders GROUP BY customer_id;

-- expect: id!, summary!
-- name: JsonbBuildObject :many
SELECT id, jsonb_build_object('name', name, 'nickname', nickname) AS summary FROM customers;

-- expect: id!, first_item?, deep?
-- name: JsonPaths :many
SELECT id, payload -> 'items' -> 0 AS first_item, payload #>> '{a,b}' AS deep FROM events;

-- expect: id!, first_two?
-- name: ArraySlice :many
SELECT id, tags[1:2] AS first_two FROM customers;

-- expect: id!
-- name: LikeAny :many
SELECT id FROM customers WHERE name LIKE ANY ($1);

-- expect: id!
-- name: NotInList :many
SELECT id FROM orders WHERE status NOT IN ('cancelled', 'pending');

-- expect: id!, active_flag!
-- name: IsTrue :many
SELECT id, active IS TRUE AS active_flag FROM products;

-- expect: id!, bucket!
-- name: NestedCase :many
SELECT id, CASE WHEN total IS NULL THEN 'none' ELSE CASE WHEN total > 100 THEN 'big' ELSE 'small' END END AS bucket FROM orders;

-- expect: customer_id!, placed_at!
-- name: DistinctOn :many
SELECT DISTINCT ON (customer_id) customer_id, placed_at FROM orders ORDER BY customer_id, placed_at DESC;

-- expect: id!
-- name: FetchFirst :many
SELECT id FROM orders ORDER BY id FETCH FIRST 5 ROWS ONLY;

-- expect: id!
-- name: OffsetOnly :many
SELECT id FROM orders ORDER BY id OFFSET $1;

-- expect: id!, email!, name!, nickname?, tags!, prefs?, created_at!, birthday?, home?, referrer_id?, id!, status!
-- name: EmbedCustomer :many
SELECT sqlc.embed(c), o.id, o.status FROM customers c JOIN orders o ON o.customer_id = c.id;

-- expect: id!, email!, name!, nickname?, tags!, prefs?, created_at!, birthday?, home?, referrer_id?, id?, customer_id?, status?, placed_at?, shipped_at?, note?, total?
-- name: CustomersWithOrders :many
SELECT sqlc.embed(c), sqlc.embed(o) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id ORDER BY c.id, o.id;

-- expect: id!, email!, name!, nickname?, tags!, prefs?, created_at!, birthday?, home?, referrer_id?, id!, customer_id!, status!, placed_at!, shipped_at?, note?, total?
-- name: CustomersWithPaidOrders :many
SELECT sqlc.embed(c), sqlc.embed(o) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.status = 'paid';

-- expect: element?
-- name: JsonbArrayElementsLateral :many
SELECT element FROM events e, LATERAL jsonb_array_elements(e.payload -> 'items') AS element WHERE e.id = $1;

-- expect: n!
-- name: GenerateSeriesIntegers :many
SELECT n FROM generate_series(1, $1) AS n;

-- expect: id!, ends_at!
-- name: DateArithmetic :many
SELECT id, placed_at + interval '30 days' AS ends_at FROM orders;

-- expect: days!
-- name: DateDifference :many
SELECT current_date - birthday AS days FROM customers WHERE birthday IS NOT NULL;

-- expect: id!, since!
-- name: IntervalMultiplication :many
SELECT id, interval '1 hour' * quantity AS since FROM order_items i JOIN orders o ON o.id = i.order_id;

-- expect: id!, customer_id!, status!, placed_at!, shipped_at?, note?, total?
-- name: DeleteReturningStar :many
DELETE FROM orders WHERE status = 'cancelled' RETURNING *;

-- expect: id!, doubled?
-- name: ReturningExpression :one
UPDATE orders SET total = total * 2 WHERE id = $1 RETURNING id, total * 2 AS doubled;

-- params: note?, total?, id!
-- name: UpdateMultipleColumns :exec
UPDATE orders SET (note, total) = ($1, $2) WHERE id = $3;

-- expect: id!
-- name: InsertFromCte :many
WITH source AS (SELECT id FROM customers WHERE created_at > $1)
INSERT INTO orders (customer_id) SELECT id FROM source RETURNING id;

-- expect: id!, customer_id!
-- name: InsertingCte :many
WITH created AS (INSERT INTO orders (customer_id) VALUES ($1) RETURNING id, customer_id)
SELECT id, customer_id FROM created;

-- expect: a!, b!
-- name: MultipleCtes :one
WITH a AS (SELECT count(*) AS n FROM customers), b AS (SELECT count(*) AS n FROM orders)
SELECT a.n AS a, b.n AS b FROM a, b;

-- params: sku!, title!, price!
-- name: UpsertWithExcludedCondition :exec
INSERT INTO products (sku, title, price) VALUES ($1, $2, $3)
ON CONFLICT (sku) DO UPDATE SET price = EXCLUDED.price WHERE products.price IS DISTINCT FROM EXCLUDED.price;

-- expect: id!
-- name: IntersectAll :many
SELECT customer_id AS id FROM orders INTERSECT ALL SELECT id FROM customers;

-- expect: total!
-- name: CastInOrder :many
SELECT total::bigint AS total FROM orders WHERE total IS NOT NULL ORDER BY total::bigint;

-- expect: id!, lead_id?
-- name: LeadWindow :many
SELECT id, lead(id) OVER (PARTITION BY customer_id ORDER BY placed_at) AS lead_id FROM orders;

-- expect: id!, dense!, percent!
-- name: RankingWindows :many
SELECT id, dense_rank() OVER w AS dense, percent_rank() OVER w AS percent FROM orders WINDOW w AS (ORDER BY total);

-- expect: abs_total?
-- name: AbsOfNullable :many
SELECT abs(total) AS abs_total FROM orders;

-- expect: id!, safe_ratio?
-- name: NullIfDivision :many
SELECT id, quantity / nullif(unit_price, 0) AS safe_ratio FROM order_items i JOIN orders o ON o.id = i.order_id;

-- expect: id!, initials!
-- name: LeftFunction :many
SELECT id, left(name, 1) AS initials FROM customers;

-- expect: id!, trimmed!
-- name: TrimFunction :many
SELECT id, trim(both ' ' from name) AS trimmed FROM customers;

-- expect: id!, position!
-- name: PositionFunction :many
SELECT id, position('a' in name) AS position FROM customers;

-- expect: total_weight?
-- name: SumOfDoubleUngrouped :one
SELECT sum(weight_kg) AS total_weight FROM products;

-- expect: average!
-- name: AvgGroupedNonNull :many
SELECT avg(quantity) AS average FROM order_items GROUP BY product_id;

-- to_char of an infinite timestamp is NULL: the catalog generator found it by calling it.
-- expect: id!, to_char?
-- name: ToChar :many
SELECT id, to_char(placed_at, 'YYYY-MM') FROM orders;

-- expect: month!, won!, lost!, ratio?
-- name: RatiosPerMonth :many
SELECT date_trunc('month', placed_at) AS month,
       count(*) FILTER (WHERE status = 'paid') AS won,
       count(*) FILTER (WHERE status = 'cancelled') AS lost,
       round(count(*) FILTER (WHERE status = 'paid')::numeric / nullif(count(*), 0), 2) AS ratio
FROM orders GROUP BY 1 ORDER BY 1;

-- expect: doc!
-- name: RowToJson :many
SELECT row_to_json(c) AS doc FROM customers c;

-- expect: p!, i?
-- name: WholeRowReferences :many
SELECT p, i FROM products p LEFT JOIN order_items i ON i.product_id = p.id;
