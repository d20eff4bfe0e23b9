-- Creates a user; the password is stored as a bcrypt hash (pgcrypto), never as given.
-- name: CreateUser :one
INSERT INTO users (email, password_hash, first_name, last_name, role)
VALUES (@email, crypt(@password::text, gen_salt('bf', 10)), @first_name, @last_name, @role)
RETURNING id, email, first_name, last_name, role, is_active, created_at;

-- name: GetUserByID :one
SELECT id, email, first_name, last_name, role, is_active, email_verified_at, last_login_at, created_at, updated_at
FROM users
WHERE id = @id;

-- Looks a user up by email; citext makes the match case-insensitive.
-- name: GetUserByEmail :one
SELECT id, email, first_name, last_name, role, is_active, email_verified_at, last_login_at, created_at, updated_at
FROM users
WHERE email = @email;

-- Returns the user when the password matches and the account is active.
-- name: AuthenticateUser :one
SELECT id, email, first_name, last_name, role
FROM users
WHERE email = @email AND is_active AND password_hash = crypt(@password::text, password_hash);

-- name: ListUsers :many
SELECT id, email, first_name, last_name, role, is_active, last_login_at, created_at
FROM users
ORDER BY last_name, first_name, id
LIMIT @page_size OFFSET @page_offset;

-- name: CountUsers :one
SELECT count(*) AS total, count(*) FILTER (WHERE is_active) AS active FROM users;

-- name: UpdateUserProfile :one
UPDATE users
SET first_name = @first_name, last_name = @last_name, role = @role
WHERE id = @id
RETURNING id, email, first_name, last_name, role, is_active, updated_at;

-- name: RecordLogin :exec
UPDATE users SET last_login_at = now(), failed_login_attempts = 0 WHERE id = @id;

-- Counts a failed sign-in and returns the running count, for lockout decisions.
-- name: RecordFailedLogin :one
UPDATE users SET failed_login_attempts = failed_login_attempts + 1
WHERE email = @email
RETURNING id, failed_login_attempts;

-- name: ChangePassword :execrows
UPDATE users SET password_hash = crypt(@password::text, gen_salt('bf', 10)) WHERE id = @id;

-- name: DeactivateUser :execrows
UPDATE users SET is_active = false WHERE id = @id AND is_active;

-- name: VerifyEmail :execrows
UPDATE users SET email_verified_at = now() WHERE id = @id AND email_verified_at IS NULL;
