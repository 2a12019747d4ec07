-- name: UpsertScheduledGame :one
-- A game from the MLB Stats API schedule, found by its gamePk, else by the natural
-- key among games without one (so a game another source created gains its gamePk).
-- The schedule is the authority on time: a first pitch it calls TBD clears a stored one.
-- A game whose values would not change is left alone, updated_at included, and no
-- row comes back; `created` tells an insert from an update.
WITH known AS (
    SELECT k.game_id, 1 AS priority
    FROM games AS k
    WHERE k.mlb_game_pk = sqlc.arg(mlb_game_pk)
    UNION ALL
    SELECT n.game_id, 2 AS priority
    FROM games AS n
    WHERE n.official_date = sqlc.arg(official_date)
      AND n.home_team_id = sqlc.arg(home_team_id)
      AND n.away_team_id = sqlc.arg(away_team_id)
      AND n.game_number = sqlc.arg(game_number)
      AND n.mlb_game_pk IS NULL
    ORDER BY priority
    LIMIT 1
)
INSERT INTO games AS g (
    game_id, mlb_game_pk, official_date, home_team_id, away_team_id, game_number,
    first_pitch_at, season, season_type, game_type, status, home_score, away_score, venue,
    source, source_url, data_quality, doubleheader, mlb_game_type, detailed_state,
    status_reason, scheduled_date, resumed_on
) VALUES (
    COALESCE((SELECT game_id FROM known), nextval(pg_get_serial_sequence('games', 'game_id'))),
    sqlc.arg(mlb_game_pk), sqlc.arg(official_date), sqlc.arg(home_team_id),
    sqlc.arg(away_team_id), sqlc.arg(game_number), sqlc.narg(first_pitch_at), sqlc.arg(season),
    sqlc.arg(season_type), sqlc.arg(game_type), sqlc.arg(status), sqlc.narg(home_score),
    sqlc.narg(away_score), sqlc.narg(venue), 'mlb', sqlc.narg(source_url), 'high',
    sqlc.narg(doubleheader), sqlc.narg(mlb_game_type), sqlc.narg(detailed_state),
    sqlc.narg(status_reason), sqlc.narg(scheduled_date), sqlc.narg(resumed_on)
)
ON CONFLICT (game_id) DO UPDATE SET
    mlb_game_pk = EXCLUDED.mlb_game_pk,
    official_date = EXCLUDED.official_date,
    home_team_id = EXCLUDED.home_team_id,
    away_team_id = EXCLUDED.away_team_id,
    game_number = EXCLUDED.game_number,
    first_pitch_at = EXCLUDED.first_pitch_at,
    season = EXCLUDED.season,
    season_type = EXCLUDED.season_type,
    game_type = EXCLUDED.game_type,
    status = EXCLUDED.status,
    home_score = COALESCE(EXCLUDED.home_score, g.home_score),
    away_score = COALESCE(EXCLUDED.away_score, g.away_score),
    venue = COALESCE(EXCLUDED.venue, g.venue),
    source = EXCLUDED.source,
    source_url = COALESCE(EXCLUDED.source_url, g.source_url),
    data_quality = EXCLUDED.data_quality,
    doubleheader = EXCLUDED.doubleheader,
    mlb_game_type = EXCLUDED.mlb_game_type,
    detailed_state = EXCLUDED.detailed_state,
    status_reason = EXCLUDED.status_reason,
    scheduled_date = COALESCE(EXCLUDED.scheduled_date, g.scheduled_date),
    resumed_on = COALESCE(EXCLUDED.resumed_on, g.resumed_on),
    updated_at = now()
