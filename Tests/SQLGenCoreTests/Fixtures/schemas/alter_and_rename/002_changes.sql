ALTER TABLE app.tasks ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE app.tasks DROP COLUMN legacy;
ALTER TABLE app.tasks ALTER COLUMN title TYPE varchar(200);
ALTER TABLE app.tasks ALTER COLUMN title SET NOT NULL;
ALTER TABLE app.tasks ADD CONSTRAINT tasks_pk PRIMARY KEY (id);
ALTER TABLE app.tasks RENAME COLUMN owner TO owner_name;
ALTER TABLE app.tasks ADD COLUMN IF NOT EXISTS created_at date;
ALTER TABLE app.tasks ALTER COLUMN status SET DEFAULT 'new', ALTER COLUMN status SET NOT NULL;
ALTER TABLE app.owners ALTER COLUMN name SET NOT NULL, ADD COLUMN email text UNIQUE;
ALTER TABLE app.owners ALTER COLUMN name DROP NOT NULL;
ALTER TABLE app.tasks ADD COLUMN owner_id int REFERENCES app.owners (id);

ALTER TYPE app.status ADD VALUE 'in_progress' AFTER 'new';
ALTER TYPE app.status ADD VALUE IF NOT EXISTS 'done';
ALTER TYPE app.status RENAME VALUE 'done' TO 'finished';
ALTER TYPE app.status ADD VALUE 'archived';
ALTER TYPE app.status RENAME TO task_status;

ALTER TABLE app.old_stuff RENAME TO archived_stuff;
ALTER TABLE app.archived_stuff SET SCHEMA archive;
ALTER TABLE archive.archived_stuff ADD COLUMN moved boolean;
ALTER SCHEMA archive RENAME TO history;

CREATE TYPE app.kind AS ENUM ('a', 'b');
CREATE TABLE app.kinds (k app.kind);
ALTER TYPE app.kind SET SCHEMA history;

CREATE TYPE app.pair AS (left_side int, right_side int);
ALTER TYPE app.pair RENAME ATTRIBUTE left_side TO first;
CREATE TABLE app.pairs (p app.pair);

CREATE TABLE app.base (id int);
CREATE TABLE app.derived (extra text) INHERITS (app.base);
ALTER TABLE app.base ADD COLUMN note text;
ALTER TABLE app.base ALTER COLUMN id SET NOT NULL;
ALTER TABLE app.base RENAME COLUMN note TO remark;
