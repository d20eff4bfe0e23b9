-- migrate:up
CREATE TABLE notes (id serial PRIMARY KEY, body text);

-- migrate:down
DROP TABLE notes;
