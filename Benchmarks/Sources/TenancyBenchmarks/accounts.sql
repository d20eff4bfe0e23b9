-- name: GetAccount :one
SELECT id, name, balance FROM accounts WHERE id = $1;
