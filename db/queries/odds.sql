-- name: CopyOdds :copyfrom
-- Bulk load through COPY; any duplicate observation fails the whole batch.
INSERT INTO odds (
    game_id, sportsbook_id, market, side, line, price, observed_at,
    is_opening, is_closing, bet_limit, source
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- name: IngestOdds :batchexec
-- Idempotent ingest: an observation already stored is skipped.
INSERT INTO odds (
    game_id, sportsbook_id, market, side, line, price, observed_at,
    is_opening, is_closing, bet_limit, source
) VALUES (
    sqlc.arg(game_id), sqlc.arg(sportsbook_id), sqlc.arg(market), sqlc.arg(side),
    sqlc.narg(line), sqlc.arg(price), sqlc.arg(observed_at),
    sqlc.arg(is_opening), sqlc.arg(is_closing), sqlc.narg(bet_limit), sqlc.arg(source)
)
ON CONFLICT DO NOTHING;

-- name: FindOddsByGame :many
-- A game's whole history, optionally of one market and one book, oldest first.
SELECT * FROM odds
WHERE game_id = sqlc.arg(game_id)
  AND (sqlc.narg(market)::market IS NULL OR market = sqlc.narg(market)::market)
  AND (sqlc.narg(sportsbook_id)::integer IS NULL OR sportsbook_id = sqlc.narg(sportsbook_id)::integer)
ORDER BY observed_at, sportsbook_id, market, side, line;

-- name: GetLatestOdds :many
-- The newest observation per book and side of one market in an observed_at window
-- [observed_from, observed_until), optionally of one book. The window is a parameter, not
-- derived from the game here, so that the planner prunes the odds partitions outside it.
SELECT DISTINCT ON (sportsbook_id, side) *
FROM odds
WHERE game_id = sqlc.arg(game_id)
  AND market = sqlc.arg(market)
  AND (sqlc.narg(sportsbook_id)::integer IS NULL OR sportsbook_id = sqlc.narg(sportsbook_id)::integer)
  AND observed_at >= sqlc.arg(observed_from)
  AND observed_at < sqlc.arg(observed_until)
ORDER BY sportsbook_id, side, observed_at DESC, line;

-- name: GetGameLatestOdds :many
-- GetLatestOdds of every market of a game in one round trip: the newest observation per
-- market, book and side in the observed_at window [observed_from, observed_until).
SELECT DISTINCT ON (market, sportsbook_id, side) *
FROM odds
WHERE game_id = sqlc.arg(game_id)
  AND observed_at >= sqlc.arg(observed_from)
  AND observed_at < sqlc.arg(observed_until)
ORDER BY market, sportsbook_id, side, observed_at DESC, line;

-- name: GetLineMovement :many
-- One book's observations of a market in an observed_at window [observed_from,
-- observed_until), each with its change from the one before (null for the first, and for
-- the line of a market without one). price_change is in cents, which do not jump across
-- even money: -105 to +105 is 10 (American prices have no values between -100 and +100, so
-- each side of the gap is shifted by 100 towards zero).
SELECT
    side, line, price, observed_at,
    (line - lag(line) OVER w)::numeric(5, 2) AS line_change,
    (price - sign(price)::integer * 100 - lag(price - sign(price)::integer * 100) OVER w)::integer
        AS price_change
FROM odds
WHERE game_id = sqlc.arg(game_id)
  AND market = sqlc.arg(market)
  AND sportsbook_id = sqlc.arg(sportsbook_id)
  AND observed_at >= sqlc.arg(observed_from)
  AND observed_at < sqlc.arg(observed_until)
WINDOW w AS (PARTITION BY side ORDER BY observed_at, line)
ORDER BY side, observed_at, line;

