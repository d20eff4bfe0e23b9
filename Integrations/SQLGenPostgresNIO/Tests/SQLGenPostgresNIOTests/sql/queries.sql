-- name: InsertSample :one
INSERT INTO samples (label, mood, moods, scores, names, amount, big, created_at, day, at_time, span, doc, home, ip, raw, uid, ratio, flag)
VALUES (@label, @mood, @moods, @scores, @names, @amount, @big, @created_at, @day, @at_time, @span, @doc, @home, @ip, @raw, @uid, @ratio, @flag)
RETURNING *;

-- name: GetSample :one
SELECT * FROM samples WHERE id = @id;

-- name: ListSamples :many
SELECT * FROM samples WHERE label LIKE @pattern ORDER BY id;

-- name: SampleHomes :many
SELECT id, home, (home).tags AS home_tags, amount * 2 AS doubled FROM samples WHERE label LIKE @pattern ORDER BY id;

-- name: RenameSample :execrows
UPDATE samples SET label = @label WHERE id = @id;

-- name: DeleteSamples :execresult
DELETE FROM samples WHERE label LIKE @pattern;

-- name: FlipSample :exec
UPDATE samples SET flag = NOT coalesce(flag, false) WHERE id = @id;

-- name: CopySamples :copyfrom
INSERT INTO samples (label, mood, created_at, amount, scores) VALUES ($1, $2, $3, $4, $5);

-- name: LabelBatch :batchone
SELECT id, label FROM samples WHERE label = @label;

-- name: RelabelBatch :batchexec
UPDATE samples SET label = @new_label WHERE label = @label;

-- name: MoodBatch :batchmany
SELECT id FROM samples WHERE mood = @mood AND label LIKE @pattern ORDER BY id;
