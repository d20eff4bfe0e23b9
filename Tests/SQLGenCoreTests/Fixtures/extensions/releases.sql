-- name: InsertRelease :one
INSERT INTO releases (package, version, previous, supported) VALUES ($1, $2, $3, $4) RETURNING id;

-- name: ReleaseByVersion :one
SELECT id, package, version, previous FROM releases WHERE version = $1;

-- name: ReleasesAfter :many
SELECT version, get_semver_major(version) AS major FROM releases WHERE version > $1 ORDER BY version;

-- name: PreviousMajors :many
SELECT get_semver_major(previous) AS major FROM releases ORDER BY id;

-- name: NewestRelease :one
SELECT max(version) AS newest FROM releases;

-- name: ParseVersion :one
SELECT to_semver($1::text) AS parsed, is_semver($1::text) AS valid;

-- name: SupportedVersions :one
SELECT supported FROM releases WHERE id = $1;

-- name: ReleasesIn :many
SELECT id FROM releases WHERE version = ANY($1::semver[]) ORDER BY id;
