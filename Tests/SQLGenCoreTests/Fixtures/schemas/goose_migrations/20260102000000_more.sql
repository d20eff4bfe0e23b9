-- +goose Up
ALTER TABLE accounts ADD COLUMN balance numeric(12, 2) NOT NULL DEFAULT 0;
CREATE TABLE ledger (account_id bigint NOT NULL REFERENCES accounts (id), amount numeric(12, 2) NOT NULL);

-- +goose Down
DROP TABLE ledger;
ALTER TABLE accounts DROP COLUMN balance;
