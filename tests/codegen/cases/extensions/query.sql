-- name: CreateLabel :one
INSERT INTO labels (id, attrs, path, attrs_list, paths) VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: GetLabel :one
SELECT * FROM labels WHERE id = $1;

-- name: LabelsUnder :many
SELECT id FROM labels WHERE path ~ sqlc.arg(pattern)::lquery ORDER BY id;

-- name: LabelsWithKey :many
SELECT id, (attrs -> sqlc.arg(key)::text)::text AS value FROM labels WHERE attrs ? sqlc.arg(key)::text ORDER BY id;
