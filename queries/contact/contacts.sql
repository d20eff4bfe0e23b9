-- name: CreateContact :one
INSERT INTO contacts (company_id, first_name, last_name, email, phone, job_title, tags, custom_fields, owner_id)
VALUES (@company_id, @first_name, @last_name, @email, @phone, @job_title, @tags, @custom_fields, @owner_id)
RETURNING id, company_id, first_name, last_name, email, phone, job_title, tags, custom_fields, owner_id, created_at, updated_at;

-- name: GetContact :one
SELECT c.id, c.company_id, co.name AS company_name, c.first_name, c.last_name, c.email, c.phone, c.job_title,
       c.tags, c.custom_fields, c.owner_id, c.created_at, c.updated_at
FROM contacts c
LEFT JOIN companies co ON co.id = c.company_id
WHERE c.id = @id;

-- name: UpdateContact :one
UPDATE contacts
SET company_id = @company_id, first_name = @first_name, last_name = @last_name, email = @email, phone = @phone,
    job_title = @job_title, owner_id = @owner_id
WHERE id = @id
RETURNING id, company_id, first_name, last_name, email, phone, job_title, tags, custom_fields, owner_id, created_at, updated_at;

-- name: DeleteContact :execrows
DELETE FROM contacts WHERE id = @id;

-- name: ListContactsByCompany :many
SELECT id, first_name, last_name, email, job_title FROM contacts
WHERE company_id = @company_id
ORDER BY last_name, first_name;

-- Substring search over name and email.
-- name: SearchContacts :many
SELECT id, first_name, last_name, email, job_title FROM contacts
WHERE first_name ILIKE '%' || @query::text || '%' OR last_name ILIKE '%' || @query::text || '%'
   OR email ILIKE '%' || @query::text || '%'
ORDER BY last_name, first_name
LIMIT @page_size;

-- Full-text search, best matches first.
-- name: SearchContactsFullText :many
SELECT id, first_name, last_name, email, ts_rank(search_vector, websearch_to_tsquery('simple', @query)) AS rank
FROM contacts
WHERE search_vector @@ websearch_to_tsquery('simple', @query)
ORDER BY rank DESC, id
LIMIT @page_size;

-- Contacts by any of company, owner, tag and creation time, in the order the caller picks: each
-- combination is its own statement, checked when the code is generated.
-- name: FilterContacts :many
SELECT id, company_id, first_name, last_name, email, job_title, tags, owner_id, created_at FROM contacts
WHERE sqlgen.optional(company_id = @company_id)
  AND sqlgen.optional(owner_id = @owner_id)
  AND sqlgen.optional(@tag::text = ANY(tags))
  AND sqlgen.optional(created_at >= @created_from AND created_at < @created_until)
ORDER BY sqlgen.sort(name => (last_name, first_name), created_at), id
LIMIT @page_size OFFSET @page_offset;

-- Keyset pagination, newest first: pass the last row's created_at and id to get the next page.
-- name: ListContactsPage :many
SELECT id, first_name, last_name, email, tags, created_at FROM contacts
WHERE sqlc.narg(after_created_at)::timestamptz IS NULL
   OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid)
ORDER BY created_at DESC, id DESC
LIMIT @page_size;

-- name: ListContactsWithTag :many
SELECT id, first_name, last_name, email, tags FROM contacts WHERE @tag::text = ANY(tags) ORDER BY last_name;

-- name: AddContactTag :one
UPDATE contacts SET tags = array_append(tags, @tag::text)
WHERE id = @id AND NOT (@tag::text = ANY(tags))
RETURNING tags;

-- name: RemoveContactTag :one
UPDATE contacts SET tags = array_remove(tags, @tag::text) WHERE id = @id RETURNING tags;

-- Sets one custom field, keeping the others.
-- name: SetContactCustomField :one
UPDATE contacts SET custom_fields = custom_fields || jsonb_build_object(@key::text, @value::jsonb)
WHERE id = @id
RETURNING custom_fields;

-- name: CountContacts :one
SELECT count(*) AS total FROM contacts;
