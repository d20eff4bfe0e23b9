CREATE TYPE mood AS ENUM ('happy', 'sad', 'in-between');
CREATE TYPE address AS (street text, zip int, tags text[]);

CREATE TABLE samples (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    mood mood NOT NULL,
    moods mood[],
    scores int[],
    names text[],
    amount numeric,
    big numeric,
    created_at timestamptz NOT NULL,
    day date,
    at_time time,
    span interval,
    doc jsonb,
    home address,
    ip inet,
    raw bytea,
    uid uuid,
    ratio double precision,
    flag boolean
);
