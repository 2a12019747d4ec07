-- name: CreateEmbedding :one
INSERT INTO embeddings (id, v, maybe, many) VALUES ($1, $2, $3, $4) RETURNING *;

-- name: GetEmbedding :one
SELECT * FROM embeddings WHERE id = $1;

-- name: CreateHalfEmbedding :one
INSERT INTO half_embeddings (id, h, many) VALUES ($1, $2, $3) RETURNING *;

-- name: GetHalfEmbedding :one
SELECT * FROM half_embeddings WHERE id = $1;
