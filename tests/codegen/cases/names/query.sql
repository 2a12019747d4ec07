-- name: CreateModules :one
INSERT INTO modules (
    uuid, datetime, decimal, ipaddress, enum, pydantic, json, asyncpg, gc, operator, typing,
    collections, codegen
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING *;

-- name: GetModules :one
SELECT * FROM modules WHERE uuid = $1;

-- name: ListModules :many
SELECT * FROM modules WHERE datetime >= $1 AND decimal >= $2 ORDER BY uuid;

-- name: GetModulesRecord :one
SELECT uuid, datetime, decimal, gc, operator, json, codegen FROM modules WHERE uuid = $1;

-- name: CountModules :one
SELECT count(*) AS asyncpg FROM modules WHERE enum = $1;
