"""5. Scale: the same three queries on the odds table at two sizes (1M and 10M rows; quick: 100k
and 1M). More rows means more history: a longer schedule of 15 games a day, each game with 420
odds rows, monthly partitions for the months the data covers. Each query asks for the same
game (in the oldest data) or the same window, so the answer has the same size at both sizes;
only the cost may differ, and it should not."""

from __future__ import annotations

import datetime
import time
from collections.abc import Awaitable, Callable

import asyncpg

from bench import dataset
from bench.explain import describe, explain
from bench.generated import call
from bench.measure import Spread, percentile
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.server import BenchServer
from bench.sizes import Sizes
from betdb.generated import init_connection
from betdb.generated.games import FIND_GAMES_BY_TEAM
from betdb.generated.games import Querier as GamesQuerier
from betdb.generated.models import Market
from betdb.generated.odds import GET_LATEST_ODDS, GET_LINE_MOVEMENT
from betdb.generated.odds import Querier as OddsQuerier

FIRST_DAY = datetime.date(2019, 3, 1)
OBSERVATIONS = 7  # 420 rows a game
ROWS_PER_DAY = dataset.GAMES_PER_DAY * OBSERVATIONS * dataset.ROWS_PER_OBSERVATION
TEAM = "NYY"
BOOK = 3


WINDOW_DAYS = 7  # find_games_by_team asks for the last week: 7 games at any size


def _days(rows: int) -> int:
    return max(WINDOW_DAYS + 1, -(-rows // ROWS_PER_DAY))


async def _grow(conn: asyncpg.Connection, from_day: int, to_day: int) -> int:
    await dataset.ensure_partitions(conn, FIRST_DAY, to_day)
    games = await dataset.add_schedule(conn, FIRST_DAY, from_day, to_day)
    added = await dataset.add_odds(conn, games, OBSERVATIONS)
    await dataset.analyze(conn)
    return added


async def _latency(
    run: Callable[[], Awaitable[object]], calls: int, repeats: int
) -> tuple[Spread, list[float]]:
    """The median latency (ms) over repeats, and each repeat's median."""
    for _ in range(min(calls, 10)):
        await run()
    medians = []
    for _ in range(repeats):
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            await run()
            samples.append(time.perf_counter() - started)
        medians.append(percentile(samples, 0.5) * 1e3)
    return Spread.of(medians), medians


Query = tuple[Callable[[], Awaitable[object]], str, tuple[object, ...]]
# PostgreSQL plans a prepared statement afresh for its first five runs, then may settle on a
# generic plan; each mode holds it to one kind, and the goal must hold under both.
PLAN_MODES = {"custom plan": "force_custom_plan", "generic plan": "force_generic_plan"}
QUERIES = ("get_line_movement", "get_latest_odds", "find_games_by_team")


def _queries(
    odds: OddsQuerier,
    games: GamesQuerier,
    game: int,
    since: datetime.datetime,
    since_day: datetime.date,
) -> dict[str, Query]:
    """Each query: a call of the generated method built from its signature (an observed_at
    window, where the query takes one, spans the game's first pitch), its SQL and arguments."""
    pitch = dataset.first_pitch(FIRST_DAY, game)
    window = (pitch - datetime.timedelta(days=3), pitch + datetime.timedelta(days=1))
    movement = {
        "game_id": game,
        "market": Market.MONEYLINE,
        "sportsbook_id": BOOK,
        "since": since,
    }
    latest = {"game_id": game, "market": Market.MONEYLINE, "sportsbook_id": None}
    team = {"team": TEAM, "since": since_day}
    built = {
        "get_line_movement": (call(odds, "get_line_movement", movement, window), GET_LINE_MOVEMENT),
        "get_latest_odds": (call(odds, "get_latest_odds", latest, window), GET_LATEST_ODDS),
        "find_games_by_team": (call(games, "find_games_by_team", team, window), FIND_GAMES_BY_TEAM),
    }
    return {name: (run, sql, args) for name, ((run, args), sql) in built.items()}


async def _measure_size(
    dsn: str, sizes: Sizes, label: str, table_rows: int, game: int, to_day: int
) -> list[Measurement]:
    game_day = FIRST_DAY + datetime.timedelta(days=(game - 1) // dataset.GAMES_PER_DAY)
    since = datetime.datetime.combine(game_day, datetime.time(), datetime.UTC)
    since_day = FIRST_DAY + datetime.timedelta(days=to_day - WINDOW_DAYS)
    measurements = []
    # Fresh connections per size, so nothing was planned while the table was smaller.
    for mode, setting in PLAN_MODES.items():
        conn = await asyncpg.connect(dsn, server_settings={"plan_cache_mode": setting})
        try:
            await init_connection(conn)
            partitions = await conn.fetchval(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'odds'::regclass"
            )
            queries = _queries(OddsQuerier(conn), GamesQuerier(conn), game, since, since_day)
            for name, (run, sql, args) in queries.items():
                latency, medians = await _latency(run, sizes.scale_calls, sizes.scale_repeats)
                plan = await explain(conn, sql, *args)
                plan["partitions"] = partitions
                plan["plan"] = f"{describe(plan)}; {partitions} partitions in all"
                measurements.append(
                    Measurement(
                        f"{name}, {mode} @ {table_rows:,} odds rows",
                        latency,
                        "ms",
                        higher_is_better=False,
                        extra={
                            "size": label,
                            "mode": mode,
                            "table_rows": table_rows,
                            "repeat_medians": medians,
                            **plan,
                        },
                    )
                )
        finally:
            await conn.close()
    return measurements


async def run(server: BenchServer, sizes: Sizes) -> BenchResult:
    dsn = await server.database("scale")
    loader = await asyncpg.connect(dsn)
    await dataset.bulk_session(loader)
    small_days = _days(sizes.scale_small)
    large_days = max(small_days + 1, _days(sizes.scale_large))
    game = (small_days // 2) * dataset.GAMES_PER_DAY + 1
    measurements: list[Measurement] = []
    table_rows = 0
    load_seconds: dict[str, float] = {}
    try:
        for label, from_day, to_day in (
            ("small", 0, small_days),
            ("large", small_days, large_days),
        ):
            started = time.perf_counter()
            table_rows += await _grow(loader, from_day, to_day)
            load_seconds[label] = time.perf_counter() - started
            measurements += await _measure_size(dsn, sizes, label, table_rows, game, to_day)
    finally:
        await loader.close()

    goals = []
    for name in QUERIES:
        for mode in PLAN_MODES:
            small, large = (m for m in measurements if m.method.startswith(f"{name}, {mode} @"))
            scanned = (
                f"partitions scanned {small.extra['partitions_scanned']} ->"
                f" {large.extra['partitions_scanned']}"
                f" (of {small.extra['partitions']} -> {large.extra['partitions']})"
            )
            goal = Goal.at_most(
                f"{name} latency {large.extra['table_rows']:,} / {small.extra['table_rows']:,}"
                f" rows, {mode}",
                large.value.median / small.value.median,
                1.2,
                ratios(large.extra["repeat_medians"], small.extra["repeat_medians"]),
            )
            goal.note = scanned
            goals.append(goal)
    return BenchResult(
        name="scale",
        title="scale: latency and plan at two table sizes",
        measurements=measurements,
        goals=goals,
        details={"load_seconds": load_seconds, "median_of": "per-repeat medians"},
    )
