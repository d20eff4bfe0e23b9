-- The postgres15 corpus: a help desk's schema, written to use what PostgreSQL 15 accepts beyond
-- everyday tables: sequences read as relations, procedures with INOUT and OUT parameters, functions
-- with named parameters, defaults and VARIADIC, tables made from queries, and ALTER INDEX forms.
CREATE TYPE priority AS ENUM ('low', 'normal', 'high');
CREATE SCHEMA billing;
CREATE TYPE billing.plan AS ENUM ('free', 'pro');
CREATE SEQUENCE ticket_numbers START 1000;
ALTER SEQUENCE ticket_numbers INCREMENT BY 1;

CREATE TABLE teams (
    id serial PRIMARY KEY,
    name text NOT NULL,
    region varchar(16),
    parent_id int REFERENCES teams (id),
    plan billing.plan NOT NULL DEFAULT 'free'
);

CREATE TABLE tickets (
    id bigserial PRIMARY KEY,
    team_id int NOT NULL REFERENCES teams (id),
    number bigint NOT NULL DEFAULT nextval('ticket_numbers'),
    title text NOT NULL,
    priority priority NOT NULL DEFAULT 'normal',
    score double precision,
    labels text[] NOT NULL DEFAULT '{}',
    opened_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz
);

CREATE TABLE comments (
    id bigserial PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id),
    author text,
    body text NOT NULL,
    posted_at timestamptz NOT NULL DEFAULT now()
);

-- Shares team_id with tickets and name with teams, for JOIN ... USING and NATURAL JOIN.
CREATE TABLE watchers (
    team_id int NOT NULL REFERENCES teams (id),
    name text NOT NULL
);

CREATE FUNCTION open_tickets(team int, OUT open_count bigint) LANGUAGE sql STABLE
    AS 'SELECT count(*) FROM tickets WHERE team_id = team AND closed_at IS NULL';
CREATE FUNCTION weighted(score double precision, weight double precision DEFAULT 1.0, bonus int DEFAULT 0)
    RETURNS double precision LANGUAGE sql IMMUTABLE AS 'SELECT score * weight + bonus';
CREATE FUNCTION total_of(VARIADIC items int[]) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS 'SELECT sum(x)::bigint FROM unnest(items) AS x';
CREATE FUNCTION joined(separator text, VARIADIC parts text[]) RETURNS text LANGUAGE sql IMMUTABLE
    AS 'SELECT array_to_string(parts, separator)';
CREATE FUNCTION team_pair(team int, OUT team_name text, OUT open_count bigint) LANGUAGE sql STABLE
    AS 'SELECT t.name, (SELECT count(*) FROM tickets WHERE team_id = team) FROM teams t WHERE t.id = team';
CREATE FUNCTION any_record(n int) RETURNS SETOF record LANGUAGE sql AS 'SELECT n, n::text';
CREATE FUNCTION team_tickets(team int, since timestamptz DEFAULT '-infinity', max_rows int DEFAULT 100)
    RETURNS SETOF tickets LANGUAGE sql STABLE
    AS 'SELECT * FROM tickets WHERE team_id = team AND opened_at >= since ORDER BY id LIMIT max_rows';

CREATE PROCEDURE close_ticket(ticket bigint, at timestamptz DEFAULT now()) LANGUAGE sql
    AS 'UPDATE tickets SET closed_at = at WHERE id = ticket';
CREATE PROCEDURE count_open(team int, INOUT total bigint DEFAULT 0) LANGUAGE plpgsql
    AS $$ BEGIN SELECT count(*) INTO total FROM tickets WHERE team_id = team AND closed_at IS NULL; END $$;
CREATE PROCEDURE team_summary(team int, OUT opened bigint, OUT closed bigint) LANGUAGE plpgsql
    AS $$ BEGIN
        SELECT count(*), count(closed_at) INTO opened, closed FROM tickets WHERE team_id = team;
    END $$;
CREATE PROCEDURE tag_tickets(label text, VARIADIC ids bigint[]) LANGUAGE sql
    AS 'UPDATE tickets SET labels = array_append(labels, label) WHERE id = ANY (ids)';

CREATE MATERIALIZED VIEW team_load (team, open_tickets) AS
    SELECT team_id, count(*) FROM tickets WHERE closed_at IS NULL GROUP BY team_id;
CREATE TABLE ticket_archive AS SELECT id, title, closed_at FROM tickets WHERE false;
CREATE TABLE IF NOT EXISTS ticket_archive AS SELECT 1 AS unused;
CREATE TABLE comment_counts (ticket, comments) AS
    SELECT ticket_id, count(*) FROM comments GROUP BY ticket_id WITH NO DATA;
SELECT id, title INTO ticket_titles FROM tickets;
CREATE TABLE ticket_copy (LIKE tickets);

ALTER TABLE IF EXISTS missing_table ADD COLUMN x int;
CREATE INDEX tickets_team_idx ON tickets (team_id);
ALTER INDEX tickets_team_idx RENAME TO tickets_by_team;
ALTER INDEX IF EXISTS missing_idx RENAME TO other_idx;
ALTER INDEX tickets_by_team SET (fillfactor = 80);
ALTER INDEX tickets_by_team RESET (fillfactor);
