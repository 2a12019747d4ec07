-- name: CreateEmbedding :one
INSERT INTO embeddings (id, v, maybe, many) VALUES ($1, $2, $3, $4) RETURNING *;

-- name: GetEmbedding :one
SELECT * FROM embeddings WHERE id = $1;
