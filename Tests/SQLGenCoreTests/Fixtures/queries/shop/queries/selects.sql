-- expect: id!, email!, name!, nickname?, tags!, prefs?, created_at!, birthday?, home?, referrer_id?
-- name: GetCustomer :one
SELECT * FROM customers WHERE id = $1;

-- expect: id!, name!
-- name: CustomerByEmail :one
SELECT id, name FROM customers WHERE email = $1;

-- expect: id!, nickname!
-- name: NicknamedCustomers :many
SELECT id, nickname FROM customers WHERE nickname IS NOT NULL ORDER BY id;

-- expect: id!, nickname!
-- name: NicknameLike :many
SELECT id, nickname FROM customers WHERE nickname ILIKE $1;

-- expect: label!
-- name: AliasedColumn :many
SELECT c.name AS label FROM customers AS c;

-- expect: id!, sku!, title!, price!, weight_kg?, attributes!, categories?, active!
-- name: ListProducts :many
SELECT * FROM products WHERE active ORDER BY title LIMIT $1 OFFSET $2;

-- expect: id!, title!
-- name: ProductsBySkus :many
SELECT id, title FROM products WHERE sku = ANY($1);

-- expect: id!, title!
-- name: ProductsInList :many
SELECT id, title FROM products WHERE id IN ($1, $2, $3);

-- expect: id!
-- name: ProductsPriceBetween :many
SELECT id FROM products WHERE price BETWEEN $1 AND $2;

-- expect: id!, status!
-- name: OrdersByStatus :many
SELECT id, status FROM orders WHERE status = $1 AND placed_at > $2;

-- expect: id!, shipped_at!
-- name: ShippedOrders :many
SELECT id, shipped_at FROM orders WHERE shipped_at >= $1;

-- expect: total!, newest?, oldest?, average?
-- name: OrderStats :one
SELECT count(*) AS total, max(placed_at) AS newest, min(placed_at) AS oldest, avg(total) AS average FROM orders;

-- expect: status!, orders!, revenue?, first_order!
-- name: OrdersPerStatus :many
SELECT status, count(*) AS orders, sum(total) AS revenue, min(placed_at) AS first_order FROM orders GROUP BY status;

-- expect: customer_id!, items!, quantity!, value!
-- name: ItemsPerCustomer :many
SELECT o.customer_id, count(*) AS items, sum(i.quantity) AS quantity, sum(i.quantity * i.unit_price) AS value
FROM orders o JOIN order_items i ON i.order_id = o.id
GROUP BY o.customer_id;

-- expect: avg_quantity?, sum_weight?, max_price?
-- name: UngroupedAggregates :one
SELECT avg(i.quantity) AS avg_quantity, sum(p.weight_kg) AS sum_weight, max(p.price) AS max_price
FROM order_items i JOIN products p ON p.id = i.product_id;

-- expect: id!, title!, label!
-- name: CoalesceNickname :many
SELECT c.id, c.name AS title, coalesce(c.nickname, c.name) AS label FROM customers c;

-- expect: id!, display?
-- name: CoalesceAllNullable :many
SELECT id, coalesce(nickname, prefs ->> 'display') AS display FROM customers;

-- expect: id!, size!
-- name: CaseWithElse :many
SELECT id, CASE WHEN quantity > 10 THEN 'large' WHEN quantity > 3 THEN 'medium' ELSE 'small' END AS size FROM order_items i JOIN orders o ON o.id = i.order_id;

-- expect: id!, flag?
-- name: CaseWithoutElse :many
SELECT id, CASE WHEN active THEN 'on' END AS flag FROM products;

-- expect: id!, tier!
-- name: SimpleCase :many
SELECT id, CASE status WHEN 'paid' THEN 1 WHEN 'shipped' THEN 2 ELSE 0 END AS tier FROM orders;

-- expect: id!, order_count!
-- name: ScalarSubquery :many
SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS order_count FROM customers c;

