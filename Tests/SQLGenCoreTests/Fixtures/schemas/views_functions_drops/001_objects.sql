CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, team_id int, nickname varchar(30));
CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL);

CREATE VIEW user_emails AS SELECT id, email FROM users;
CREATE VIEW user_teams AS
    SELECT u.id AS user_id, u.email, t.name AS team_name, t.id::bigint AS team_key
    FROM users u LEFT JOIN teams t ON t.id = u.team_id;
CREATE VIEW all_teams AS SELECT * FROM teams;
CREATE VIEW qualified_star AS SELECT u.*, t.name FROM users u JOIN teams t ON t.id = u.team_id;
CREATE MATERIALIZED VIEW team_names (label) AS SELECT name FROM teams;
CREATE VIEW from_subquery AS SELECT s.email FROM (SELECT email, id FROM users) s;
CREATE OR REPLACE VIEW user_emails AS SELECT id, email, nickname FROM users;
CREATE VIEW team_counts AS SELECT team_id, count(*) AS members FROM users GROUP BY team_id;

CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM users';
CREATE FUNCTION users_in(team int) RETURNS SETOF users LANGUAGE sql AS 'SELECT * FROM users WHERE team_id = team';
CREATE FUNCTION team_summary(min_members int DEFAULT 0)
    RETURNS TABLE (team_id int, members bigint) LANGUAGE sql
    AS 'SELECT team_id, count(*) FROM users GROUP BY team_id HAVING count(*) >= min_members';
CREATE FUNCTION split_name(full_name text, OUT first text, OUT last text) LANGUAGE sql
    AS $$ SELECT split_part(full_name, ' ', 1), split_part(full_name, ' ', 2) $$;
CREATE PROCEDURE touch_users() LANGUAGE sql AS 'UPDATE users SET email = email';

COMMENT ON TABLE users IS 'People.';
COMMENT ON COLUMN users.email IS 'Unique address.';
COMMENT ON VIEW user_emails IS 'Addresses.';
COMMENT ON FUNCTION user_count() IS 'How many.';

CREATE TABLE scratch (a int);
CREATE TYPE scratch_kind AS ENUM ('x');
CREATE TABLE uses_kind (k scratch_kind, keep int);
CREATE SCHEMA temp_area;
CREATE TABLE temp_area.t (a int);
CREATE VIEW scratch_view AS SELECT a FROM scratch;

DROP VIEW scratch_view;
DROP TABLE scratch;
DROP TABLE IF EXISTS never_existed;
DROP TYPE scratch_kind CASCADE;
DROP SCHEMA temp_area CASCADE;
DROP FUNCTION IF EXISTS no_such_function();

CREATE INDEX users_email_idx ON users (email);
CREATE SEQUENCE ticket_numbers;
GRANT SELECT ON users TO PUBLIC;
