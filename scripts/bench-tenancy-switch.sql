-- What the tenant pool sends for a point select of a random tenant (Zipf over :tenants), as pgbench
-- sends it from C: the search_path switch, the statement and the path check, in one pipeline.
\set t random_zipfian(0, :tenants - 1, 1.01)
\set id random(1, 1000)
\startpipeline
SELECT pg_catalog.set_config('search_path', 'tenant_bench' || :t || ', public', false);
SELECT id, name, balance FROM accounts WHERE id = :id;
SELECT CASE WHEN pg_catalog.current_schemas(false) = ARRAY['tenant_bench' || :t, 'public']::pg_catalog.name[] THEN 1 ELSE pg_catalog.current_setting('search_path')::pg_catalog.int4 END;
\endpipeline
