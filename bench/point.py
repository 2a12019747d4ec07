"""2. Point queries: latency of `get_game` (:one) and of one book's `get_latest_odds`, call by
call, against raw asyncpg and the SQLAlchemy ORM (a session per call, as a request handler has).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable

import asyncpg
from pydantic import SecretStr
from sqlalchemy import select

from bench import alchemy
from bench.fixtures import MainData
from bench.measure import Spread, percentile
from bench.results import BenchResult, Goal, Measurement
from bench.sizes import Sizes
from betdb import BetdbSettings, Database
from betdb.generated import init_connection
from betdb.generated.games import GET_GAME
from betdb.generated.games import Querier as GamesQuerier
from betdb.generated.models import Market
from betdb.generated.odds import GET_LATEST_ODDS
from betdb.generated.odds import Querier as OddsQuerier

Call = Callable[[int], Awaitable[object]]


async def _latencies(
    methods: dict[str, Call], games: range, calls: int, repeats: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Every call's seconds per method, and each repeat's median; blocks take turns."""
    per_block = max(1, calls // repeats)
    for call in methods.values():  # warm-up: statement caches, codecs, pools
        for i in range(min(200, per_block)):
            await call(games[i % len(games)])
    every: dict[str, list[float]] = {name: [] for name in methods}
    medians: dict[str, list[float]] = {name: [] for name in methods}
    clock = time.perf_counter
    for block in range(repeats):
        for name, call in methods.items():
            gc.collect()
            samples = []
            for i in range(per_block):
                game = games[(block * per_block + i) % len(games)]
                started = clock()
                await call(game)
                samples.append(clock() - started)
            every[name].extend(samples)
            medians[name].append(percentile(samples, 0.5))
    return every, medians


def _measure(name: str, every: list[float], medians: list[float]) -> Measurement:
    return Measurement(
        name,
        Spread.of(medians).scaled(1e6),
        "µs p50",
        higher_is_better=False,
        extra={"p99_us": percentile(every, 0.99) * 1e6, "calls": len(every)},
    )


async def run(data: MainData, sizes: Sizes) -> BenchResult:
    betdb_conn = await asyncpg.connect(data.dsn)
    await init_connection(betdb_conn)
    plain = await asyncpg.connect(data.dsn)
    plain_pool = await asyncpg.create_pool(data.dsn, min_size=1, max_size=1)
    database = Database(BetdbSettings(dsn=SecretStr(data.dsn), pool_min_size=1, pool_max_size=1))
    await database.open()
    engine = alchemy.engine(data.dsn)
    sessions = alchemy.sessions(engine)
    games = GamesQuerier(betdb_conn)
    odds = OddsQuerier(betdb_conn)
    pooled = database.repository()
    book = 3

    async def orm_game(game: int) -> object:
        async with sessions() as session:
            statement = select(alchemy.GameRecord).where(alchemy.GameRecord.game_id == game)
            return (await session.execute(statement)).scalar_one()

    async def orm_latest(game: int) -> object:
        record = alchemy.OddsRecord
        statement = (
            select(record)
            .where(record.game_id == game, record.market == Market.MONEYLINE)
            .where(record.sportsbook_id == book)
            .distinct(record.sportsbook_id, record.side)
            .order_by(record.sportsbook_id, record.side, record.observed_at.desc(), record.line)
        )
        async with sessions() as session:
            return (await session.execute(statement)).scalars().all()

    get_game: dict[str, Call] = {
        "betdb get_game": lambda game: games.get_game(game_id=game),
        "raw asyncpg fetchrow": lambda game: plain.fetchrow(GET_GAME, game),
        "raw fetchrow, betdb's codecs": lambda game: betdb_conn.fetchrow(GET_GAME, game),
        "betdb via Database (pool of 1)": lambda game: pooled.games.get_game(game_id=game),
        "raw asyncpg pool.fetchrow (pool of 1)": lambda game: plain_pool.fetchrow(GET_GAME, game),
        "SQLAlchemy ORM": orm_game,
    }
    latest: dict[str, Call] = {
        "betdb get_latest_odds": lambda game: odds.get_latest_odds(
            game_id=game, market=Market.MONEYLINE, sportsbook_id=book
        ),
        "raw asyncpg fetch": lambda game: plain.fetch(GET_LATEST_ODDS, game, "moneyline", book),
        "SQLAlchemy ORM": orm_latest,
    }
    try:
        one_every, one_medians = await _latencies(
            get_game, data.plain_games, sizes.point_calls, sizes.point_repeats
        )
        many_every, many_medians = await _latencies(
            latest, data.plain_games, max(1, sizes.point_calls // 4), sizes.point_repeats
        )
    finally:
        await betdb_conn.close()
        await plain.close()
        await plain_pool.close()
        await database.close()
        await engine.dispose()

    measurements = [
        _measure(f"get_game: {name}", one_every[name], one_medians[name]) for name in get_game
    ] + [
        _measure(f"get_latest_odds: {name}", many_every[name], many_medians[name])
        for name in latest
    ]

    result = BenchResult(
        name="point",
        title=f"point queries, {sizes.point_calls:,} get_game calls per method",
        measurements=measurements,
        goals=[],
    )

    def p50(method: str) -> float:
        return result.measured(method).value.median

    def p99(method: str) -> float:
        return float(result.measured(method).extra["p99_us"])

    ours, raw = "get_game: betdb get_game", "get_game: raw asyncpg fetchrow"
    result.goals = [
        Goal.at_most("get_game p50: betdb / raw fetchrow", p50(ours) / p50(raw), 1.05),
        Goal.informational("get_game p99: betdb / raw fetchrow", p99(ours) / p99(raw)),
        Goal.informational(
            "get_game p50: betdb Database / raw pool",
            p50("get_game: betdb via Database (pool of 1)")
            / p50("get_game: raw asyncpg pool.fetchrow (pool of 1)"),
        ),
        Goal.informational(
            "get_game p50: SQLAlchemy ORM / betdb", p50("get_game: SQLAlchemy ORM") / p50(ours)
        ),
        Goal.informational(
            "get_latest_odds p50: betdb / raw fetch",
            p50("get_latest_odds: betdb get_latest_odds")
            / p50("get_latest_odds: raw asyncpg fetch"),
        ),
    ]
    return result
