-- name: GetClosingMoneylines :many
-- Per decided game of a season (a final score, not a tie), the closing moneyline of both
-- sides at one book: the book asked for, else the lowest-numbered book that closed both.
-- A closing line is the observation flagged closing, else the book's untimed closing
-- line, else its last observation before first pitch.
WITH season_games AS (
    SELECT g.game_id, g.first_pitch_at
    FROM games AS g
    WHERE g.official_date BETWEEN make_date(sqlc.arg(season)::integer, 1, 1)
                              AND make_date(sqlc.arg(season)::integer, 12, 31)
      AND g.home_score IS NOT NULL
      AND g.home_score <> g.away_score
), quotes AS (
    SELECT o.game_id, o.sportsbook_id, o.side, o.price, o.observed_at,
           CASE WHEN o.is_closing THEN 0 ELSE 2 END AS rank
    FROM season_games AS s
    JOIN odds AS o ON o.game_id = s.game_id
    WHERE o.market = 'moneyline'
      AND (o.is_closing OR s.first_pitch_at IS NULL OR o.observed_at <= s.first_pitch_at)
    UNION ALL
    SELECT u.game_id, u.sportsbook_id, u.side, u.price, NULL::timestamptz, 1 AS rank
    FROM season_games AS s
    JOIN untimed_lines AS u ON u.game_id = s.game_id
    WHERE u.market = 'moneyline' AND u.moment = 'closing'
), closing AS (
    SELECT DISTINCT ON (q.game_id, q.sportsbook_id, q.side)
        q.game_id, q.sportsbook_id, q.side, q.price
    FROM quotes AS q
    WHERE q.sportsbook_id = COALESCE(sqlc.narg(sportsbook_id)::integer, q.sportsbook_id)
    ORDER BY q.game_id, q.sportsbook_id, q.side, q.rank, q.observed_at DESC NULLS LAST
), paired AS (
    SELECT DISTINCT ON (h.game_id)
        h.game_id, h.sportsbook_id, h.price AS home_price, a.price AS away_price
    FROM closing AS h
    JOIN closing AS a
      ON a.game_id = h.game_id AND a.sportsbook_id = h.sportsbook_id AND a.side = 'away'
    WHERE h.side = 'home'
    ORDER BY h.game_id, h.sportsbook_id
)
SELECT p.game_id, p.sportsbook_id, p.home_price, p.away_price,
       (g.home_score > g.away_score)::boolean AS home_won
FROM paired AS p
JOIN games AS g ON g.game_id = p.game_id
ORDER BY g.official_date, g.game_id;
