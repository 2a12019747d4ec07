-- name: In :many
SELECT * FROM keywords WHERE id = ANY(sqlc.arg(ids)::integer[]) ORDER BY id;

-- name: CreateKeyword :one
INSERT INTO keywords (id, "return", class, "from", model_config, schema, copy, json, dict, validate, renamed)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING *;

-- name: Copy :one
SELECT "return", class AS "def", "from" FROM keywords WHERE "from" = $1;

-- name: CountOnes :one
SELECT count(*) FROM ones;

-- name: Unnamed :one
SELECT 1, 'two'::text;

-- name: Lock :one
SELECT pg_advisory_lock($1);

-- name: Unlock :one
SELECT pg_advisory_unlock($1);
