-- name: ListSportsbooks :many
SELECT * FROM sportsbooks ORDER BY sportsbook_id;

-- name: GetSportsbookByKey :one
SELECT * FROM sportsbooks WHERE key = sqlc.arg(key);

-- name: UpsertSportsbook :one
INSERT INTO sportsbooks (key, name, is_active)
VALUES (sqlc.arg(key), sqlc.arg(name), sqlc.arg(is_active))
ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, is_active = EXCLUDED.is_active
RETURNING *;

-- name: MapSportsbook :exec
-- Records which of our books a source's own book id means; a remap replaces the old
-- one.
INSERT INTO sportsbook_mappings (source, external_id, sportsbook_id)
VALUES (sqlc.arg(source), sqlc.arg(external_id), sqlc.arg(sportsbook_id))
ON CONFLICT (source, external_id) DO UPDATE SET sportsbook_id = EXCLUDED.sportsbook_id;

-- name: ResolveSportsbook :one
SELECT b.* FROM sportsbooks AS b
JOIN sportsbook_mappings AS m ON m.sportsbook_id = b.sportsbook_id
WHERE m.source = sqlc.arg(source) AND m.external_id = sqlc.arg(external_id);
