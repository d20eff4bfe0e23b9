-- error: column "emial" does not exist
-- name: UnknownColumn :one
SELECT id FROM customers WHERE emial = $1;

-- error: relation "customer" does not exist
-- name: UnknownTable :many
SELECT id FROM customer;

-- error: column c.nope does not exist
-- name: UnknownQualifiedColumn :many
SELECT c.nope FROM customers c;

-- error: missing FROM-clause entry for table "x"
-- name: UnknownQualifier :many
SELECT x.id FROM customers c;

-- error: column reference "id" is ambiguous
-- name: AmbiguousColumn :many
SELECT id FROM customers c JOIN orders o ON o.customer_id = c.id;

-- error: function lowercase(text) does not exist
-- name: UnknownFunction :many
SELECT lowercase(name) FROM customers;

-- error: INSERT has more expressions than target columns
-- name: TooManyValues :exec
INSERT INTO products (sku, title) VALUES ($1, $2, $3);

-- error: INSERT has more target columns than expressions
-- name: TooFewValues :exec
INSERT INTO products (sku, title, price) VALUES ($1, $2);

-- error: column "colour" of relation "products" does not exist
-- name: UnknownInsertColumn :exec
INSERT INTO products (sku, colour) VALUES ($1, $2);

-- error: operator does not exist: integer = text
-- name: OperatorMismatch :many
SELECT id FROM products WHERE id = 'x'::text;

-- error: column "nope" of relation "orders" does not exist
-- name: UnknownUpdateColumn :exec
UPDATE orders SET nope = 1 WHERE id = $1;

-- error: inconsistent types deduced for parameter $1
-- name: InconsistentParameter :exec
UPDATE orders SET status = $1, note = CASE WHEN $1 IN ('a', 'b') THEN 'x' END WHERE id = $2;

-- error: cannot insert a non-DEFAULT value into column "id"
-- name: InsertIntoAlwaysIdentity :exec
INSERT INTO events (id, kind, payload, occurred_at) VALUES ($1, $2, '{}', now());

-- error: cannot insert a non-DEFAULT value into column "id"
-- name: InsertSelectIntoAlwaysIdentity :exec
INSERT INTO events (id, kind, payload, occurred_at) SELECT id, 'copy', '{}', now() FROM customers;

-- error: column "id" can only be updated to DEFAULT
-- name: UpdateAlwaysIdentity :exec
UPDATE events SET id = $1 WHERE kind = $2;
