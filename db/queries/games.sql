-- name: UpsertGame :one
-- Idempotent ingest from any source. The game one of the given external ids already
-- names is updated in place (a rescheduled game keeps its row); failing that, the game
-- with the same natural key, so a second source adds its id to the row the first
-- created. External ids and optional details a source does not send are kept.
WITH home AS (
    SELECT t.team_id FROM teams AS t WHERE t.abbreviation = sqlc.arg(home_team)
), away AS (
    SELECT t.team_id FROM teams AS t WHERE t.abbreviation = sqlc.arg(away_team)
), known AS (
    SELECT k.game_id, 1 AS priority
    FROM games AS k
    WHERE k.mlb_game_pk = sqlc.narg(mlb_game_pk)::bigint
       OR k.sbr_game_id = sqlc.narg(sbr_game_id)::text
       OR k.action_network_game_id = sqlc.narg(action_network_game_id)::integer
    UNION ALL
    SELECT n.game_id, 2 AS priority
    FROM games AS n
    WHERE n.official_date = sqlc.arg(official_date)
      AND n.home_team_id = (SELECT team_id FROM home)
      AND n.away_team_id = (SELECT team_id FROM away)
      AND n.game_number = sqlc.arg(game_number)
    ORDER BY priority
    LIMIT 1
)
INSERT INTO games AS g (
    game_id, mlb_game_pk, sbr_game_id, action_network_game_id,
    official_date, home_team_id, away_team_id, game_number, first_pitch_at,
    season, season_type, game_type, status, home_score, away_score,
    venue, weather, probable_pitchers,
    source, source_url, source_updated_at, data_quality
) VALUES (
    COALESCE((SELECT game_id FROM known), nextval(pg_get_serial_sequence('games', 'game_id'))),
    sqlc.narg(mlb_game_pk), sqlc.narg(sbr_game_id), sqlc.narg(action_network_game_id),
    sqlc.arg(official_date), (SELECT team_id FROM home), (SELECT team_id FROM away),
    sqlc.arg(game_number), sqlc.narg(first_pitch_at),
    sqlc.arg(season), sqlc.arg(season_type), sqlc.arg(game_type), sqlc.arg(status),
    sqlc.narg(home_score), sqlc.narg(away_score),
    sqlc.narg(venue), sqlc.narg(weather), sqlc.narg(probable_pitchers),
    sqlc.arg(source), sqlc.narg(source_url), sqlc.narg(source_updated_at), sqlc.arg(data_quality)
)
ON CONFLICT (game_id) DO UPDATE SET
    mlb_game_pk = COALESCE(EXCLUDED.mlb_game_pk, g.mlb_game_pk),
    sbr_game_id = COALESCE(EXCLUDED.sbr_game_id, g.sbr_game_id),
    action_network_game_id = COALESCE(EXCLUDED.action_network_game_id, g.action_network_game_id),
    official_date = EXCLUDED.official_date,
    home_team_id = EXCLUDED.home_team_id,
    away_team_id = EXCLUDED.away_team_id,
    game_number = EXCLUDED.game_number,
    first_pitch_at = COALESCE(EXCLUDED.first_pitch_at, g.first_pitch_at),
    season = EXCLUDED.season,
    season_type = EXCLUDED.season_type,
    game_type = EXCLUDED.game_type,
    status = EXCLUDED.status,
    home_score = COALESCE(EXCLUDED.home_score, g.home_score),
    away_score = COALESCE(EXCLUDED.away_score, g.away_score),
    venue = COALESCE(EXCLUDED.venue, g.venue),
    weather = COALESCE(EXCLUDED.weather, g.weather),
    probable_pitchers = COALESCE(EXCLUDED.probable_pitchers, g.probable_pitchers),
    source = EXCLUDED.source,
    source_url = EXCLUDED.source_url,
    source_updated_at = EXCLUDED.source_updated_at,
    data_quality = EXCLUDED.data_quality,
    updated_at = now()
RETURNING *;

-- name: GetGame :one
SELECT * FROM games WHERE game_id = sqlc.arg(game_id);

-- name: UpdateGame :one
-- Partial update: a null argument leaves its column as it was.
UPDATE games SET
    status = COALESCE(sqlc.narg(status)::game_status, status),
    first_pitch_at = COALESCE(sqlc.narg(first_pitch_at)::timestamptz, first_pitch_at),
    home_score = COALESCE(sqlc.narg(home_score)::smallint, home_score),
    away_score = COALESCE(sqlc.narg(away_score)::smallint, away_score),
    venue = COALESCE(sqlc.narg(venue)::jsonb, venue),
    weather = COALESCE(sqlc.narg(weather)::jsonb, weather),
    probable_pitchers = COALESCE(sqlc.narg(probable_pitchers)::jsonb, probable_pitchers),
    data_quality = COALESCE(sqlc.narg(data_quality)::data_quality, data_quality),
    updated_at = now()