-- expect: id!, has_orders!
-- name: ExistsSubquery :many
SELECT c.id, EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) AS has_orders FROM customers c;

-- expect: id!, order_ids!
-- name: ArraySubquery :many
SELECT c.id, ARRAY(SELECT o.id FROM orders o WHERE o.customer_id = c.id) AS order_ids FROM customers c;

-- expect: id!
-- name: InSubquery :many
SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = $1);

-- expect: id!, first_tag?
-- name: ArraySubscript :many
SELECT id, tags[1] AS first_tag FROM customers;

-- expect: id!, tag_count?
-- name: ArrayLength :many
SELECT id, array_length(tags, 1) AS tag_count FROM customers;

-- expect: id!, theme?, settings?
-- name: JsonOperators :many
SELECT id, prefs ->> 'theme' AS theme, prefs -> 'settings' AS settings FROM customers;

-- expect: id!, color?
-- name: JsonOperatorOnNonNull :many
SELECT id, attributes ->> 'color' AS color FROM products;

-- expect: id!, upper_name!, name_length!
-- name: StrictFunctions :many
SELECT id, upper(name) AS upper_name, length(name) AS name_length FROM customers;

-- expect: id!, lower_nickname?
-- name: StrictFunctionNullableInput :many
SELECT id, lower(nickname) AS lower_nickname FROM customers;

-- expect: id!, doubled!, ratio!
-- name: Arithmetic :many
SELECT id, quantity * 2 AS doubled, unit_price / quantity AS ratio FROM order_items i JOIN orders o ON o.id = i.order_id;

-- expect: mixed!, age!, elapsed!
-- name: OperatorPromotion :many
SELECT quantity + unit_price AS mixed, now() - o.placed_at AS age, o.placed_at - o.placed_at AS elapsed
FROM order_items i JOIN orders o ON o.id = i.order_id;

-- expect: id!, name!, full_label!
-- name: Concatenation :many
SELECT id, name, name || ' <' || email || '>' AS full_label FROM customers;

-- expect: id!, greeting!
-- name: ConcatFunction :many
SELECT id, concat('Hi ', nickname) AS greeting FROM customers;

-- expect: id!, biggest!
-- name: Greatest :many
SELECT id, greatest(quantity, 1) AS biggest FROM order_items i JOIN orders o ON o.id = i.order_id;

-- expect: id!, note_or_null?
-- name: NullIf :many
SELECT id, nullif(note, '') AS note_or_null FROM orders;

-- expect: id!, price_text!, big!
-- name: Casts :many
SELECT id, price::text AS price_text, id::bigint AS big FROM products;

-- expect: today!, stamp!, local!
-- name: ValueFunctions :one
SELECT current_date AS today, current_timestamp AS stamp, localtimestamp AS local;

-- expect: one!, two!, word!, pi!, yes!
-- name: Literals :one
SELECT 1 AS one, 2::bigint AS two, 'word'::text AS word, 3.14 AS pi, true AS yes;

-- expect: id!, rank!, previous?
-- name: WindowFunctions :many
SELECT id, row_number() OVER (ORDER BY placed_at) AS rank, lag(id) OVER (ORDER BY placed_at) AS previous FROM orders;

-- expect: id!, running?
-- name: WindowAggregate :many
SELECT id, sum(total) OVER (PARTITION BY customer_id ORDER BY placed_at) AS running FROM orders;

-- expect: id!, orders!, spent?
-- name: FromView :many
SELECT id, orders, spent FROM customer_totals WHERE id = $1;

-- expect: name!, tags!
-- name: DistinctNames :many
SELECT DISTINCT name, tags FROM customers;

-- expect: id!, email!
-- name: OrderByAlias :many
SELECT id, email AS email FROM customers ORDER BY email DESC, 1;

-- expect: placed_day!, orders!
-- name: GroupByExpression :many
SELECT date_trunc('day', placed_at) AS placed_day, count(*) AS orders FROM orders GROUP BY 1 HAVING count(*) > $1;

