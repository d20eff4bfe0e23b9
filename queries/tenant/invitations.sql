-- Creates an invitation; only the SHA-256 of the emailed token is kept. No row when the email
-- already belongs to a user of the tenant: members are not invited again.
-- name: CreateInvitation :one
INSERT INTO invitations (email, role, token_hash, invited_by, expires_at)
SELECT @email, @role, digest(@token::text, 'sha256'), @invited_by, now() + interval '7 days'
WHERE NOT EXISTS (SELECT 1 FROM users WHERE users.email = @email::citext)
RETURNING id, email, role, status, expires_at, created_at;

-- Invitations newest first, each with its status as it stands now: a pending invitation past its
-- expiry is expired even before ExpireInvitations has marked it so. `status` narrows the list.
-- name: ListInvitations :many
SELECT i.id, i.email, i.role, s.status, i.expires_at, i.accepted_at, i.created_at, u.email AS invited_by_email
FROM invitations i
CROSS JOIN LATERAL (
    SELECT CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired'::invitation_status
                ELSE i.status END AS status
) s
LEFT JOIN users u ON u.id = i.invited_by
WHERE sqlc.narg(status)::invitation_status IS NULL OR s.status = sqlc.narg(status)
ORDER BY i.created_at DESC, i.id DESC
LIMIT @page_size OFFSET @page_offset;

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
