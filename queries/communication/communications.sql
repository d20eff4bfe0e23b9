-- name: LogCommunication :one
INSERT INTO communications (channel, direction, subject, body, contact_id, deal_id, user_id, occurred_at, duration_seconds, metadata)
VALUES (@channel, @direction, @subject, @body, @contact_id, @deal_id, @user_id, @occurred_at, @duration_seconds, @metadata)
RETURNING *;

-- name: GetCommunication :one
SELECT * FROM communications WHERE id = @id;

-- name: ListCommunicationsForContact :many
SELECT * FROM communications WHERE contact_id = @contact_id ORDER BY occurred_at DESC LIMIT @page_size OFFSET @page_offset;

-- Activities and communications of a contact together, newest first.
-- name: ContactTimeline :many
SELECT 'activity' AS kind, a.id, a.type::text AS subtype, a.subject, a.description AS body, a.created_at AS happened_at
FROM activities a
WHERE a.contact_id = @contact_id
UNION ALL
SELECT 'communication', c.id, c.channel::text, c.subject, c.body, c.occurred_at
FROM communications c
WHERE c.contact_id = @contact_id
ORDER BY happened_at DESC, id
LIMIT @page_size OFFSET @page_offset;

-- Activities and communications of a deal together, newest first.
-- name: DealTimeline :many
SELECT 'activity' AS kind, a.id, a.type::text AS subtype, a.subject, a.description AS body, a.created_at AS happened_at
FROM activities a
WHERE a.deal_id = @deal_id
UNION ALL
SELECT 'communication', c.id, c.channel::text, c.subject, c.body, c.occurred_at
FROM communications c
WHERE c.deal_id = @deal_id
ORDER BY happened_at DESC, id
LIMIT @page_size OFFSET @page_offset;
