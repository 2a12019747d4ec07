-- name: CreateAuthor :one
-- Insert an author and return it.
INSERT INTO authors (name, mood, moods, tags, data, price, born, ip, matrix)
VALUES (@name, @mood, sqlc.narg(moods), @tags, sqlc.narg(data), sqlc.narg(price), sqlc.narg(born), sqlc.narg(ip), sqlc.narg(matrix))
RETURNING *;

-- name: GetAuthor :one
SELECT * FROM authors WHERE id = $1;

-- name: ListAuthorsByMood :many
SELECT * FROM authors WHERE mood = @mood ORDER BY id;

-- name: CountAuthorsUnsure :one
SELECT count(*) AS total FROM authors;

-- name: AuthorNames :many
SELECT name FROM authors ORDER BY id;

-- name: ListAuthorsByIds :many
SELECT id, name, mood FROM authors WHERE id IN (sqlc.slice('ids')) ORDER BY id;

-- name: CopyBooks :copyfrom
INSERT INTO books (author_id, title, cost) VALUES ($1, $2, $3);

-- name: BooksOfAuthors :batchmany
SELECT * FROM books WHERE author_id = $1 ORDER BY id;

-- name: BookById :batchone
SELECT * FROM books WHERE id = $1;

-- name: CheapBooks :many
-- The same rows as pydantic models: row_types overrides row_type for one query.
SELECT * FROM books WHERE cost < $1 ORDER BY id;
