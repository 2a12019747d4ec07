"""5. Scale: the same three queries on the odds table at two sizes (1M and 10M rows; quick: 100k
and 1M), in two databases measured in turns. More rows means more history: a longer schedule of
15 games a day, each game with 7 observations from every book (25) of 6 market-sides, monthly
partitions for the months the data covers. Each query asks for the same game (in the oldest
data) or the same window, so the answer has the same size at both sizes; only the cost may
differ, and it should not."""

from __future__ import annotations

import datetime
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from bench import dataset
from bench.explain import describe, explain
from bench.generated import call
from bench.measure import Spread, percentile
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.server import BenchServer, with_database
from bench.sizes import Sizes
from betdb.generated import init_connection
from betdb.generated.games import FIND_GAMES_BY_TEAM
from betdb.generated.games import Querier as GamesQuerier
from betdb.generated.models import Market
from betdb.generated.odds import GET_LATEST_ODDS, GET_LINE_MOVEMENT
from betdb.generated.odds import Querier as OddsQuerier

FIRST_DAY = datetime.date(2019, 3, 1)
OBSERVATIONS = 7
MARKET_SIDES = 6
TEAM = "NYY"
BOOK = 3


WINDOW_DAYS = 7  # find_games_by_team asks for the last week: 7 games at any size


def _days(rows: int, books: int) -> int:
    """Days of schedule that give `rows` odds rows, every book pricing every game."""
    per_day = dataset.GAMES_PER_DAY * OBSERVATIONS * MARKET_SIDES * books
    return max(WINDOW_DAYS + 1, -(-rows // per_day))


async def _grow(conn: asyncpg.Connection, from_day: int, to_day: int) -> int:
    await dataset.ensure_partitions(conn, FIRST_DAY, to_day)
    games = await dataset.add_schedule(conn, FIRST_DAY, from_day, to_day)
    added = await dataset.add_odds(conn, games, OBSERVATIONS)
    await dataset.analyze(conn)
    return added


async def _latencies(
    runs: list[Callable[[], Awaitable[object]]], calls: int, repeats: int
) -> list[tuple[Spread, list[float]]]:
    """Per run: the median latency (ms) over repeats, and each repeat's median; within each
    repeat the runs take turns, a block of calls each."""
    for run in runs:
        for _ in range(min(calls, 10)):
            await run()
    medians: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for index, run in enumerate(runs):
            samples = []
            for _ in range(calls):
                started = time.perf_counter()
                await run()
                samples.append(time.perf_counter() - started)
            medians[index].append(percentile(samples, 0.5) * 1e3)
    return [(Spread.of(each), each) for each in medians]


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


@dataclass
class Target:
    """One database of the benchmark, grown to its size."""

    label: str
    dsn: str
    table_rows: int
    to_day: int


async def measure_sizes(targets: list[Target], sizes: Sizes, game: int) -> list[Measurement]:
    """Each query under each plan mode at every size, the sizes in turns within each repeat
    (a machine whose load drifts shifts them alike, not one size against the other)."""
    game_day = FIRST_DAY + datetime.timedelta(days=(game - 1) // dataset.GAMES_PER_DAY)
    since = datetime.datetime.combine(game_day, datetime.time(), datetime.UTC)
    measurements = []
    for mode, setting in PLAN_MODES.items():
        # Fresh connections per mode, so nothing was planned while a table was smaller.
        conns = [
            await asyncpg.connect(t.dsn, server_settings={"plan_cache_mode": setting})
            for t in targets
        ]
        try:
            built = []
            for target, conn in zip(targets, conns, strict=True):
                await init_connection(conn)
                since_day = FIRST_DAY + datetime.timedelta(days=target.to_day - WINDOW_DAYS)
                built.append(
                    _queries(OddsQuerier(conn), GamesQuerier(conn), game, since, since_day)
                )
            for name in QUERIES:
                runs = [queries[name][0] for queries in built]
                latencies = await _latencies(runs, sizes.scale_calls, sizes.scale_repeats)
                for target, conn, queries, (latency, medians) in zip(
                    targets, conns, built, latencies, strict=True
                ):
                    _, sql, args = queries[name]
                    partitions = await conn.fetchval(
                        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'odds'::regclass"
                    )
                    # the plan of a prepared statement, which the mode decides
                    plan = await explain(conn, sql, *args, prepared=True)
                    plan["partitions"] = partitions
                    plan["plan"] = f"{describe(plan)}; {partitions} partitions in all"
                    measurements.append(
                        Measurement(
                            f"{name}, {mode} @ {target.table_rows:,} odds rows",
                            latency,
                            "ms",
                            higher_is_better=False,
                            extra={
                                "size": target.label,
                                "mode": mode,
                                "table_rows": target.table_rows,
                                "repeat_medians": medians,
                                **plan,
                            },
                        )
                    )
        finally:
            for conn in conns:
                await conn.close()
    return measurements


async def run(server: BenchServer, sizes: Sizes) -> BenchResult:
    template = await asyncpg.connect(with_database(server.dsn, server.template))
    try:
        books = int(await template.fetchval("SELECT count(*) FROM sportsbooks"))
    finally:
        await template.close()
    small_days = _days(sizes.scale_small, books)
    large_days = max(small_days + 1, _days(sizes.scale_large, books))
    game = (small_days // 2) * dataset.GAMES_PER_DAY + 1
    # Two databases, one per size, so that the sizes are measured in turns.
    targets: list[Target] = []
    load_seconds: dict[str, float] = {}
    for label, days in (("small", small_days), ("large", large_days)):
        dsn = await server.database(f"scale_{label}")
        loader = await asyncpg.connect(dsn)
        try:
            await dataset.bulk_session(loader)
            started = time.perf_counter()
            table_rows = await _grow(loader, 0, days)
            load_seconds[label] = time.perf_counter() - started
        finally:
            await loader.close()
        targets.append(Target(label, dsn, table_rows, days))
    measurements = await measure_sizes(targets, sizes, game)

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
        details={
            "load_seconds": load_seconds,
            "median_of": "per-repeat medians, the two sizes in turns within each repeat",
        },
    )
