-- expect: order_id!, customer_name!
-- name: InnerJoin :many
SELECT o.id AS order_id, c.name AS customer_name FROM orders o JOIN customers c ON c.id = o.customer_id;

-- expect: id!, order_id?, status?
-- name: LeftJoin :many
SELECT c.id, o.id AS order_id, o.status FROM customers c LEFT JOIN orders o ON o.customer_id = c.id;

-- expect: id?, order_id!
-- name: RightJoin :many
SELECT c.id, o.id AS order_id FROM customers c RIGHT JOIN orders o ON o.customer_id = c.id;

-- expect: customer_id?, order_id?
-- name: FullJoin :many
SELECT c.id AS customer_id, o.id AS order_id FROM customers c FULL JOIN orders o ON o.customer_id = c.id;

-- expect: id!, referrer_name?
-- name: SelfJoin :many
SELECT c.id, r.name AS referrer_name FROM customers c LEFT JOIN customers r ON r.id = c.referrer_id;

-- expect: id!, referrer_name!
-- name: SelfInnerJoin :many
SELECT c.id, r.name AS referrer_name FROM customers c JOIN customers r ON r.id = c.referrer_id;

-- expect: order_id!, title?, quantity?
-- name: ChainedLeftJoins :many
SELECT o.id AS order_id, p.title, i.quantity
FROM orders o LEFT JOIN order_items i ON i.order_id = o.id LEFT JOIN products p ON p.id = i.product_id;

-- expect: order_id!, title!, quantity!
-- name: LeftJoinThenInner :many
SELECT o.id AS order_id, p.title, i.quantity
FROM orders o LEFT JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id;

-- expect: id!, order_id!
-- name: LeftJoinFilteredInWhere :many
SELECT c.id, o.id AS order_id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.status = $1;

-- expect: id!, order_id?
-- name: LeftJoinIsNullFilter :many
SELECT c.id, o.id AS order_id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL;

-- expect: id!, quantity?, title?
-- name: NestedJoinOnNullableSide :many
SELECT o.id, i.quantity, p.title
FROM orders o LEFT JOIN (order_items i JOIN products p ON p.id = i.product_id) ON i.order_id = o.id;

-- expect: order_id!, product_id!, quantity!
-- name: JoinUsing :many
SELECT order_id, product_id, quantity FROM order_items JOIN orders ON orders.id = order_items.order_id;

-- expect: id!, customer_id!, status!, placed_at!, shipped_at?, note?, total?, name!
-- name: StarWithJoin :many
SELECT o.*, c.name FROM orders o JOIN customers c ON c.id = o.customer_id;

-- expect: id!, name!, id_2?
-- name: CrossJoinLateral :many
SELECT c.id, c.name, last_order.id AS id_2
FROM customers c LEFT JOIN LATERAL (SELECT o.id FROM orders o WHERE o.customer_id = c.id ORDER BY o.placed_at DESC LIMIT 1) last_order ON true;

-- expect: id!, name!
-- name: CommaJoin :many
SELECT c.id, p.title AS name FROM customers c, products p WHERE p.id = $1;

-- expect: id!, customer_name!, item_count!
-- name: JoinWithSubqueryInFrom :many
SELECT o.id, c.name AS customer_name, counts.n AS item_count
FROM orders o JOIN customers c ON c.id = o.customer_id
JOIN (SELECT order_id, count(*) AS n FROM order_items GROUP BY order_id) counts ON counts.order_id = o.id;

-- expect: id!, name!, orders!, spent?
-- name: ViewJoin :many
SELECT c.id, c.name, t.orders, t.spent FROM customers c JOIN customer_totals t ON t.id = c.id;
