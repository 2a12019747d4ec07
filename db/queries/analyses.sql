-- name: CreateBettingAnalysis :one
-- confidence_level is derived from confidence_score by the database.
INSERT INTO betting_analyses (
    game_id, analysis_type, strategy_name, strategy_version, market, side,
    signals_detected, confidence_score, recommendation, risk_level, features, expires_at
) VALUES (
    sqlc.arg(game_id), sqlc.arg(analysis_type), sqlc.arg(strategy_name),
    sqlc.arg(strategy_version), sqlc.arg(market), sqlc.arg(side),
    sqlc.arg(signals_detected), sqlc.arg(confidence_score), sqlc.arg(recommendation),
    sqlc.arg(risk_level), sqlc.arg(features), sqlc.narg(expires_at)
)
RETURNING *;

-- name: GetHighConfidenceAnalyses :many
-- Unexpired analyses with a confidence score of at least min_confidence (default 0.8),
-- most confident first; max_results null means all.
SELECT * FROM betting_analyses
WHERE confidence_score >= COALESCE(sqlc.narg(min_confidence)::numeric, 0.8)
  AND (expires_at IS NULL OR expires_at > now())
ORDER BY confidence_score DESC, created_at DESC, analysis_id
LIMIT sqlc.narg(max_results)::integer;

-- name: ListAnalysesByGame :many
SELECT * FROM betting_analyses
WHERE game_id = sqlc.arg(game_id)
ORDER BY created_at, analysis_id;
