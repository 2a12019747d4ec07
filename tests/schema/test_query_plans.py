"""With a season's worth of odds loaded, no repository query scans odds or games sequentially.

Every SQL constant of the generated modules is planned twice: as the generic plan asyncpg's
prepared statements settle on, and as a custom plan for realistic arguments where the query
reads odds or games. Empty partitions (future months) are left out: scanning one reads no page.
The windowed reads of betdb.movement are read through both repositories (the same SQL).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import asyncpg
import psycopg

from betdb import SyncUnifiedRepository, UnifiedRepository
from betdb.generated import (
    analyses,
    games,
    init_connection,
    odds,
    signals,
    splits,
    sportsbooks,
    teams,
)
from betdb.generated.models import DataSource, Market
from betdb.movement import latest_odds, odds_window

from .conftest import assert_same

QUERY_MODULES: list[ModuleType] = [analyses, games, odds, signals, splits, sportsbooks, teams]

GAMES = 4200
BOOKS = 10
# 4,200 games over two seasons, 14 a day from April; each with 10 books x 3 markets x 2 sides
# x 4 observations in the hours before first pitch: 1,008,000 odds rows.
LOAD = f"""
INSERT INTO games (mlb_game_pk, official_date, home_team_id, away_team_id, game_number,
                   first_pitch_at, season, source, status)
SELECT 700000 + n, day.d, clubs.ids[1 + (n % 14) * 2 + (n / 14) % 2],
       clubs.ids[2 + (n % 14) * 2 - (n / 14) % 2], 1,
       day.d + time '19:05' AT TIME ZONE 'America/New_York',
       extract(year FROM day.d)::smallint, 'mlb',
       CASE WHEN n % 50 = 0 THEN 'live' ELSE 'final' END::game_status
