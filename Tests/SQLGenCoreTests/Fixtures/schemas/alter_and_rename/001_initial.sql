CREATE SCHEMA app;
CREATE SCHEMA archive;
CREATE TYPE app.status AS ENUM ('new', 'done');
CREATE TABLE app.tasks (
    id int,
    title text,
    status app.status,
    legacy text,
    owner text
);
CREATE TABLE app.owners (id int PRIMARY KEY, name text);
CREATE TABLE app.old_stuff (x int);
