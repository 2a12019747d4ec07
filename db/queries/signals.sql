-- name: CreateSharpSignal :one
-- confidence_level is derived from confidence_score by the database.
INSERT INTO sharp_signals (
    game_id, signal_type, detector_name, detector_version, market, side, sportsbook_id,
    signal_strength, confidence_score, features, detected_at, expires_at
) VALUES (
    sqlc.arg(game_id), sqlc.arg(signal_type), sqlc.arg(detector_name),
    sqlc.arg(detector_version), sqlc.arg(market), sqlc.arg(side), sqlc.narg(sportsbook_id),
    sqlc.arg(signal_strength), sqlc.arg(confidence_score), sqlc.arg(features),
    sqlc.arg(detected_at), sqlc.narg(expires_at)
)
RETURNING *;

-- name: GetStrongSignals :many
-- Unexpired signals with signal_strength (not confidence) of at least min_strength
-- (default 0.8), optionally of one confidence level, strongest first.
SELECT * FROM sharp_signals
WHERE signal_strength >= COALESCE(sqlc.narg(min_strength)::numeric, 0.8)
  AND (sqlc.narg(confidence_level)::confidence_level IS NULL
       OR confidence_level = sqlc.narg(confidence_level)::confidence_level)
  AND (expires_at IS NULL OR expires_at > now())
ORDER BY signal_strength DESC, detected_at DESC, signal_id;

-- name: ListSignalsByGame :many
SELECT * FROM sharp_signals
WHERE game_id = sqlc.arg(game_id)
ORDER BY detected_at, signal_id;