FROM generate_series(0, {GAMES - 1}) AS n
CROSS JOIN (SELECT array_agg(team_id ORDER BY team_id) AS ids FROM teams) AS clubs
CROSS JOIN LATERAL (
    SELECT (CASE WHEN n < {GAMES // 2} THEN date '2026-04-01' ELSE date '2027-04-01' END
            + (n % {GAMES // 2}) / 14)::date AS d
) AS day;

INSERT INTO odds (game_id, sportsbook_id, market, side, line, price, observed_at, source)
SELECT g.game_id, b.sportsbook_id, ms.market, ms.side,
       CASE ms.market WHEN 'moneyline' THEN NULL
                      WHEN 'run_line' THEN CASE ms.side WHEN 'home' THEN -1.5 ELSE 1.5 END
                      ELSE 8.5 END,
       CASE WHEN ms.side IN ('home', 'over') THEN -110 - k ELSE 100 + k END,
       g.first_pitch_at - make_interval(hours => 4 * (4 - k)),
       'sbr'
FROM games AS g
CROSS JOIN (SELECT sportsbook_id FROM sportsbooks ORDER BY sportsbook_id LIMIT {BOOKS}) AS b
CROSS JOIN (VALUES ('moneyline'::market, 'home'::side), ('moneyline', 'away'),
                   ('run_line', 'home'), ('run_line', 'away'),
                   ('total', 'over'), ('total', 'under')) AS ms (market, side)
CROSS JOIN generate_series(0, 3) AS k;

ANALYZE;
"""

# Realistic arguments (SQL literals) for the queries that read odds or games.
GAME = "{game_id}"  # the game with gamePk 702345, filled in once loaded
CUSTOM_ARGS: dict[str, list[str]] = {
    "GetGame": [GAME],
    "UpdateGame": ["'final'", "NULL", "5", "3", "NULL", "NULL", "NULL", "NULL", GAME],
    "DeleteGame": [GAME],
    "ListGames": ["0", "50"],
    "ListGamesNewestFirst": ["100", "50"],
    "FindGamesByDateRange": ["'2026-06-01'", "'2026-06-07'", "'final'"],
    "FindGamesByTeam": ["'NYY'", "'2027-08-01'"],
    "FindGameByExternalId": ["'mlb'", "'702345'"],
    "GetTodaysGames": ["'America/Los_Angeles'"],
    "FindOddsByGame": [GAME, "'total'", "NULL"],
    "GetLatestOdds": [GAME, "'moneyline'", "NULL", "'2027-04-04'", "'2027-04-20'"],
    "GetGameLatestOdds": [GAME, "'2027-04-04'", "'2027-04-20'"],
    "GetLineMovement": [GAME, "'run_line'", "3", "'2027-04-04'", "'2027-04-20'"],
    "GetMarketMovement": [GAME, "'total'", "NULL", "'2027-04-04'", "'2027-04-20'"],
    "GetOpeningLines": [GAME, "'moneyline'"],
    "GetClosingLines": [GAME, "'moneyline'"],
    "GetConsensusOdds": [GAME, "'total'", "'2028-01-01'"],
    "ListAnalysesByGame": [GAME],
    "ListSignalsByGame": [GAME],
    "GetLatestBettingSplits": [GAME, "'moneyline'"],
}


def repository_queries() -> Iterator[tuple[str, str]]:
    for module in QUERY_MODULES:
        for value in vars(module).values():
            if isinstance(value, str) and value.startswith("-- name: "):
                yield value.split()[2], value


def parameter_count(sql: str) -> int:
    return max((int(n) for n in re.findall(r"\$(\d+)", sql)), default=0)


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


async def plan(
    connection: asyncpg.Connection, name: str, sql: str, args: list[str], mode: str
) -> dict[str, Any]:
    """The plan of a prepared statement, generic or custom; a generic plan shows what is left
    after the initial (executor startup) pruning of partitions."""
    statement = f"plan_{name.lower()}_{mode}"
    await connection.execute(f"SET plan_cache_mode = force_{mode}_plan")
    await connection.execute(f"PREPARE {statement} AS {sql}")
    explain = f"EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE {statement}"
    if args:
        explain += f"({', '.join(args)})"
    (document,) = json.loads(await connection.fetchval(explain))
    await connection.execute(f"DEALLOCATE {statement}")
    await connection.execute("RESET plan_cache_mode")
    plan_root: dict[str, Any] = document["Plan"]
    return plan_root


def relations(plan_root: dict[str, Any], node_type: str | None = None) -> list[str]:
    return [
        f"{node.get('Schema', '')}.{node['Relation Name']}"
        for node in nodes(plan_root)
        if "Relation Name" in node and node_type in (None, node["Node Type"])
    ]


async def sequential_scans(
    connection: asyncpg.Connection, name: str, sql: str, args: list[str], mode: str
) -> list[str]:
    return relations(await plan(connection, name, sql, args, mode), "Seq Scan")


async def test_no_repository_query_scans_odds_or_games_sequentially(
    db_connection: asyncpg.Connection,
) -> None:
    started = time.monotonic()
    await db_connection.execute(LOAD)
    loaded = time.monotonic() - started
    assert await db_connection.fetchval("SELECT count(*) FROM odds") == GAMES * BOOKS * 24
    big = set(
        await db_connection.fetchval(
            "SELECT array_agg(n.nspname || '.' || c.relname) FROM pg_class AS c"
            " JOIN pg_namespace AS n ON n.oid = c.relnamespace"
            " WHERE c.reltuples > 0 AND (c.oid = 'games'::regclass OR c.oid IN"
            " (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'odds'::regclass))"
        )
    )
    assert "public.games" in big
    assert "odds_partitions.odds_y2026m06" in big

    # The detector itself: a filter no index serves is reported.
    control = await sequential_scans(
        db_connection, "control", "SELECT * FROM odds WHERE price = $1", ["-111"], "custom"
    )
    assert "odds_partitions.odds_y2026m06" in control
    game_id = await db_connection.fetchval("SELECT game_id FROM games WHERE mlb_game_pk = 702345")
    offenders: dict[str, list[str]] = {}
    planned = 0
    for name, sql in repository_queries():
        plans = [("generic", ["NULL"] * parameter_count(sql))]
        if name in CUSTOM_ARGS:
            plans.append(("custom", [a.format(game_id=game_id) for a in CUSTOM_ARGS[name]]))
        for mode, args in plans:
            planned += 1
            scanned = await sequential_scans(db_connection, name, sql, args, mode)
            if big & set(scanned):
                offenders[f"{name} ({mode})"] = sorted(big & set(scanned))
    print(f"loaded 1,008,000 odds rows in {loaded:.1f} s; {planned} plans checked")
    assert offenders == {}
    assert planned >= 50
    assert set(CUSTOM_ARGS) <= {name for name, _ in repository_queries()}


def odds_partitions(plan_root: dict[str, Any]) -> list[str]:
    """The odds partitions a plan reads, each once."""
    return sorted({r for r in relations(plan_root) if r.startswith("odds_partitions.")})


WINDOWED_QUERIES: dict[str, tuple[str, str | None, str | None]] = {
    "GetLatestOdds": (odds.GET_LATEST_ODDS, "'moneyline'", "NULL"),
    "GetGameLatestOdds": (odds.GET_GAME_LATEST_ODDS, None, None),
    "GetLineMovement": (odds.GET_LINE_MOVEMENT, "'moneyline'", "{book}"),
    "GetMarketMovement": (odds.GET_MARKET_MOVEMENT, "'moneyline'", "NULL"),
}


async def test_the_games_window_prunes_odds_to_its_months_in_generic_and_custom_plans(
    db_connection: asyncpg.Connection, sync_connection: psycopg.Connection[Any]
) -> None:
    # Two games a day through June and July 2026, each with one book's moneyline in the hours
    # before first pitch; every 2026 partition exists, most of them empty.
    await db_connection.execute("""
        INSERT INTO games (mlb_game_pk, official_date, home_team_id, away_team_id, game_number,
                           first_pitch_at, season, source, status)
        SELECT 710000 + n, date '2026-06-01' + n / 2, clubs.ids[1 + n % 2], clubs.ids[3 + n % 2],
               1, date '2026-06-01' + n / 2 + time '23:05' + make_interval(hours => n % 2),
               2026, 'mlb', 'final'
        FROM generate_series(0, 121) AS n
        CROSS JOIN (SELECT array_agg(team_id ORDER BY team_id) AS ids FROM teams) AS clubs;
        INSERT INTO odds (game_id, sportsbook_id, market, side, line, price, observed_at, source)
        SELECT g.game_id, (SELECT min(sportsbook_id) FROM sportsbooks), 'moneyline', side.s,
               NULL, CASE side.s WHEN 'home' THEN -110 - k ELSE 100 + k END,
               g.first_pitch_at - make_interval(hours => k), 'sbr'
        FROM games AS g
        CROSS JOIN (VALUES ('home'::side), ('away'::side)) AS side (s)
        CROSS JOIN generate_series(1, 6) AS k;
        ANALYZE;
    """)
    book = await db_connection.fetchval("SELECT min(sportsbook_id) FROM sportsbooks")
    repository = UnifiedRepository(db_connection)
    sync_repository = SyncUnifiedRepository(sync_connection)
    await init_connection(db_connection)
    expected = {
        # first pitch 2026-06-16: the window 06-02 .. 06-18 lies inside June
        710030: ["odds_partitions.odds_y2026m06"],
        # first pitch 2026-07-03: the window 06-19 .. 07-05 crosses into July
        710064: ["odds_partitions.odds_y2026m06", "odds_partitions.odds_y2026m07"],
    }
    for game_pk, months in expected.items():
        found = await repository.games.find_game_by_external_id(
            source=DataSource.MLB, external_id=str(game_pk)
        )
        assert found is not None
        window = odds_window(found)
        bounds = [f"'{window.observed_from.isoformat()}'", f"'{window.observed_until.isoformat()}'"]
        for name, (sql, market, sportsbook) in WINDOWED_QUERIES.items():
            narrowed = [] if market is None else [market, str(sportsbook).format(book=book)]
            args = [str(found.game_id), *narrowed, *bounds]
            for mode in ("custom", "generic"):
                read = odds_partitions(await plan(db_connection, name, sql, args, mode))
                print(f"{name} ({mode}) of game {game_pk}: {read}")
                assert read == months, f"{name} ({mode}) of game {game_pk}"
        latest = await latest_odds(repository, found, Market.MONEYLINE)
        assert len(latest) == 2  # the window holds the game's prices
        assert_same(latest_odds(sync_repository, found, Market.MONEYLINE), latest)

    # Without the window (the whole table), the same query reads every month there is.
    everything = odds_partitions(
        await plan(
            db_connection,
            "everything",
            odds.GET_LATEST_ODDS,
            ["1", "'moneyline'", "NULL", "'-infinity'", "'infinity'"],
            "custom",
        )
    )
    assert len(everything) >= 24
