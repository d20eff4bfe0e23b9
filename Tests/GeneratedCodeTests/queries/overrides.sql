-- Nullability and a Swift type named in the SQL, as sqlx reads them. Kept out of the shared shop
-- corpus, whose other users (the fuzzer's compile check) have no CustomerPrefs type.
-- name: CustomerOverrides :many
SELECT id, (SELECT c2.name FROM customers c2 ORDER BY c2.id LIMIT 1) AS "first_name!", nickname AS "nick?",
    prefs AS "prefs: CustomerPrefs"
FROM customers ORDER BY id;

-- products.attributes has a swift_type override in sqlgen.yaml: it applies to the model, to rows,
-- and to every parameter bound to the column (SET, containment).
-- name: SetProductAttributes :execrows
UPDATE products SET attributes = $1 WHERE id = $2;

-- name: ProductsWithAttributes :many
SELECT id, attributes FROM products WHERE attributes @> $1 ORDER BY id;
