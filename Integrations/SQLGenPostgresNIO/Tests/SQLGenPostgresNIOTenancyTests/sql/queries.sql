-- name: AddNote :one
INSERT INTO notes (tenant, body) VALUES (@tenant, @body) RETURNING *;

-- name: ListNotes :many
SELECT * FROM notes ORDER BY id;

-- name: CountNotes :one
SELECT count(*) AS total FROM notes;

-- name: CopyNotes :copyfrom
INSERT INTO notes (tenant, body) VALUES ($1, $2);

-- name: NotesByBody :batchmany
SELECT id, tenant FROM notes WHERE body = @body ORDER BY id;

-- name: ClearNotes :execrows
DELETE FROM notes;

-- name: TenantCount :one
SELECT count(*) AS total FROM public.tenants;
