-- Creates an invitation; only the SHA-256 of the emailed token is kept.
-- name: CreateInvitation :one
INSERT INTO invitations (email, role, token_hash, invited_by, expires_at)
VALUES (@email, @role, digest(@token::text, 'sha256'), @invited_by, now() + interval '7 days')
RETURNING id, email, role, status, expires_at, created_at;

-- name: ListPendingInvitations :many
SELECT i.id, i.email, i.role, i.expires_at, i.created_at, u.email AS invited_by_email
FROM invitations i
LEFT JOIN users u ON u.id = i.invited_by
WHERE i.status = 'pending' AND i.expires_at > now()
ORDER BY i.created_at DESC;

-- Accepts a pending invitation once: locks it, creates the user, and marks it accepted,
-- all in one statement. A second acceptance of the same token returns no row.
-- name: AcceptInvitation :one
WITH invitation AS (
    SELECT id, email, role FROM invitations
    WHERE token_hash = digest(@token::text, 'sha256') AND status = 'pending' AND expires_at > now()
    FOR UPDATE
), created AS (
    INSERT INTO users (email, password_hash, first_name, last_name, role)
    SELECT email, crypt(@password::text, gen_salt('bf', 10)), @first_name, @last_name, role FROM invitation
    RETURNING id, email, role
), accepted AS (
    UPDATE invitations SET status = 'accepted', accepted_at = now(), accepted_user_id = created.id
    FROM invitation, created
    WHERE invitations.id = invitation.id
    RETURNING invitations.id
)
SELECT created.id, created.email, created.role FROM created JOIN accepted ON true;

-- name: ExpireInvitations :execrows
UPDATE invitations SET status = 'expired' WHERE status = 'pending' AND expires_at <= now();

-- name: RevokeInvitation :execrows
UPDATE invitations SET status = 'revoked' WHERE id = @id AND status = 'pending';
