CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');
CREATE DOMAIN email_address AS citext NOT NULL CHECK (VALUE ~ '@');
CREATE DOMAIN positive_amount AS numeric(12, 2) CHECK (VALUE > 0);
CREATE TYPE address AS (street text, city text, zip varchar(10));

CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email email_address,
    name text NOT NULL,
    nickname text,
    tags text[] NOT NULL DEFAULT '{}',
    prefs jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    birthday date,
    home address,
    referrer_id bigint REFERENCES customers (id)
);

CREATE TABLE products (
    id serial PRIMARY KEY,
    sku varchar(32) NOT NULL UNIQUE,
    title text NOT NULL,
    price positive_amount NOT NULL,
    weight_kg double precision,
    attributes jsonb NOT NULL DEFAULT '{}',
    categories text[],
    active boolean NOT NULL DEFAULT true
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status order_status NOT NULL DEFAULT 'pending',
    placed_at timestamptz NOT NULL DEFAULT now(),
    shipped_at timestamptz,
    note text,
    total numeric(12, 2)
);

CREATE TABLE order_items (
    order_id bigint NOT NULL REFERENCES orders (id),
    product_id int NOT NULL REFERENCES products (id),
    quantity int NOT NULL,
    unit_price numeric(12, 2) NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    customer_id bigint
);

CREATE VIEW customer_totals AS
    SELECT c.id, c.name, count(o.id) AS orders, sum(o.total) AS spent
    FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
    GROUP BY c.id, c.name;

CREATE FUNCTION order_count(customer bigint) RETURNS bigint LANGUAGE sql STABLE
    AS 'SELECT count(*) FROM orders WHERE customer_id = customer';
CREATE FUNCTION recent_orders(since timestamptz) RETURNS SETOF orders LANGUAGE sql STABLE
    AS 'SELECT * FROM orders WHERE placed_at >= since';
CREATE FUNCTION product_stats(min_price numeric DEFAULT 0) RETURNS TABLE (product_id int, sold bigint) LANGUAGE sql
    AS 'SELECT product_id, sum(quantity)::bigint FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE p.price >= min_price GROUP BY product_id';
