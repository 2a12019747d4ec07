-- name: IngestBettingSplits :batchexec
-- Idempotent: a capture already stored (game, market, source, side, time) is skipped.
INSERT INTO betting_splits (
    game_id, market, side, source, line, bet_pct, money_pct, bet_count, captured_at
) VALUES (
    sqlc.arg(game_id), sqlc.arg(market), sqlc.arg(side), sqlc.arg(source), sqlc.narg(line),
    sqlc.narg(bet_pct), sqlc.narg(money_pct), sqlc.narg(bet_count), sqlc.arg(captured_at)
)
ON CONFLICT DO NOTHING;

-- name: GetLatestBettingSplits :many
-- The newest capture per source and side of one market of a game.
SELECT DISTINCT ON (source, side) *
FROM betting_splits
WHERE game_id = sqlc.arg(game_id) AND market = sqlc.arg(market)
ORDER BY source, side, captured_at DESC;