-- name: GetMarketMovement :many
-- Every book's observations of one market of a game in an observed_at window
-- [observed_from, observed_until), optionally of one book, in one round trip: each row with
-- its book's key, its change from the book's previous observation of that side (as in
-- GetLineMovement), and whether it is the book's opening or closing observation of the side
-- by the rules of GetOpeningLines and GetClosingLines (within the window).
SELECT
    o.sportsbook_id, b.key AS sportsbook, o.side, o.line, o.price, o.observed_at,
    (o.line - lag(o.line) OVER series)::numeric(5, 2) AS line_change,
    (o.price - sign(o.price)::integer * 100
        - lag(o.price - sign(o.price)::integer * 100) OVER series)::integer AS price_change,
    (row_number() OVER opening_first = 1)::boolean AS opening,
    ((o.is_closing OR g.first_pitch_at IS NULL OR o.observed_at <= g.first_pitch_at)
        AND row_number() OVER closing_first = 1)::boolean AS closing
FROM odds AS o
JOIN games AS g ON g.game_id = o.game_id
JOIN sportsbooks AS b ON b.sportsbook_id = o.sportsbook_id
WHERE o.game_id = sqlc.arg(game_id)
  AND o.market = sqlc.arg(market)
  AND (sqlc.narg(sportsbook_id)::integer IS NULL OR o.sportsbook_id = sqlc.narg(sportsbook_id)::integer)
  AND o.observed_at >= sqlc.arg(observed_from)
  AND o.observed_at < sqlc.arg(observed_until)
WINDOW series AS (PARTITION BY o.sportsbook_id, o.side ORDER BY o.observed_at, o.line),
    opening_first AS (
        PARTITION BY o.sportsbook_id, o.side ORDER BY o.is_opening DESC, o.observed_at, o.line
    ),
    closing_first AS (
        PARTITION BY o.sportsbook_id, o.side,
            (o.is_closing OR g.first_pitch_at IS NULL OR o.observed_at <= g.first_pitch_at)
        ORDER BY o.is_closing DESC, o.observed_at DESC, o.line
    )
ORDER BY b.key, o.side, o.observed_at, o.line;

-- name: GetOpeningLines :many
-- Per book and side: the observation flagged opening, else the earliest.
SELECT DISTINCT ON (sportsbook_id, side) *
FROM odds
WHERE game_id = sqlc.arg(game_id) AND market = sqlc.arg(market)
ORDER BY sportsbook_id, side, is_opening DESC, observed_at, line;

-- name: GetClosingLines :many
-- Per book and side: the observation flagged closing, else the last one before first
-- pitch.
SELECT DISTINCT ON (o.sportsbook_id, o.side) o.*
FROM odds AS o
JOIN games AS g ON g.game_id = o.game_id
WHERE o.game_id = sqlc.arg(game_id)
  AND o.market = sqlc.arg(market)
  AND (o.is_closing OR g.first_pitch_at IS NULL OR o.observed_at <= g.first_pitch_at)
ORDER BY o.sportsbook_id, o.side, o.is_closing DESC, o.observed_at DESC, o.line;

-- name: GetConsensusOdds :many
-- Per side, across each book's latest observation at a time: the median price, taken
-- over decimal odds (American prices jump from -100 to +100) and given back as
-- American, and the median book's line (the lower middle one for an even count; null
-- for moneylines).
WITH latest AS (
    SELECT DISTINCT ON (o.sportsbook_id, o.side) o.side, o.line, o.price
    FROM odds AS o
    WHERE o.game_id = sqlc.arg(game_id)
      AND o.market = sqlc.arg(market)
      AND o.observed_at <= sqlc.arg(at)
    ORDER BY o.sportsbook_id, o.side, o.observed_at DESC, o.line
), medians AS (
    SELECT
        side,
        count(*) AS books,
        percentile_cont(0.5) WITHIN GROUP (
            ORDER BY CASE WHEN price > 0 THEN 1 + price / 100.0 ELSE 1 - 100.0 / price END
        ) AS decimal_price
    FROM latest
    GROUP BY side
)
SELECT
    m.side,
    m.books::integer AS books,
    (SELECT l.line FROM latest AS l WHERE l.side = m.side
     ORDER BY l.line LIMIT 1 OFFSET (m.books - 1) / 2) AS median_line,
    round(m.decimal_price::numeric, 4)::numeric(8, 4) AS median_decimal_price,
    (CASE WHEN m.decimal_price >= 2 THEN round((m.decimal_price - 1) * 100)
          ELSE round(-100 / (m.decimal_price - 1)) END)::integer AS median_price
FROM medians AS m
ORDER BY m.side;
