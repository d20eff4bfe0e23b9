-- name: Self :one
SELECT * FROM keywords WHERE id = $1;

-- name: Row :one
INSERT INTO keywords (id, "class", "self", "Self", "in", user_id, "userId", "user-id", state, pair)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING *;

-- name: String :many
SELECT value, "strings" FROM strings ORDER BY id;

-- name: Date :exec
INSERT INTO "date" (id, "date", value) VALUES (@self, @executor, sqlc.arg('in'));

-- name: Init :one
SELECT 'a
b' AS crlf, 'lonecr' AS cr, '"""#' AS quotes, '\(x) #"' AS interpolation, '*/' AS "*/", 'sep arated' AS "sep", E'tab\tend' AS tab;

-- name: Executor :execrows
UPDATE keywords SET "default" = sqlc.arg('default') WHERE "case" = sqlc.arg('case') AND "self" = @self;

-- name: GetRow :one
SELECT id, state FROM keywords WHERE "Type" = $1 AND "Protocol" = $2;

-- name: Contact :batchexec
UPDATE keywords SET "text" = $1 WHERE id = $2;

-- name: CopyKeywords :copyfrom
INSERT INTO keywords (id, "a""b", "🎉") VALUES ($1, $2, $3);

-- Parameters named as the statement's own members: the statement holds its parameters.
-- name: StatementMembers :execrows
UPDATE keywords SET "text" = sqlc.arg('sql_text') WHERE id = sqlc.arg('declared_scope') AND "default" = sqlc.arg('name');

-- A query named in lower camel case: its function and its statement type would share one name.
-- name: listKeywordIDs :many
SELECT id FROM keywords ORDER BY id;
