-- Stores the SHA-256 of a reset token sent by email; the token itself is never stored.
-- name: CreatePasswordResetToken :one
INSERT INTO password_reset_tokens (user_id, token_hash, expires_at)
VALUES (@user_id, digest(@token::text, 'sha256'), now() + @valid_for::interval)
RETURNING id, expires_at;

-- name: FindValidPasswordResetToken :one
SELECT t.id, t.user_id, u.email, t.expires_at
FROM password_reset_tokens t
JOIN users u ON u.id = t.user_id
WHERE t.token_hash = digest(@token::text, 'sha256') AND t.used_at IS NULL AND t.expires_at > now() AND u.is_active;

-- Marks a token used and returns its user; a second call with the same token returns nothing.
-- name: ConsumePasswordResetToken :one
UPDATE password_reset_tokens
SET used_at = now()
WHERE token_hash = digest(@token::text, 'sha256') AND used_at IS NULL AND expires_at > now()
RETURNING user_id;

-- name: PurgeExpiredPasswordResetTokens :execrows
DELETE FROM password_reset_tokens WHERE expires_at < now() OR used_at IS NOT NULL;