-- expect: id!, tags!
-- name: ArrayContains :many
SELECT id, tags FROM customers WHERE tags @> $1;

-- expect: id!
-- name: ArrayOverlapLiteral :many
SELECT id FROM customers WHERE tags && ARRAY['vip', 'new'];

-- expect: labels!
-- name: ArrayConstructor :one
SELECT ARRAY['a', 'b'] AS labels;

-- expect: city?
-- name: CompositeField :many
SELECT (home).city AS city FROM customers;

-- expect: id!, status_text!
-- name: EnumToText :many
SELECT id, status::text AS status_text FROM orders;

-- expect: id!
-- name: EnumCompareLiteral :many
SELECT id FROM orders WHERE status <> 'cancelled' AND status = ANY($1::order_status[]);

-- expect: id!, n!
-- name: LimitParameterAndConstant :many
SELECT id, 1 AS n FROM orders LIMIT 10;

-- expect: bucket!
-- name: GenerateSeriesInSelect :many
SELECT generate_series(1, 10) AS bucket;

-- expect: ?column?!
-- name: UnnamedExpression :one
SELECT 1 + 1;

-- expect: count!
-- name: UnnamedAggregate :one
SELECT count(*) FROM customers;

-- expect: id!, is_recent!
-- name: BooleanExpression :many
SELECT id, placed_at > now() - interval '7 days' AS is_recent FROM orders;

-- expect: id!, maybe?
-- name: BooleanOverNullable :many
SELECT id, shipped_at > placed_at AS maybe FROM orders;

-- expect: id!, not_distinct!
-- name: DistinctFrom :many
SELECT id, shipped_at IS DISTINCT FROM placed_at AS not_distinct FROM orders;

-- expect: id!
-- name: SimilarTo :many
SELECT id FROM products WHERE sku SIMILAR TO $1;

-- expect: position!
-- name: StringFunctions :many
SELECT strpos(name, $1) AS position FROM customers;

-- expect: matched?
-- name: RegexMatch :many
SELECT regexp_match(name, '^(\w+)') AS matched FROM customers;

-- expect: initials!
-- name: Substring :many
SELECT substring(name from 1 for 2) AS initials FROM customers;

-- expect: formatted!
-- name: FormatFunction :many
SELECT format('%s (%s)', name, id) AS formatted FROM customers;

-- expect: birthday_year?
-- name: ExtractFromDate :many
SELECT extract(year FROM birthday) AS birthday_year FROM customers;

-- expect: age!
-- name: AgeOfRow :many
SELECT age(now(), created_at) AS age FROM customers;

-- expect: id!, score!
-- name: MathFunctions :many
SELECT id, round(price * 1.1, 2) AS score FROM products;

-- expect: id!, weight!
-- name: CoalesceDouble :many
SELECT id, coalesce(weight_kg, 0) AS weight FROM products;

-- expect: id!
-- name: NotExists :many
SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);

-- expect: id!, name!
-- name: QualifiedSchema :many
SELECT id, name FROM public.customers WHERE id > $1;

-- expect: id!, payload!
-- name: JsonContainment :many
SELECT id, payload FROM events WHERE payload @> $1;

-- expect: id!, kind!
-- name: JsonKeyExists :many
SELECT id, kind FROM events WHERE payload ? $1;

-- expect: id!, text_search!
-- name: FullTextSearch :many
SELECT id, to_tsvector('english', title) @@ plainto_tsquery('english', $1) AS text_search FROM products;

-- expect: id!, email!
-- name: CitextComparison :many
SELECT id, email FROM customers WHERE email = $1::citext;

-- expect: display?
-- params: name!
-- name: NullIfName :many
SELECT NULLIF(name, $1) AS display FROM customers;

-- expect: id!
-- params: nickname!
-- name: NullIfParameterFirst :many
SELECT id FROM customers WHERE NULLIF($1, nickname) IS NULL;
