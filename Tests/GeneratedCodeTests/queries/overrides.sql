-- Nullability and a Swift type named in the SQL, as sqlx reads them. Kept out of the shared shop
-- corpus, whose other users (the fuzzer's compile check) have no CustomerPrefs type.
-- name: CustomerOverrides :many
SELECT id, (SELECT c2.name FROM customers c2 ORDER BY c2.id LIMIT 1) AS "first_name!", nickname AS "nick?",
    prefs AS "prefs: CustomerPrefs"
FROM customers ORDER BY id;
