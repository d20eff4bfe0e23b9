-- A schema using an extension sqlgen has no catalog for: semver, whose types, functions and operators
-- the sqlgen.yaml beside the tests declares.
CREATE EXTENSION IF NOT EXISTS semver;

CREATE TABLE releases (
    id bigserial PRIMARY KEY,
    package text NOT NULL,
    version semver NOT NULL,
    previous semver,
    supported semver[] NOT NULL DEFAULT '{}'
);
