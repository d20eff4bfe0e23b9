-- The global tenant registry: one row per tenant, the only source of tenant
-- schema names. Lives in the shared `public` schema.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TYPE tenant_status AS ENUM ('active', 'suspended', 'deleted');

-- Subscription plans and their limits (reference data, filled below).
CREATE TABLE plans (
    code varchar(32) PRIMARY KEY,
    name varchar(100) NOT NULL,
    max_users integer,
    max_contacts integer,
    monthly_price numeric(10, 2) NOT NULL DEFAULT 0,
    CONSTRAINT plans_code_format CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT plans_limits_positive CHECK (coalesce(max_users, 1) > 0 AND coalesce(max_contacts, 1) > 0)
);

CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    subdomain varchar(63) NOT NULL,
    schema_name varchar(63) NOT NULL,
    status tenant_status NOT NULL DEFAULT 'active',
    plan varchar(32) NOT NULL DEFAULT 'free' REFERENCES plans (code),
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    suspended_at timestamptz,
    deleted_at timestamptz,
    CONSTRAINT tenants_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT tenants_subdomain_format CHECK (subdomain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    CONSTRAINT tenants_subdomain_not_reserved
        CHECK (subdomain NOT IN ('www', 'api', 'admin', 'app', 'mail', 'static', 'status')),
    CONSTRAINT tenants_schema_name_format CHECK (schema_name ~ '^tenant_[a-z0-9_]{1,56}$'),
    CONSTRAINT tenants_settings_is_object CHECK (jsonb_typeof(settings) = 'object'),
    CONSTRAINT tenants_status_timestamps CHECK (
        (status = 'suspended') = (suspended_at IS NOT NULL)
        AND (status = 'deleted') = (deleted_at IS NOT NULL))
);

COMMENT ON TABLE tenants IS 'The tenant registry: one row per customer organisation.';
COMMENT ON COLUMN tenants.subdomain IS 'The host name label the tenant is reached under (acme in acme.example.com).';
COMMENT ON COLUMN tenants.schema_name IS 'The PostgreSQL schema holding the tenant''s data.';

CREATE UNIQUE INDEX tenants_subdomain_key ON tenants (subdomain);
CREATE UNIQUE INDEX tenants_schema_name_key ON tenants (schema_name);
CREATE INDEX tenants_status_idx ON tenants (status) WHERE status <> 'deleted';
CREATE INDEX tenants_created_at_idx ON tenants (created_at);

-- Keeps updated_at current on every table that has one.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER tenants_set_updated_at BEFORE UPDATE ON tenants
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO plans (code, name, max_users, max_contacts, monthly_price) VALUES
    ('free', 'Free', 3, 500, 0),
    ('starter', 'Starter', 10, 5000, 29),
    ('professional', 'Professional', 50, 50000, 99),
    ('enterprise', 'Enterprise', NULL, NULL, 499);
