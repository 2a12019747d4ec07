-- name: CreateStation :exec
INSERT INTO stations (id, name, geom, rainfall) VALUES ($1, $2, $3, $4);

-- name: GetStation :one
SELECT * FROM stations WHERE id = $1;

-- name: RainfallOrZero :one
-- sqlc reports the COALESCE of a subquery as any: the column is object.
SELECT COALESCE((SELECT sum(rainfall) FROM stations WHERE id = $1), 0) AS total;

-- name: StationsMatching :many
-- sqlc reports a narg inside COALESCE as any: the parameter is object.
SELECT id FROM stations
WHERE COALESCE(sqlc.narg(wet), FALSE) = FALSE OR rainfall > 0
ORDER BY id;

-- name: ColumnsOf :many
SELECT column_name, ordinal_position, is_nullable
FROM information_schema.columns
WHERE table_name = $1
ORDER BY ordinal_position;
