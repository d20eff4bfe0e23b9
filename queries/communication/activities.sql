-- Logs a call, email, meeting, note or task.
-- name: CreateActivity :one
INSERT INTO activities (type, subject, description, contact_id, company_id, deal_id, assigned_to, created_by, due_at)
VALUES (@type, @subject, @description, @contact_id, @company_id, @deal_id, @assigned_to, @created_by, @due_at)
RETURNING *;

-- name: GetActivity :one
SELECT * FROM activities WHERE id = @id;

-- Marks a task done; a task already done is left as it was.
-- name: CompleteActivity :one
UPDATE activities SET completed_at = now() WHERE id = @id AND completed_at IS NULL RETURNING id, completed_at;

-- Open tasks of a user that are due from now on, soonest first.
-- name: ListUpcomingTasks :many
SELECT id, subject, description, contact_id, deal_id, due_at
FROM activities
WHERE type = 'task' AND completed_at IS NULL AND assigned_to = @user_id AND due_at >= now()
ORDER BY due_at
LIMIT @page_size;

-- Open tasks of a user whose due time has passed, oldest first.
-- name: ListOverdueTasks :many
SELECT id, subject, description, contact_id, deal_id, due_at, now() - due_at AS overdue_by
FROM activities
WHERE type = 'task' AND completed_at IS NULL AND assigned_to = @user_id AND due_at < now()
ORDER BY due_at;

-- name: DeleteActivity :execrows
DELETE FROM activities WHERE id = @id;
