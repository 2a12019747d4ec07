-- name: ListUntimedLines :many
-- The stored untimed lines of the given games at one book.
SELECT * FROM untimed_lines
WHERE game_id = ANY (sqlc.arg(game_ids)::bigint[]) AND sportsbook_id = sqlc.arg(sportsbook_id)
ORDER BY game_id, market, side, moment;

-- name: UpsertUntimedLines :execrows
-- Opening or closing lines without an observation time, one per position of the arrays;
-- a line whose line and price are already stored is left alone and not counted.
INSERT INTO untimed_lines AS u (game_id, sportsbook_id, market, side, moment, line, price, source)
SELECT (sqlc.arg(game_ids)::bigint[])[p.i], sqlc.arg(sportsbook_id)::integer,
       (sqlc.arg(markets)::market[])[p.i], (sqlc.arg(sides)::side[])[p.i],
       (sqlc.arg(moments)::line_moment[])[p.i], (sqlc.arg(lines)::numeric[])[p.i],
       (sqlc.arg(prices)::integer[])[p.i], sqlc.arg(source)::data_source
FROM generate_subscripts(sqlc.arg(game_ids)::bigint[], 1) AS p (i)
ON CONFLICT (game_id, market, sportsbook_id, side, moment) DO UPDATE SET
    line = EXCLUDED.line,
    price = EXCLUDED.price,
    source = EXCLUDED.source
WHERE (u.line, u.price, u.source) IS DISTINCT FROM (EXCLUDED.line, EXCLUDED.price, EXCLUDED.source);

-- name: GetOpeningLinesAnyTime :many
-- Per book and side, the opening line whether observed or untimed: the observation flagged
-- opening, else the book's untimed opening line, else its earliest observation.
-- observed_at is null for an untimed line.
SELECT DISTINCT ON (l.sportsbook_id, l.side)
    l.sportsbook_id, l.side, l.line, l.price, l.observed_at, l.source
FROM (
    SELECT o.sportsbook_id, o.side, o.line, o.price, o.observed_at, o.source,
           CASE WHEN o.is_opening THEN 0 ELSE 2 END AS rank
    FROM odds AS o
    WHERE o.game_id = sqlc.arg(game_id) AND o.market = sqlc.arg(market)
    UNION ALL
    SELECT u.sportsbook_id, u.side, u.line, u.price, NULL::timestamptz, u.source, 1 AS rank
    FROM untimed_lines AS u
    WHERE u.game_id = sqlc.arg(game_id) AND u.market = sqlc.arg(market) AND u.moment = 'opening'
) AS l
ORDER BY l.sportsbook_id, l.side, l.rank, l.observed_at, l.line;

-- name: GetClosingLinesAnyTime :many
-- Per book and side, the closing line whether observed or untimed: the observation flagged
-- closing, else the book's untimed closing line, else its last observation before first
-- pitch. observed_at is null for an untimed line.
SELECT DISTINCT ON (l.sportsbook_id, l.side)
    l.sportsbook_id, l.side, l.line, l.price, l.observed_at, l.source
FROM (
    SELECT o.sportsbook_id, o.side, o.line, o.price, o.observed_at, o.source,
           CASE WHEN o.is_closing THEN 0 ELSE 2 END AS rank
    FROM odds AS o
    JOIN games AS g ON g.game_id = o.game_id
    WHERE o.game_id = sqlc.arg(game_id)
      AND o.market = sqlc.arg(market)
      AND (o.is_closing OR g.first_pitch_at IS NULL OR o.observed_at <= g.first_pitch_at)
    UNION ALL
    SELECT u.sportsbook_id, u.side, u.line, u.price, NULL::timestamptz, u.source, 1 AS rank
    FROM untimed_lines AS u
    WHERE u.game_id = sqlc.arg(game_id) AND u.market = sqlc.arg(market) AND u.moment = 'closing'
) AS l
ORDER BY l.sportsbook_id, l.side, l.rank, l.observed_at DESC, l.line;
