-- Rows that make NULLs appear wherever the schema lets them, and values strict functions may
-- turn into NULL (NullabilityEvidenceTests).
INSERT INTO customers (id, email, name, nickname, tags, prefs, created_at, birthday, home, referrer_id) VALUES
    (1, 'a@x', 'A', NULL, '{}', NULL, 'infinity', NULL, NULL, NULL),
    (2, 'b@x', '', '', '{"", NULL}', 'null', '-infinity', '0001-01-01', ROW(NULL, NULL, NULL), 1),
    (3, 'c@x', 'C', 'c', '{vip}', '{}', now(), 'infinity', ROW('s', 'c', '1'), NULL);
INSERT INTO products (id, sku, title, price, weight_kg, attributes, categories, active) VALUES
    (1, 's1', 'P1', 1, NULL, '{}', NULL, true),
    (2, '', '', 99999999.99, 'NaN', '{"a": null}', '{}', false),
    (3, 's3', 'P3', 0.01, 'Infinity', '[]', '{NULL}', true);
INSERT INTO orders (id, customer_id, status, placed_at, shipped_at, note, total) VALUES
    (1, 1, 'pending', 'infinity', NULL, NULL, NULL),
    (2, 1, 'shipped', '-infinity', 'infinity', '', 0),
    (3, 2, 'paid', now(), NULL, 'n', 12.5);
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 0, 0), (3, 3, 2, 1.5);
INSERT INTO events (kind, payload, occurred_at, customer_id) VALUES
    ('', '{}', 'infinity', NULL), ('k', 'null', '-infinity', 99), ('k', '{"items": [null]}', now(), 1);
