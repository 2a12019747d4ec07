"""6. Concurrency: 50 tasks of mixed reads and writes on a pool of 10 connections for a fixed
time; throughput and latency of betdb's Database and repository against SQLAlchemy's async ORM
with the same pool size. Per task: 60% one book's latest odds, 20% a game by id, 20% an odds
observation written (one row, its own transaction)."""

from __future__ import annotations

import asyncio
import datetime
import itertools
import random
import time
from collections.abc import Awaitable, Callable

from pydantic import SecretStr
from sqlalchemy import select

from bench import alchemy
from bench.fixtures import MainData
from bench.generated import call
from bench.measure import Spread, percentile
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.sizes import Sizes
from betdb import BetdbSettings, Database
from betdb.generated.models import DataSource, Market, Side
from betdb.generated.odds import IngestOddsValues

TASKS = 50
POOL = 10
WRITE_TIMES = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)

Operation = Callable[[random.Random], Awaitable[object]]


class _Workload:
    """The three operations, each a coroutine taking the task's random source."""

    def __init__(self, games: range) -> None:
        self.games = games
        self._written = itertools.count()

    def observation(self, rng: random.Random) -> IngestOddsValues:
        at = WRITE_TIMES + datetime.timedelta(microseconds=next(self._written))
        price = rng.choice((-120, -110, 105, 130))
        side = rng.choice((Side.HOME, Side.AWAY))
        game, book = rng.choice(self.games), rng.randint(1, 10)
        return (game, book, Market.MONEYLINE, side, None, price, at, False, False, None,
                DataSource.SBR)  # fmt: skip

    def pick(self, rng: random.Random, read_odds: Operation, read_game: Operation,
             write: Operation) -> Operation:  # fmt: skip
        draw = rng.random()
        return read_odds if draw < 0.6 else read_game if draw < 0.8 else write


async def _round(
    workload: _Workload, operations: tuple[Operation, Operation, Operation], seconds: float
) -> list[float]:
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []

    async def task(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            operation = workload.pick(rng, *operations)
            started = time.perf_counter()
            await operation(rng)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(task(seed) for seed in range(TASKS)))
    elapsed = time.perf_counter() - started
    latencies.append(elapsed)  # the last entry is the round's wall time
    return latencies


async def run(data: MainData, sizes: Sizes) -> BenchResult:
    workload = _Workload(data.plain_games)
    database = Database(
        BetdbSettings(dsn=SecretStr(data.dsn), pool_min_size=POOL, pool_max_size=POOL)
    )
    await database.open()
    repository = database.repository()
    engine = alchemy.engine(data.dsn, pool_size=POOL)
    sessions = alchemy.sessions(engine)

    latest_odds = {  # from the generated signature, window parameters included
        game: call(
            repository.odds,
            "get_latest_odds",
            {"game_id": game, "market": Market.MONEYLINE, "sportsbook_id": 3},
            data.odds_window(game),
        )[0]
        for game in workload.games
    }

    async def betdb_odds(rng: random.Random) -> object:
        return await latest_odds[rng.choice(workload.games)]()

    async def betdb_game(rng: random.Random) -> object:
        return await repository.games.get_game(game_id=rng.choice(workload.games))

    async def betdb_write(rng: random.Random) -> object:
        await repository.odds.ingest_odds([workload.observation(rng)])
        return None

    async def orm_odds(rng: random.Random) -> object:
        record = alchemy.OddsRecord
        statement = (
            select(record)
            .where(record.game_id == rng.choice(workload.games))
            .where(record.market == Market.MONEYLINE, record.sportsbook_id == 3)
            .distinct(record.sportsbook_id, record.side)
            .order_by(record.sportsbook_id, record.side, record.observed_at.desc(), record.line)
        )
        async with sessions() as session:
            return (await session.execute(statement)).scalars().all()

    async def orm_game(rng: random.Random) -> object:
        statement = select(alchemy.GameRecord).where(
            alchemy.GameRecord.game_id == rng.choice(workload.games)
        )
        async with sessions() as session:
            return (await session.execute(statement)).scalar_one()

    async def orm_write(rng: random.Random) -> object:
        names = [column.key for column in alchemy.OddsRecord.__table__.columns]
        async with sessions() as session:
            values = dict(zip(names, workload.observation(rng), strict=True))
            session.add(alchemy.OddsRecord(**values))
            await session.commit()
        return None

    contenders = {
        "betdb Database + repository": (betdb_odds, betdb_game, betdb_write),
        "SQLAlchemy async ORM": (orm_odds, orm_game, orm_write),
    }
    rounds: dict[str, list[list[float]]] = {name: [] for name in contenders}
    try:
        for operations in contenders.values():  # warm-up: pools filled, statements prepared
            await _round(workload, operations, min(1.0, sizes.concurrency_seconds))
        for _ in range(sizes.concurrency_rounds):
            for name, operations in contenders.items():
                rounds[name].append(await _round(workload, operations, sizes.concurrency_seconds))
    finally:
        await database.close()
        await engine.dispose()

    measurements = []
    throughputs = {
        name: [(len(r) - 1) / r[-1] for r in results] for name, results in rounds.items()
    }
    for name, results in rounds.items():
        throughput = Spread.of(throughputs[name])
        every = [latency for r in results for latency in r[:-1]]
        measurements.append(
            Measurement(
                name,
                throughput,
                "ops/s",
                higher_is_better=True,
                extra={
                    "p50_ms": percentile(every, 0.5) * 1e3,
                    "p99_ms": percentile(every, 0.99) * 1e3,
                    "operations": len(every),
                },
            )
        )
    ours, theirs = measurements
    return BenchResult(
        name="concurrency",
        title=(
            f"{TASKS} tasks, pool of {POOL}, {sizes.concurrency_seconds:g} s rounds:"
            " 60% latest odds, 20% game, 20% write"
        ),
        measurements=measurements,
        goals=[
            Goal.at_least(
                f"throughput: betdb / SQLAlchemy async ORM, {TASKS} tasks on a pool of {POOL}",
                ours.value.median / theirs.value.median,
                2.5,
                ratios(throughputs[ours.method], throughputs[theirs.method]),
            ),
            Goal.informational("p99 latency: betdb", ours.extra["p99_ms"], unit="ms"),
            Goal.informational("p99 latency: SQLAlchemy async ORM", theirs.extra["p99_ms"], "ms"),
            Goal.informational(
                "p99 latency: SQLAlchemy / betdb", theirs.extra["p99_ms"] / ours.extra["p99_ms"]
            ),
        ],
    )
