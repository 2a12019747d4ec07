"""2. Point queries: latency of `get_game` (:one) and of one book's `get_latest_odds`, call by
call. Connections differ by several µs from one another, so betdb and raw asyncpg run on the
SAME connection, their calls interleaved one by one; the client CPU each call costs (process
time) is measured alongside. Through `Database` (pool, breaker, metrics, retries) is compared
with a raw asyncpg pool the same way, and the SQLAlchemy ORM (a session per call, as a request
handler has) is reported beside them.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable, Iterable

import asyncpg
from pydantic import SecretStr
from sqlalchemy import select

from bench import alchemy, parts
from bench.fixtures import MainData
from bench.generated import call
from bench.measure import Spread, percentile
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.sizes import Sizes
from betdb import BetdbSettings, Database
from betdb._command_timeout import CommandDeadlines
from betdb._observability import monotonic
from betdb.generated import init_connection
from betdb.generated.games import GET_GAME
from betdb.generated.games import Querier as GamesQuerier
from betdb.generated.models import Market
from betdb.generated.odds import GET_LATEST_ODDS
from betdb.generated.odds import Querier as OddsQuerier

Call = Callable[[int], Awaitable[object]]

BETDB = "get_game: betdb get_game"
RAW = "get_game: raw fetchrow, same connection"
DATABASE = "get_game: betdb via Database (pool of 1)"
RAW_POOL = "get_game: raw asyncpg pool.fetchrow (pool of 1, betdb's codecs)"
ORM = "get_game: SQLAlchemy ORM"
LATEST = "get_latest_odds: betdb get_latest_odds"
LATEST_RAW = "get_latest_odds: raw fetch, same connection"
LATEST_ORM = "get_latest_odds: SQLAlchemy ORM"


class Samples:
    """Per method: every call's wall seconds, each block's p50, each block's CPU per call."""

    def __init__(self, methods: Iterable[str]) -> None:
        methods = list(methods)
        self.every: dict[str, list[float]] = {name: [] for name in methods}
        self.block_p50: dict[str, list[float]] = {name: [] for name in methods}
        self.block_cpu: dict[str, list[float]] = {name: [] for name in methods}


