"""Synthetic MLB data made inside PostgreSQL (INSERT ... SELECT generate_series), fast enough
for ten million odds rows, and the same shape of rows in Python for the ingest benchmark.

The schedule has 15 games a day, every club playing once a day, game ids counting up from 1 in
date order. Each game gets `observations` prices per sportsbook (10) and market-side (6:
moneyline, run line and total, both sides), 30 seconds apart, so 60 rows per observation.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import itertools

import asyncpg

from betdb.generated.models import DataSource, Market, Side
from betdb.generated.odds import CopyOddsValues

GAMES_PER_DAY = 15
ROWS_PER_OBSERVATION = 60  # 10 sportsbooks x 6 market-sides

_MARKET_SIDES = (
    (Market.MONEYLINE, Side.HOME, None),
    (Market.MONEYLINE, Side.AWAY, None),
    (Market.RUN_LINE, Side.HOME, decimal.Decimal("-1.5")),
    (Market.RUN_LINE, Side.AWAY, decimal.Decimal("1.5")),
    (Market.TOTAL, Side.OVER, decimal.Decimal("8.5")),
    (Market.TOTAL, Side.UNDER, decimal.Decimal("8.5")),
)

_INSERT_SCHEDULE = """
WITH clubs AS (SELECT array_agg(team_id ORDER BY team_id) AS ids FROM teams)
INSERT INTO games (
    game_id, mlb_game_pk, official_date, home_team_id, away_team_id, first_pitch_at,
    season, status, source
)
SELECT d * 15 + s + 1, d * 15 + s + 1, $1::date + d,
       clubs.ids[1 + (s + d) % 30], clubs.ids[1 + (29 - s + d) % 30],
       ($1::date + d + time '23:05') AT TIME ZONE 'UTC',
       extract(year FROM $1::date + d)::smallint, 'final', 'mlb'
FROM clubs, generate_series($2::integer, $3::integer - 1) AS d, generate_series(0, 14) AS s
"""

_INSERT_ODDS = """
INSERT INTO odds (
    game_id, sportsbook_id, market, side, line, price, observed_at,
    is_opening, is_closing, bet_limit, source
)
SELECT g.game_id, b.sportsbook_id, c.market::market, c.side::side, c.line,
       CASE WHEN (k + c.n) % 2 = 0 THEN -(105 + (k * 7 + b.sportsbook_id) % 60)
            ELSE 100 + (k * 7 + b.sportsbook_id) % 60 END,
       g.first_pitch_at - (k + 1) * $4 * interval '1 second',
       k = $3 - 1, false,
       CASE WHEN b.sportsbook_id % 2 = 0 THEN 5000 END,
       'sbr'
FROM games AS g
CROSS JOIN sportsbooks AS b
CROSS JOIN (VALUES (0, 'moneyline', 'home', NULL::numeric), (1, 'moneyline', 'away', NULL),
                   (2, 'run_line', 'home', -1.5), (3, 'run_line', 'away', 1.5),
                   (4, 'total', 'over', 8.5), (5, 'total', 'under', 8.5))
     AS c (n, market, side, line)
CROSS JOIN generate_series(0, $3 - 1) AS k
WHERE g.game_id BETWEEN $1 AND $2
"""


async def bulk_session(conn: asyncpg.Connection) -> None:
    """Skip the per-row foreign key triggers while loading rows that are valid by construction
    (superuser only; elsewhere the load is just slower)."""
    with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
        await conn.execute("SET session_replication_role = replica")


async def ensure_partitions(conn: asyncpg.Connection, first: datetime.date, days: int) -> None:
    """Monthly odds partitions covering the schedule's days (plus the day before the first)."""
    start = first - datetime.timedelta(days=1)
    last = first + datetime.timedelta(days=days)
    months = (last.year - start.year) * 12 + last.month - start.month + 1
    for offset in range(0, months, 120):  # the function creates at most 120 at a time
        month = (start.month - 1 + offset) % 12 + 1
        year = start.year + (start.month - 1 + offset) // 12
        await conn.fetchval(
            "SELECT ensure_odds_partitions($1, $2)",
            datetime.date(year, month, 1),
            min(120, months - offset),
        )


async def add_schedule(
    conn: asyncpg.Connection, first: datetime.date, from_day: int, to_day: int
) -> range:
    """Games of days [from_day, to_day) counted from `first`; returns their game ids."""
    await conn.execute(_INSERT_SCHEDULE, first, from_day, to_day)
    return range(from_day * GAMES_PER_DAY + 1, to_day * GAMES_PER_DAY + 1)


async def add_odds(
    conn: asyncpg.Connection, games: range, observations: int, spacing_seconds: int = 30
) -> int:
    """`observations` x 60 odds rows for each game in `games`, `spacing_seconds` apart; returns
    how many rows."""
    if not games:
        return 0
    status = await conn.execute(
        _INSERT_ODDS, games.start, games.stop - 1, observations, spacing_seconds
    )
    return int(status.rpartition(" ")[2])


def first_pitch(first: datetime.date, game: int) -> datetime.datetime:
    """When a game of a schedule made by add_schedule(first, ...) starts (23:05 UTC)."""
    day = first + datetime.timedelta(days=(game - 1) // GAMES_PER_DAY)
    return datetime.datetime.combine(day, datetime.time(23, 5), datetime.UTC)


def odds_window(first: datetime.date, game: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From three days before a game's first pitch to one day after: every row add_odds gives a
    game of up to 8,640 observations (30 s apart, before first pitch)."""
    pitch = first_pitch(first, game)
    return pitch - datetime.timedelta(days=3), pitch + datetime.timedelta(days=1)


def observations_for(rows: int) -> int:
    """Observations per game that give at least `rows` rows."""
    return max(1, -(-rows // ROWS_PER_OBSERVATION))


async def analyze(conn: asyncpg.Connection) -> None:
    # VACUUM sets the visibility map, so index-only scans are possible as in a settled table.
    await conn.execute("VACUUM (ANALYZE) games, odds")


def odds_records(count: int, games: range, start: datetime.datetime) -> list[CopyOddsValues]:
    """`count` distinct odds rows as CopyOdds' value tuples, in arrival (time) order."""
    books = range(1, 11)
    keys = itertools.product(range(count), games, books, _MARKET_SIDES)
    records: list[CopyOddsValues] = []
    for step, game_id, book, (market, side, line) in keys:
        if len(records) == count:
            break
        price = -(105 + (step * 7 + book) % 60) if (step + book) % 2 else 100 + (step + book) % 60
        records.append(
            (
                game_id,
                book,
                market,
                side,
                line,
                price,
                start + datetime.timedelta(seconds=30 * step),
                False,
                False,
                decimal.Decimal(5000) if book % 2 == 0 else None,
                DataSource.SBR,
            )
        )
    return records