WHERE game_id = sqlc.arg(game_id)
RETURNING *;

-- name: DeleteGame :execrows
-- Its odds, splits, analyses and signals go with it.
DELETE FROM games WHERE game_id = sqlc.arg(game_id);

-- name: ListGames :many
-- Oldest first, in the order of the natural key index.
SELECT * FROM games
ORDER BY official_date, home_team_id, away_team_id, game_number
LIMIT sqlc.arg(max_results) OFFSET sqlc.arg(skip);

-- name: ListGamesNewestFirst :many
SELECT * FROM games
ORDER BY official_date DESC, home_team_id DESC, away_team_id DESC, game_number DESC
LIMIT sqlc.arg(max_results) OFFSET sqlc.arg(skip);

-- name: FindGamesByDateRange :many
-- Games on official dates from start_date to end_date inclusive, optionally of one
-- status.
SELECT * FROM games
WHERE official_date BETWEEN sqlc.arg(start_date) AND sqlc.arg(end_date)
  AND (sqlc.narg(status)::game_status IS NULL OR status = sqlc.narg(status)::game_status)
ORDER BY official_date, first_pitch_at, game_number, game_id;

-- name: FindGamesByTeam :many
-- A club's games, home or away, optionally from a date on.
SELECT g.* FROM games AS g
WHERE (g.home_team_id = (SELECT t.team_id FROM teams AS t WHERE t.abbreviation = sqlc.arg(team))
    OR g.away_team_id = (SELECT t.team_id FROM teams AS t WHERE t.abbreviation = sqlc.arg(team)))
  AND g.official_date >= COALESCE(sqlc.narg(since)::date, '-infinity'::date)
ORDER BY g.official_date, g.game_number, g.game_id;

-- name: FindGameByExternalId :one
-- The game a source's own id names; the CASEs keep each id column's index usable. A numeric
-- id is only cast when it is one written plainly (no sign, spaces or leading zeros) and fits,
-- so "abc" or " 1 " names no game instead of failing or finding game 1.
SELECT * FROM games
WHERE mlb_game_pk = CASE WHEN sqlc.arg(source)::data_source = 'mlb'
                          AND sqlc.arg(external_id)::text ~ '^[1-9][0-9]{0,17}$'
                         THEN sqlc.arg(external_id)::text::bigint END
   OR sbr_game_id = CASE WHEN sqlc.arg(source)::data_source = 'sbr'
                         THEN sqlc.arg(external_id)::text END
   OR action_network_game_id = CASE WHEN sqlc.arg(source)::data_source = 'action_network'
                                     AND sqlc.arg(external_id)::text ~ '^[1-9][0-9]{0,9}$'
                                    THEN CASE WHEN sqlc.arg(external_id)::text::bigint <= 2147483647
                                              THEN sqlc.arg(external_id)::text::integer END
                               END;

-- name: GetTodaysGames :many
-- Games whose official date is today in time_zone (default America/New_York).
SELECT * FROM games
WHERE official_date = (now() AT TIME ZONE COALESCE(sqlc.narg(time_zone)::text, 'America/New_York'))::date
ORDER BY first_pitch_at, game_number, game_id;

-- name: GetLiveGames :many
SELECT * FROM games WHERE status = 'live' ORDER BY first_pitch_at;

