-- The tenant template: every tenant gets a schema built from this one.
-- Names are schema-qualified throughout, so the migration does not depend on
-- the session's search_path.

CREATE SCHEMA tenant_template;
COMMENT ON SCHEMA tenant_template IS 'Template copied into each tenant''s own schema.';

CREATE TYPE tenant_template.user_role AS ENUM ('owner', 'admin', 'manager', 'member', 'viewer');
CREATE TYPE tenant_template.deal_stage AS ENUM (
    'lead', 'qualified', 'proposal', 'negotiation', 'closed_won', 'closed_lost');
CREATE TYPE tenant_template.activity_type AS ENUM ('call', 'email', 'meeting', 'note', 'task');
CREATE TYPE tenant_template.invitation_status AS ENUM ('pending', 'accepted', 'expired', 'revoked');

CREATE TABLE tenant_template.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email citext NOT NULL,
    password_hash text NOT NULL,
    first_name varchar(100) NOT NULL,
    last_name varchar(100) NOT NULL,
    role tenant_template.user_role NOT NULL DEFAULT 'member',
    is_active boolean NOT NULL DEFAULT true,
    email_verified_at timestamptz,
    last_login_at timestamptz,
    failed_login_attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_format CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    CONSTRAINT users_password_hash_is_bcrypt CHECK (password_hash ~ '^\$2[abxy]\$')
);
COMMENT ON TABLE tenant_template.users IS 'People who sign in to the tenant''s CRM.';
COMMENT ON COLUMN tenant_template.users.password_hash IS 'bcrypt hash from pgcrypto''s crypt(); never the password.';

CREATE TABLE tenant_template.password_reset_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES tenant_template.users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT password_reset_tokens_expiry CHECK (expires_at > created_at)
);
COMMENT ON COLUMN tenant_template.password_reset_tokens.token_hash IS 'SHA-256 of the token sent by email.';

CREATE TABLE tenant_template.companies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    domain varchar(255),
    industry varchar(100),
    employee_count integer CHECK (employee_count >= 0),
    website text,
    phone varchar(50),
    address jsonb,
    custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
    owner_id uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT companies_name_not_blank CHECK (btrim(name) <> '')
);

CREATE TABLE tenant_template.contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    company_id uuid REFERENCES tenant_template.companies (id) ON DELETE SET NULL,
    first_name varchar(100) NOT NULL,
    last_name varchar(100) NOT NULL DEFAULT '',
    email citext,
    phone varchar(50),
    job_title varchar(150),
    tags text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
    owner_id uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig,
            coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email::text, '')
            || ' ' || coalesce(job_title, ''))
    ) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN tenant_template.contacts.tags IS 'Free-form labels, matched exactly.';

CREATE TABLE tenant_template.deals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title varchar(255) NOT NULL,
    contact_id uuid REFERENCES tenant_template.contacts (id) ON DELETE SET NULL,
    company_id uuid REFERENCES tenant_template.companies (id) ON DELETE SET NULL,
    stage tenant_template.deal_stage NOT NULL DEFAULT 'lead',
    amount numeric(15, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    probability smallint NOT NULL DEFAULT 10 CHECK (probability BETWEEN 0 AND 100),
    expected_close_date date,
    closed_at timestamptz,
    lost_reason text,
    owner_id uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deals_closed_at_matches_stage
        CHECK ((stage IN ('closed_won', 'closed_lost')) = (closed_at IS NOT NULL))
);

CREATE TABLE tenant_template.deal_stage_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id uuid NOT NULL REFERENCES tenant_template.deals (id) ON DELETE CASCADE,
    from_stage tenant_template.deal_stage,
    to_stage tenant_template.deal_stage NOT NULL,
    changed_by uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_template.activities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type tenant_template.activity_type NOT NULL,
    subject varchar(255) NOT NULL,
    description text,
    contact_id uuid REFERENCES tenant_template.contacts (id) ON DELETE CASCADE,
    company_id uuid REFERENCES tenant_template.companies (id) ON DELETE CASCADE,
    deal_id uuid REFERENCES tenant_template.deals (id) ON DELETE CASCADE,
    assigned_to uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    created_by uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    due_at timestamptz,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_template.invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email citext NOT NULL,
    role tenant_template.user_role NOT NULL DEFAULT 'member',
    token_hash bytea NOT NULL UNIQUE,
    status tenant_template.invitation_status NOT NULL DEFAULT 'pending',
    invited_by uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    accepted_user_id uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invitations_role_not_owner CHECK (role <> 'owner'),
    CONSTRAINT invitations_accepted CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
);

CREATE INDEX users_active_idx ON tenant_template.users (last_name, first_name) WHERE is_active;
CREATE INDEX password_reset_tokens_user_idx ON tenant_template.password_reset_tokens (user_id);
CREATE INDEX password_reset_tokens_expires_idx ON tenant_template.password_reset_tokens (expires_at) WHERE used_at IS NULL;
CREATE INDEX companies_name_idx ON tenant_template.companies (lower(name));
CREATE INDEX companies_owner_idx ON tenant_template.companies (owner_id);
CREATE INDEX contacts_company_idx ON tenant_template.contacts (company_id);
CREATE INDEX contacts_owner_idx ON tenant_template.contacts (owner_id);
CREATE INDEX contacts_email_idx ON tenant_template.contacts (email);
CREATE INDEX contacts_keyset_idx ON tenant_template.contacts (created_at DESC, id DESC);
CREATE INDEX contacts_tags_idx ON tenant_template.contacts USING gin (tags);
CREATE INDEX contacts_search_idx ON tenant_template.contacts USING gin (search_vector);
CREATE INDEX deals_stage_idx ON tenant_template.deals (stage);
CREATE INDEX deals_owner_idx ON tenant_template.deals (owner_id);
CREATE INDEX deals_expected_close_idx ON tenant_template.deals (expected_close_date);
CREATE INDEX deals_contact_idx ON tenant_template.deals (contact_id);
CREATE INDEX deal_stage_history_deal_idx ON tenant_template.deal_stage_history (deal_id, changed_at);
CREATE INDEX activities_contact_idx ON tenant_template.activities (contact_id, created_at DESC);
CREATE INDEX activities_deal_idx ON tenant_template.activities (deal_id, created_at DESC);
CREATE INDEX activities_open_tasks_idx ON tenant_template.activities (assigned_to, due_at)
    WHERE type = 'task' AND completed_at IS NULL;
CREATE UNIQUE INDEX invitations_pending_email_key ON tenant_template.invitations (email) WHERE status = 'pending';

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON tenant_template.users
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER companies_set_updated_at BEFORE UPDATE ON tenant_template.companies
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER contacts_set_updated_at BEFORE UPDATE ON tenant_template.contacts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER deals_set_updated_at BEFORE UPDATE ON tenant_template.deals
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER activities_set_updated_at BEFORE UPDATE ON tenant_template.activities
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
