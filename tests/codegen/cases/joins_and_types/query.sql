-- name: CreateTeam :exec
INSERT INTO teams (id, name) VALUES ($1, $2);

-- name: CreatePlayer :one
INSERT INTO players (id, team_id, mentor_id, name, contact, home)
VALUES (@id, sqlc.narg(team_id), sqlc.narg(mentor_id), @name, sqlc.narg(contact), sqlc.narg(home))
RETURNING *;

-- name: PlayersRightJoinTeams :many
SELECT sqlc.embed(p), sqlc.embed(t)
FROM players AS p
RIGHT JOIN teams AS t ON t.id = p.team_id
ORDER BY t.id, p.id;

-- name: PlayersFullJoinTeams :many
SELECT sqlc.embed(p), sqlc.embed(t)
FROM players AS p
FULL JOIN teams AS t ON t.id = p.team_id
ORDER BY t.id NULLS FIRST, p.id NULLS FIRST;

-- name: PlayersWithMentors :many
SELECT sqlc.embed(p), sqlc.embed(m)
FROM players AS p
LEFT JOIN players AS m ON m.id = p.mentor_id
ORDER BY p.id;

-- name: MenteesOf :many
SELECT sqlc.embed(mentor), sqlc.embed(mentee)
FROM players AS mentor
JOIN players AS mentee ON mentee.mentor_id = mentor.id
WHERE mentor.id = @mentor_id
ORDER BY mentee.id;

-- name: ContactOf :one
SELECT contact FROM players WHERE id = $1;

-- name: PlayersByContact :many
SELECT id FROM players WHERE contact = ANY(@contacts::emails) ORDER BY id;

-- name: HomeOf :one
SELECT home FROM players WHERE id = $1;

-- name: MoveHome :execrows
UPDATE players SET home = @home WHERE id = @id;
