-- The benchmark's tenant template: one table of accounts, as pgbench's.
CREATE SCHEMA tenant_template;

CREATE TABLE tenant_template.accounts (
    id integer PRIMARY KEY,
    name text NOT NULL,
    balance bigint NOT NULL
);
