-- +goose Up
-- +goose StatementBegin
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
-- +goose StatementEnd

-- +goose Down
DROP TABLE accounts;