async def _interleaved_calls(
    methods: dict[str, Call], games: range, calls: int, blocks: int
) -> Samples:
    """Each call of every method in turn (a, b, c, a, b, c, ...), in `blocks` blocks."""
    per_block = max(1, calls // blocks)
    for i in range(min(200, per_block)):  # warm-up: statement caches, codecs, pools
        for method in methods.values():
            await method(games[i % len(games)])
    samples = Samples(methods)
    wall, cpu = time.perf_counter, time.process_time
    for block in range(blocks):
        gc.collect()
        walls: dict[str, list[float]] = {name: [] for name in methods}
        cpus = dict.fromkeys(methods, 0.0)
        for i in range(per_block):
            game = games[(block * per_block + i) % len(games)]
            for name, method in methods.items():
                started, started_cpu = wall(), cpu()
                await method(game)
                cpus[name] += cpu() - started_cpu
                walls[name].append(wall() - started)
        for name in methods:
            samples.every[name].extend(walls[name])
            samples.block_p50[name].append(percentile(walls[name], 0.5))
            samples.block_cpu[name].append(cpus[name] / per_block)
    return samples


def _measure(name: str, samples: Samples) -> Measurement:
    return Measurement(
        name,
        Spread.of(samples.block_p50[name]).scaled(1e6),
        "µs p50",
        higher_is_better=False,
        extra={
            "p99_us": percentile(samples.every[name], 0.99) * 1e6,
            "cpu_us_per_call": Spread.of(samples.block_cpu[name]).median * 1e6,
            "calls": len(samples.every[name]),
        },
    )


async def _command_timeout_part(pool: asyncpg.Pool, seconds: float) -> Goal:
    """The async executor's command timeout as betdb keeps it, on one of the pool's
    connections: a checkout's deadline set, handed to the reset, ended."""
    deadlines = CommandDeadlines(seconds)
    connection = await pool.acquire()

    def checkout_part() -> None:
        checkout = deadlines.start(connection, monotonic())
        assert checkout is not None
        checkout.statement_done()
        checkout.released()

    try:
        figures = parts._cpu_per_call(checkout_part)
    finally:
        await pool.release(connection)
    return parts._measurement(
        "async part: command timeout",
        figures,
        "one deadline per checkout, the loop's one timer shared",
    )


async def run(data: MainData, sizes: Sizes) -> BenchResult:
    conn = await asyncpg.connect(data.dsn)
    await init_connection(conn)
    plain_pool = await asyncpg.create_pool(data.dsn, min_size=1, max_size=1, init=init_connection)
    database = Database(BetdbSettings(dsn=SecretStr(data.dsn), pool_min_size=1, pool_max_size=1))
    await database.open()
    engine = alchemy.engine(data.dsn)
    sessions = alchemy.sessions(engine)
    games = GamesQuerier(conn)
    odds = OddsQuerier(conn)
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

    same_connection: dict[str, Call] = {
        BETDB: lambda game: games.get_game(game_id=game),
        RAW: lambda game: conn.fetchrow(GET_GAME, game),
    }
    pools: dict[str, Call] = {
        DATABASE: lambda game: pooled.games.get_game(game_id=game),
        RAW_POOL: lambda game: plain_pool.fetchrow(GET_GAME, game),
    }
    # The ORM in turns with Database, not in the loop above: its garbage sets off collections
    # that land on whichever call runs then, most on the one that allocates more.
    orm_pair: dict[str, Call] = {ORM: orm_game, DATABASE: pools[DATABASE]}
    # Built from the generated signature, so a window parameter (observed_at) is filled too.
    latest_calls = {
        game: call(
            odds,
            "get_latest_odds",
            {"game_id": game, "market": Market.MONEYLINE, "sportsbook_id": book},
            data.odds_window(game),
        )
        for game in data.plain_games
    }

    async def latest_betdb(game: int) -> object:
        return await latest_calls[game][0]()

    async def latest_raw(game: int) -> object:
        return await conn.fetch(GET_LATEST_ODDS, *latest_calls[game][1])

    latest: dict[str, Call] = {
        LATEST: latest_betdb,
        LATEST_RAW: latest_raw,
        LATEST_ORM: orm_latest,
    }
    try:
        check = await games.get_game(game_id=data.plain_games[0])
        assert check is not None
        assert check.game_id == data.plain_games[0]
        games_range, calls, blocks = data.plain_games, sizes.point_calls, sizes.point_repeats
        one = await _interleaved_calls(same_connection, games_range, calls, blocks)
        pooled_samples = await _interleaved_calls(pools, games_range, calls, blocks)
        orm_samples = await _interleaved_calls(orm_pair, games_range, calls // 4, blocks)
        many = await _interleaved_calls(latest, games_range, max(1, calls // 4), blocks)
        runtime_parts = await parts.async_parts(database.runtime, database.pool)
        command_timeout = database.settings.command_timeout
        if command_timeout is not None:
            runtime_parts.append(await _command_timeout_part(database.pool, command_timeout))
    finally:
        await conn.close()
        await plain_pool.close()
        await database.close()
        await engine.dispose()

    measurements = [_measure(name, one) for name in same_connection]
    measurements += [_measure(name, pooled_samples) for name in pools]
    measurements.append(_measure(ORM, orm_samples))
    measurements += [_measure(name, many) for name in latest]
    result = BenchResult(
        name="point",
        title=f"point queries, {sizes.point_calls:,} get_game calls per method, interleaved",
        measurements=measurements,
        goals=[],
    )

    def p50(method: str) -> float:
        return result.measured(method).value.median

    def p99(method: str) -> float:
        return float(result.measured(method).extra["p99_us"])

    cpu_over = [
        (ours - raw) * 1e6
        for ours, raw in zip(one.block_cpu[BETDB], one.block_cpu[RAW], strict=True)
    ]
    result.goals = [
        Goal.at_most(
            "get_game p50: betdb / raw fetchrow (same connection, interleaved)",
            p50(BETDB) / p50(RAW),
            1.10,
            ratios(one.block_p50[BETDB], one.block_p50[RAW]),
        ),
        Goal.at_most(
            "get_game client CPU over raw fetchrow, per call",
            Spread.of(cpu_over).median,
            6,
            cpu_over,
            unit="µs",
        ),
        Goal.at_most(
            "get_game p50: Database (pool, breaker, metrics, retries) / raw pool fetchrow",
            p50(DATABASE) / p50(RAW_POOL),
            1.10,
            ratios(pooled_samples.block_p50[DATABASE], pooled_samples.block_p50[RAW_POOL]),
        ),
        Goal.informational("get_game p99: betdb / raw fetchrow", p99(BETDB) / p99(RAW)),
        Goal.informational(
            "get_game p50: SQLAlchemy ORM / betdb Database (in turns of their own)",
            Spread.of(orm_samples.block_p50[ORM]).median
            / Spread.of(orm_samples.block_p50[DATABASE]).median,
            spread=ratios(orm_samples.block_p50[ORM], orm_samples.block_p50[DATABASE]),
        ),
        Goal.informational(
            "get_latest_odds p50: betdb / raw fetch (same connection)",
            p50(LATEST) / p50(LATEST_RAW),
            spread=ratios(many.block_p50[LATEST], many.block_p50[LATEST_RAW]),
        ),
        *runtime_parts,
    ]
    return result
