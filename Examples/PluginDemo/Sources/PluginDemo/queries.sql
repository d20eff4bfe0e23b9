-- Adds a to-do.
-- name: AddTodo :one
INSERT INTO todos (title, priority) VALUES (@title, @priority) RETURNING *;

-- name: OpenTodos :many
SELECT id, title, priority FROM todos WHERE done_at IS NULL ORDER BY id;