WHERE (
    g.mlb_game_pk, g.official_date, g.home_team_id, g.away_team_id, g.game_number,
    g.first_pitch_at, g.season, g.season_type, g.game_type, g.status, g.home_score,
    g.away_score, g.venue, g.source, g.source_url, g.data_quality, g.doubleheader,
    g.mlb_game_type, g.detailed_state, g.status_reason, g.scheduled_date, g.resumed_on
) IS DISTINCT FROM (
    EXCLUDED.mlb_game_pk, EXCLUDED.official_date, EXCLUDED.home_team_id,
    EXCLUDED.away_team_id, EXCLUDED.game_number, EXCLUDED.first_pitch_at, EXCLUDED.season,
    EXCLUDED.season_type, EXCLUDED.game_type, EXCLUDED.status,
    COALESCE(EXCLUDED.home_score, g.home_score), COALESCE(EXCLUDED.away_score, g.away_score),
    COALESCE(EXCLUDED.venue, g.venue), EXCLUDED.source,
    COALESCE(EXCLUDED.source_url, g.source_url), EXCLUDED.data_quality,
    EXCLUDED.doubleheader, EXCLUDED.mlb_game_type, EXCLUDED.detailed_state,
    EXCLUDED.status_reason, COALESCE(EXCLUDED.scheduled_date, g.scheduled_date),
    COALESCE(EXCLUDED.resumed_on, g.resumed_on)
)
RETURNING g.game_id, ((SELECT game_id FROM known) IS NULL)::boolean AS created;

-- name: FindStoredOdds :many
-- The positions (1-based) of the given observations that are already stored,
-- matched on the key of odds_observation_unique; the arrays hold one observation
-- per position.
SELECT p.position::integer AS position
FROM generate_subscripts(sqlc.arg(game_ids)::bigint[], 1) AS p (position)
WHERE EXISTS (
    SELECT 1 FROM odds AS o
    WHERE o.game_id = (sqlc.arg(game_ids)::bigint[])[p.position]
      AND o.market = (sqlc.arg(markets)::market[])[p.position]
      AND o.sportsbook_id = (sqlc.arg(sportsbook_ids)::integer[])[p.position]
      AND o.side = (sqlc.arg(sides)::side[])[p.position]
      AND o.observed_at = (sqlc.arg(observed_ats)::timestamptz[])[p.position]
      AND o.line IS NOT DISTINCT FROM (sqlc.arg(lines)::numeric[])[p.position]
)
ORDER BY p.position;

-- name: InsertBettingSplit :execrows
-- One capture; 0 rows when the same capture (game, market, source, side, time)
-- is already stored.
INSERT INTO betting_splits (
    game_id, market, side, source, line, bet_pct, money_pct, bet_count, captured_at
) VALUES (
    sqlc.arg(game_id), sqlc.arg(market), sqlc.arg(side), sqlc.arg(source), sqlc.narg(line),
    sqlc.narg(bet_pct), sqlc.narg(money_pct), sqlc.narg(bet_count), sqlc.arg(captured_at)
)
ON CONFLICT DO NOTHING;

-- name: FindAnalysis :one
-- The analysis a strategy version already made of one side of a game's market.
SELECT analysis_id FROM betting_analyses
WHERE game_id = sqlc.arg(game_id)
  AND analysis_type = sqlc.arg(analysis_type)
  AND strategy_name = sqlc.arg(strategy_name)
  AND strategy_version = sqlc.arg(strategy_version)
  AND market = sqlc.arg(market)
  AND side = sqlc.arg(side)
ORDER BY analysis_id
LIMIT 1;

-- name: FindSignal :one
-- The signal a detector version already raised on one side of a market at a time.
SELECT signal_id FROM sharp_signals
WHERE game_id = sqlc.arg(game_id)
  AND signal_type = sqlc.arg(signal_type)
  AND detector_name = sqlc.arg(detector_name)
  AND detector_version = sqlc.arg(detector_version)
  AND market = sqlc.arg(market)
  AND side = sqlc.arg(side)
  AND sportsbook_id IS NOT DISTINCT FROM sqlc.narg(sportsbook_id)::integer
  AND detected_at = sqlc.arg(detected_at)
ORDER BY signal_id
LIMIT 1;
