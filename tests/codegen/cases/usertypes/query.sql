-- name: CreateReading :exec
INSERT INTO readings (
    id, band, bands, shift, shifts, count, counts, smalls, "café", "crème", location, site
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

-- name: GetReading :one
SELECT * FROM readings WHERE id = $1;

-- name: ReadingsOverlapping :many
SELECT id FROM readings WHERE band && $1 ORDER BY id;

-- name: CreateTeam :exec
INSERT INTO league.teams (id, tier, tiers, last_score, nickname) VALUES ($1, $2, $3, $4, $5);

-- name: GetTeam :one
SELECT * FROM league.teams WHERE id = $1;

-- name: TeamsOfTier :many
SELECT id, nickname FROM league.teams WHERE tier = $1 ORDER BY id;
