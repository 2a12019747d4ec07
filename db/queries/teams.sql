-- name: ListTeams :many
-- Every club, in Stats API id order.
SELECT * FROM teams ORDER BY team_id;

-- name: GetTeam :one
SELECT * FROM teams WHERE team_id = $1;

-- name: ResolveTeamCode :one
-- The club an abbreviation names, whether canonical (AZ) or an alias (ARI).
SELECT t.*
FROM teams AS t
WHERE t.abbreviation = upper(sqlc.arg(code)::text)
   OR t.team_id = (SELECT a.team_id FROM team_aliases AS a WHERE a.alias = upper(sqlc.arg(code)::text));
