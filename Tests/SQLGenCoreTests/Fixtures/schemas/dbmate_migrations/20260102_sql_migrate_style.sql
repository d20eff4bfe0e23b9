-- +migrate Up
ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- +migrate Down
ALTER TABLE notes DROP COLUMN pinned;
