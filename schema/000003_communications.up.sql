-- The communication log: every call, email, message and meeting with a
-- contact, tied to a deal where there is one.

CREATE TYPE tenant_template.communication_channel AS ENUM (
    'email', 'phone', 'sms', 'meeting', 'video', 'chat', 'social', 'other');
CREATE TYPE tenant_template.communication_direction AS ENUM ('inbound', 'outbound');

CREATE TABLE tenant_template.communications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    channel tenant_template.communication_channel NOT NULL,
    direction tenant_template.communication_direction NOT NULL,
    subject varchar(255),
    body text,
    contact_id uuid REFERENCES tenant_template.contacts (id) ON DELETE CASCADE,
    deal_id uuid REFERENCES tenant_template.deals (id) ON DELETE SET NULL,
    user_id uuid REFERENCES tenant_template.users (id) ON DELETE SET NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    duration_seconds integer CHECK (duration_seconds >= 0),
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT communications_has_subject CHECK (contact_id IS NOT NULL OR deal_id IS NOT NULL),
    CONSTRAINT communications_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);
COMMENT ON TABLE tenant_template.communications IS 'Calls, emails, messages and meetings with contacts.';
COMMENT ON COLUMN tenant_template.communications.metadata IS 'Channel details: message ids, recording links, attendees.';

CREATE INDEX communications_contact_idx ON tenant_template.communications (contact_id, occurred_at DESC);
CREATE INDEX communications_deal_idx ON tenant_template.communications (deal_id, occurred_at DESC);
CREATE INDEX communications_user_idx ON tenant_template.communications (user_id, occurred_at DESC);
