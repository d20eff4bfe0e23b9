-- name: CreateCompany :one
INSERT INTO companies (name, domain, industry, employee_count, website, phone, address, custom_fields, owner_id)
VALUES (@name, @domain, @industry, @employee_count, @website, @phone, @address, @custom_fields, @owner_id)
RETURNING *;

-- name: GetCompany :one
SELECT * FROM companies WHERE id = @id;

-- name: ListCompanies :many
SELECT * FROM companies ORDER BY name, id LIMIT @page_size OFFSET @page_offset;

-- name: UpdateCompany :one
UPDATE companies
SET name = @name, domain = @domain, industry = @industry, employee_count = @employee_count,
    website = @website, phone = @phone, address = @address, owner_id = @owner_id
WHERE id = @id
RETURNING *;

-- name: DeleteCompany :execrows
DELETE FROM companies WHERE id = @id;

-- name: SearchCompanies :many
SELECT id, name, domain, industry FROM companies
WHERE name ILIKE '%' || @query::text || '%' OR domain ILIKE '%' || @query::text || '%'
ORDER BY name
LIMIT @page_size;

-- Companies with how many contacts and open deals each has.
-- name: CompanyOverview :many
SELECT c.id, c.name,
       (SELECT count(*) FROM contacts ct WHERE ct.company_id = c.id) AS contacts,
       (SELECT count(*) FROM deals d WHERE d.company_id = c.id AND d.stage NOT IN ('closed_won', 'closed_lost')) AS open_deals
FROM companies c
ORDER BY c.name
LIMIT @page_size OFFSET @page_offset;
