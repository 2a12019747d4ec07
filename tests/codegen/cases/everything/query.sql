-- name: CreateAuthor :one
-- Insert an author and return it.
INSERT INTO authors (name, bio, mood, moods, tags, data, price, born, birthday, uid, score, ip, net, nick, code, handle, wakes, wakes_tz, local_ts, nap, avatar, ratio, weight, rank, flag, matrix)
VALUES (@name, sqlc.narg(bio), @mood, sqlc.narg(moods), @tags, sqlc.narg(data), sqlc.narg(price), sqlc.narg(born), sqlc.narg(birthday), sqlc.narg(uid), sqlc.narg(score), sqlc.narg(ip), sqlc.narg(net), sqlc.narg(nick), sqlc.narg(code), sqlc.narg(handle), sqlc.narg(wakes), sqlc.narg(wakes_tz), sqlc.narg(local_ts), sqlc.narg(nap), sqlc.narg(avatar), sqlc.narg(ratio), sqlc.narg(weight), sqlc.narg(rank), sqlc.narg(flag), sqlc.narg(matrix))
RETURNING *;

-- name: GetAuthor :one
SELECT * FROM authors WHERE id = $1;

-- name: ListAuthorsByMood :many
SELECT * FROM authors WHERE mood = @mood ORDER BY id;

-- name: CountAuthors :one
SELECT count(*) AS total FROM authors;

-- name: CountAuthorsUnsure :one
SELECT count(*) AS total FROM authors;

-- name: AuthorNames :many
SELECT name FROM authors ORDER BY id;

-- name: ListAuthorsByIds :many
SELECT id, name FROM authors WHERE id IN (sqlc.slice('ids')) ORDER BY id;

-- name: AuthorsInMoods :many
SELECT id FROM authors WHERE mood = ANY(@moods::mood[]) ORDER BY id;

-- name: RenameAuthor :exec
UPDATE authors SET name = @name WHERE id = @id;

-- name: DeleteBooksOf :execrows
DELETE FROM books WHERE author_id = $1;

-- name: TouchBooks :execresult
UPDATE books SET cost = cost WHERE author_id = $1;

-- name: CopyBooks :copyfrom
INSERT INTO books (author_id, title, cost) VALUES ($1, $2, $3);

-- name: RetitleBooks :batchexec
UPDATE books SET title = $1 WHERE id = $2;

-- name: BooksOfAuthors :batchmany
SELECT * FROM books WHERE author_id = $1 ORDER BY id;

-- name: BookById :batchone
SELECT * FROM books WHERE id = $1;

-- name: AuthorsWithBooks :many
SELECT sqlc.embed(a), sqlc.embed(b)
FROM authors AS a
LEFT JOIN books AS b ON b.author_id = a.id
ORDER BY a.id, b.id;

-- name: BooksWithAuthors :many
SELECT sqlc.embed(b), sqlc.embed(a)
FROM books AS b
JOIN authors AS a ON a.id = b.author_id
ORDER BY b.id;

-- name: SearchBooks :many
SELECT id, title, cost FROM books
WHERE (sqlc.narg(title)::text IS NULL OR title = sqlc.narg(title))
  AND cost >= @min_cost AND cost <= @max_cost AND id > @after_id AND id < @before_id
ORDER BY id;

-- name: AuthorMoods :many
-- Each author's mood and the next author's, null for the last: a list of rows whose enum
-- columns the sync flavour reads as text.
SELECT a.id, a.name, a.mood, next.mood AS next_mood
FROM authors AS a
LEFT JOIN authors AS next ON next.id = a.id + 1
ORDER BY a.id;
