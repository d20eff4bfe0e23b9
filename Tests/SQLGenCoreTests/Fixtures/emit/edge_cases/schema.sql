-- Names that are Swift keywords, initialisms, odd enum labels, two schemas with a
-- table of the same name, composite types, overrides and a type without a mapping.
CREATE SCHEMA archive;
CREATE TYPE task_state AS ENUM ('in-progress', 'done', '2fa', 'Already Done', 'default');
CREATE TYPE geo_point AS (lat double precision, lng double precision);

CREATE TABLE items (
    id bigserial PRIMARY KEY,
    "default" text NOT NULL,
    "case" int,
    self boolean NOT NULL DEFAULT false,
    user_id uuid,
    api_key text,
    html_url text,
    state task_state NOT NULL DEFAULT 'in-progress',
    location geo_point,
    meta jsonb NOT NULL DEFAULT '{}',
    spot point
);
COMMENT ON TABLE items IS 'Things with awkward names.
Second line of the comment, with "quotes" and a \backslash.';
COMMENT ON COLUMN items."default" IS 'A column named after a keyword.';

CREATE TABLE archive.items (id bigint PRIMARY KEY, archived_at timestamptz NOT NULL);
