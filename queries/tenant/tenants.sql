-- name: CreateTenant :one
INSERT INTO tenants (name, subdomain, schema_name, plan, settings)
VALUES (@name, @subdomain, @schema_name, @plan, @settings)
RETURNING *;

-- name: GetTenantBySubdomain :one
SELECT * FROM tenants WHERE subdomain = @subdomain;

-- name: GetTenantByID :one
SELECT * FROM tenants WHERE id = @id;

-- Lists tenants, optionally only those with one status.
-- name: ListTenants :many
SELECT * FROM tenants
WHERE sqlc.narg(status)::tenant_status IS NULL OR status = sqlc.narg(status)
ORDER BY created_at, id
LIMIT @page_size OFFSET @page_offset;

-- name: SuspendTenant :one
UPDATE tenants SET status = 'suspended', suspended_at = now()
WHERE id = @id AND status = 'active'
RETURNING *;

-- name: ReactivateTenant :one
UPDATE tenants SET status = 'active', suspended_at = NULL
WHERE id = @id AND status = 'suspended'
RETURNING *;

-- name: UpdateTenantPlan :one
UPDATE tenants SET plan = @plan WHERE id = @id RETURNING *;

-- Merges the given keys into the tenant's settings.
-- name: UpdateTenantSettings :one
UPDATE tenants SET settings = settings || @settings::jsonb WHERE id = @id RETURNING *;

-- name: ListPlans :many
SELECT code, name, max_users, max_contacts, monthly_price FROM plans ORDER BY monthly_price;

-- name: CountTenantsByStatus :many
SELECT status, count(*) AS tenants FROM tenants GROUP BY status ORDER BY status;
