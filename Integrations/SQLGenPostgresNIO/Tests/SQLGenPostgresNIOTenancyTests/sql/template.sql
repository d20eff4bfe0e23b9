CREATE SCHEMA tenant_template;
CREATE TABLE tenant_template.notes (
    id bigserial PRIMARY KEY,
    tenant text NOT NULL,
    body text NOT NULL
);
