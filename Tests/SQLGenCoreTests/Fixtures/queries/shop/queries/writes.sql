-- expect: id!, email!, name!, nickname?, tags!, prefs?, created_at!, birthday?, home?, referrer_id?
-- params: email!, name!, nickname?
-- name: CreateCustomer :one
INSERT INTO customers (email, name, nickname) VALUES ($1, $2, $3) RETURNING *;

-- expect: id!
-- params: sku!, title!, price!, categories?
-- name: CreateProduct :one
INSERT INTO products (sku, title, price, categories) VALUES (@sku, @title, @price, @categories) RETURNING id;

-- params: order_id!, product_id!, quantity!, unit_price!
-- name: AddItem :exec
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, $4)
ON CONFLICT (order_id, product_id) DO UPDATE SET quantity = order_items.quantity + EXCLUDED.quantity;

-- params: customer_id!, note?
-- name: CreateOrder :execresult
INSERT INTO orders (customer_id, note) VALUES ($1, $2);

-- expect: id!
-- params: sku!
-- name: UpsertIgnore :many
INSERT INTO products (sku, title, price) VALUES ($1, 'untitled', 1) ON CONFLICT DO NOTHING RETURNING id;

-- params: id!, status!
-- name: InsertSelect :execrows
INSERT INTO orders (customer_id, status) SELECT id, $2 FROM customers WHERE id = $1;

-- params: order_id!, product_id!, quantity!, unit_price!
-- name: CopyItems :copyfrom
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, $4);

-- params: kind!, payload!, occurred_at!, customer_id?
-- name: BatchEvents :batchexec
INSERT INTO events (kind, payload, occurred_at, customer_id) VALUES ($1, $2, $3, $4);

-- expect: id!, status!
-- params: status!, id!
-- name: UpdateStatus :one
UPDATE orders SET status = $1 WHERE id = $2 RETURNING id, status;

-- params: nickname?, prefs?, id!
-- name: UpdateProfile :exec
UPDATE customers SET nickname = $1, prefs = $2 WHERE id = $3;

-- params: shipped_at?, id!
-- name: MarkShipped :execrows
UPDATE orders SET shipped_at = coalesce($1, now()), status = 'shipped' WHERE id = $2;

-- params: price!, price2!
-- name: UpdateWithExpression :execrows
UPDATE products SET price = price * $1 WHERE price > $2;

-- params: id!
-- name: UpdateFrom :execrows
UPDATE orders o SET note = c.name FROM customers c WHERE c.id = o.customer_id AND c.id = $1;

-- params: p1!, id!
-- name: AppendTag :exec
UPDATE customers SET tags = array_append(tags, $1) WHERE id = $2;

-- params: id!
-- name: DeleteOrder :exec
DELETE FROM orders WHERE id = $1;

-- expect: id!, kind!
-- params: occurred_at!
-- name: DeleteOldEvents :many
DELETE FROM events WHERE occurred_at < $1 RETURNING id, kind;

-- params: customer_id!
-- name: DeleteUsing :execrows
DELETE FROM order_items i USING orders o WHERE o.id = i.order_id AND o.customer_id = $1;

-- params: sku!, title!, price!
-- name: UpsertProduct :exec
INSERT INTO products (sku, title, price) VALUES ($1, $2, $3)
ON CONFLICT (sku) DO UPDATE SET title = EXCLUDED.title, price = EXCLUDED.price WHERE products.active;

-- expect: id!
-- params: kind!, payload!
-- name: InsertWithNow :one
INSERT INTO events (kind, payload, occurred_at) VALUES ($1, $2, now()) RETURNING id;

-- params: birthday?, id!
-- name: SetBirthday :exec
UPDATE customers SET birthday = sqlc.narg(birthday) WHERE id = sqlc.arg(id);

-- expect: id!
-- params: id!, kind!
-- name: ImportEventWithItsId :one
INSERT INTO events (id, kind, payload, occurred_at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, '{}', now()) RETURNING id;

-- expect: id!
-- params: kind!
-- name: InsertEventDefaultId :one
INSERT INTO events (id, kind, payload, occurred_at) VALUES (DEFAULT, $1, '{}', now()) RETURNING id;