-- name: ListTeamCodes :many
-- Every code that names a club: its abbreviation and its aliases (SBR's CUB, KAN, ...).
SELECT t.abbreviation::text AS code, t.team_id FROM teams AS t
UNION ALL
SELECT a.alias AS code, a.team_id FROM team_aliases AS a
ORDER BY code;

-- name: ListTeamNames :many
-- Every full name that names a club, current and former (Cleveland Indians, ...).
SELECT n.name, n.team_id FROM team_names AS n ORDER BY n.name;

-- name: InsertUnidentifiedGames :many
-- Games a source names without an id of its own (SBR's archive), by natural key; one per
-- position of the arrays. Games already stored with that key are left alone and not returned.
INSERT INTO games AS g (
    official_date, home_team_id, away_team_id, game_number, season, status, home_score,
    away_score, source, data_quality
)
SELECT (sqlc.arg(official_dates)::date[])[p.i], (sqlc.arg(home_team_ids)::integer[])[p.i],
       (sqlc.arg(away_team_ids)::integer[])[p.i], (sqlc.arg(game_numbers)::smallint[])[p.i],
       (sqlc.arg(seasons)::smallint[])[p.i],
       CASE WHEN (sqlc.arg(home_scores)::smallint[])[p.i] IS NULL THEN 'scheduled'
            ELSE 'final' END::game_status,
       (sqlc.arg(home_scores)::smallint[])[p.i], (sqlc.arg(away_scores)::smallint[])[p.i],
       sqlc.arg(source)::data_source, 'medium'::data_quality
FROM generate_subscripts(sqlc.arg(official_dates)::date[], 1) AS p (i)
ON CONFLICT (official_date, home_team_id, away_team_id, game_number) DO NOTHING
RETURNING g.game_id, g.official_date, g.home_team_id, g.away_team_id, g.game_number;

-- name: FillGameScores :execrows
-- Final scores for games that have none; a game with a score keeps it.
UPDATE games AS g SET
    home_score = (sqlc.arg(home_scores)::smallint[])[d.i],
    away_score = (sqlc.arg(away_scores)::smallint[])[d.i],
    status = 'final',
    updated_at = now()
FROM unnest(sqlc.arg(game_ids)::bigint[]) WITH ORDINALITY AS d (game_id, i)
WHERE g.game_id = d.game_id AND g.home_score IS NULL;

-- name: FindGamesOfClubs :many
-- A pairing's games (home and away as given) on official dates from first_day to last_day,
-- in the order they were played.
SELECT * FROM games
WHERE home_team_id = sqlc.arg(home_id)
  AND away_team_id = sqlc.arg(away_id)
  AND official_date BETWEEN sqlc.arg(first_day) AND sqlc.arg(last_day)
ORDER BY official_date, game_number;

-- name: FindGameByOddsApiEvent :one
SELECT * FROM games WHERE odds_api_event_id = sqlc.arg(event_id);

-- name: AttachOddsApiEvent :execrows
-- Names a game by The Odds API's event id, unless it already carries one.
UPDATE games SET odds_api_event_id = sqlc.arg(event_id), updated_at = now()
WHERE game_id = sqlc.arg(game_id) AND odds_api_event_id IS NULL;

-- name: CreateFeedGame :one
-- A game first named by an odds feed: its clubs, local date and listed start, and The Odds
-- API's event id when it is that feed.
INSERT INTO games (
    odds_api_event_id, official_date, home_team_id, away_team_id, game_number,
    first_pitch_at, season, source, data_quality
) VALUES (
    sqlc.narg(odds_api_event_id), sqlc.arg(official_date), sqlc.arg(home_team_id),
    sqlc.arg(away_team_id), sqlc.arg(game_number), sqlc.arg(first_pitch_at), sqlc.arg(season),
    sqlc.arg(source), 'medium'
)
RETURNING *;

-- name: AttachActionNetworkGame :execrows
-- Names a game by Action Network's game id, unless it already carries one.
UPDATE games SET action_network_game_id = sqlc.arg(action_network_game_id), updated_at = now()
WHERE game_id = sqlc.arg(game_id) AND action_network_game_id IS NULL;

-- name: CreateActionNetworkGame :one
-- A game first named by Action Network's scoreboard; a null status is left at scheduled.
INSERT INTO games (
    action_network_game_id, official_date, home_team_id, away_team_id, game_number,
    first_pitch_at, season, season_type, game_type, status, source, data_quality
) VALUES (
    sqlc.arg(action_network_game_id), sqlc.arg(official_date), sqlc.arg(home_team_id),
    sqlc.arg(away_team_id), sqlc.arg(game_number), sqlc.arg(first_pitch_at), sqlc.arg(season),
    sqlc.arg(season_type), sqlc.arg(game_type),
    COALESCE(sqlc.narg(status)::game_status, 'scheduled'), 'action_network', 'medium'
)
RETURNING *;

-- name: SetActionNetworkGameState :execrows
-- A later scoreboard's state, start and season type, for games no Stats API schedule named
-- (the schedule is the authority on those); a null status keeps the stored one. 0 rows when
-- nothing would change.
UPDATE games SET
    status = COALESCE(sqlc.narg(status)::game_status, status),
    first_pitch_at = sqlc.arg(first_pitch_at),
    season_type = sqlc.arg(season_type),
    game_type = sqlc.arg(game_type),
    updated_at = now()
WHERE game_id = sqlc.arg(game_id)
  AND mlb_game_pk IS NULL
  AND (status, first_pitch_at, season_type, game_type) IS DISTINCT FROM (
      COALESCE(sqlc.narg(status)::game_status, status), sqlc.arg(first_pitch_at)::timestamptz,
      sqlc.arg(season_type)::season_type, sqlc.arg(game_type)::game_type
  );
