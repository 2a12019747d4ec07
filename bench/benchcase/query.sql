-- name: ListObservations :many
SELECT * FROM observations ORDER BY id;

-- name: GetObservation :one
SELECT * FROM observations WHERE id = $1;
