-- name: GetItem :one
SELECT * FROM items WHERE id = $1;

-- A query whose SQL has quotes, a backslash and "identifiers" in it.
-- name: ItemsLike :many
SELECT id, "default", 'it''s \ fine' AS note FROM items WHERE "default" LIKE $1 || '%';

-- name: ArchivedItems :many
SELECT a.id, a.archived_at, i."case" FROM archive.items a LEFT JOIN items i ON i.id = a.id;

-- name: CreateItem :one
INSERT INTO items ("default", "case", self, user_id, api_key, html_url, state, location, meta)
VALUES (sqlc.arg('default'), sqlc.arg('case'), @self, @user_id, @api_key, @html_url, @state, @location, @meta)
RETURNING id, state, location;

-- name: CopyItems :copyfrom
INSERT INTO items ("default", state) VALUES ($1, $2);

-- name: InsertItems :batchone
INSERT INTO items ("default") VALUES ($1) RETURNING id;

-- name: UpdateMeta :execresult
UPDATE items SET meta = $1 WHERE id = $2;

-- The same columns as CreateItem returns: the same row type.
-- name: ItemState :one
SELECT id, state, location FROM items WHERE id = $1;
