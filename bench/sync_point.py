"""2s. Point query, sync flavour: `get_game` (:one) through the generated SyncQuerier against a
raw psycopg RawCursor `execute` + `fetchone`, on the SAME connection (set up by
configure_sync_connection), calls interleaved one by one, as the async point benchmark does.
Through `SyncDatabase` (pool, breaker, metrics, retries, statement-timeout watchdog) against a
raw psycopg_pool is measured beside it, and what each part of that path costs.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool
from pydantic import SecretStr

from bench import parts
from bench.fixtures import MainData
from bench.measure import Spread, percentile
from bench.point import Samples
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.sizes import Sizes
from bench.sync_read import connect
from betdb import BetdbSettings, SyncDatabase
from betdb._sync_executor import SyncConnectionExecutor
from betdb.generated.games import GET_GAME
from betdb.generated.games import SyncQuerier as GamesQuerier
from betdb.generated.sync_db import configure_sync_connection

Call = Callable[[int], object]

BETDB = "sync get_game: betdb SyncQuerier.get_game"
RAW = "sync get_game: raw RawCursor execute + fetchone, same connection"
DATABASE = "sync get_game: betdb via SyncDatabase (pool of 1)"
RAW_POOL = "sync get_game: raw psycopg_pool connection + fetchone (pool of 1, betdb's codecs)"


def _interleaved_calls(methods: dict[str, Call], games: range, calls: int, blocks: int) -> Samples:
    """Each call of every method in turn (a, b, a, b, ...), in `blocks` blocks."""
    per_block = max(1, calls // blocks)
    for i in range(min(200, per_block)):  # warm-up: prepared statements, adapters, pools
        for method in methods.values():
            method(games[i % len(games)])
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
                method(game)
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


def _fetchone(connection: psycopg.Connection[Any], game: int) -> object:
    with psycopg.RawCursor(connection) as cursor:
        cursor.execute(GET_GAME, (game,))
        return cursor.fetchone()


def run(data: MainData, sizes: Sizes) -> BenchResult:
    conn = connect(data.dsn, configured=True)
    games = GamesQuerier(SyncConnectionExecutor(conn))
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        data.dsn,
        min_size=1,
        max_size=1,
        kwargs={"autocommit": True},
        configure=configure_sync_connection,
        open=True,
    )
    database = SyncDatabase(
        BetdbSettings(dsn=SecretStr(data.dsn), pool_min_size=1, pool_max_size=1)
    )
    database.open()
    pooled = database.repository()

    def raw_pool(game: int) -> object:
        with pool.connection() as connection:
            return _fetchone(connection, game)

    same_connection: dict[str, Call] = {
        BETDB: lambda game: games.get_game(game_id=game),
        RAW: lambda game: _fetchone(conn, game),
    }
    pools: dict[str, Call] = {
        DATABASE: lambda game: pooled.games.get_game(game_id=game),
        RAW_POOL: raw_pool,
    }
    try:
        check = games.get_game(game_id=data.plain_games[0])
        assert check is not None
        assert check.game_id == data.plain_games[0]
        games_range, calls, blocks = data.plain_games, sizes.point_calls, sizes.point_repeats
        one = _interleaved_calls(same_connection, games_range, calls, blocks)
        pooled_samples = _interleaved_calls(pools, games_range, calls, blocks)
        runtime_parts = parts.sync_parts(database.runtime, database.pool)
    finally:
        conn.close()
        pool.close()
        database.close()

    measurements = [_measure(name, one) for name in same_connection]
    measurements += [_measure(name, pooled_samples) for name in pools]
    result = BenchResult(
        name="sync_point",
        title=f"sync point query, {sizes.point_calls:,} get_game calls per method, interleaved",
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
            "sync get_game p50: betdb SyncQuerier / raw psycopg (same connection, interleaved)",
            p50(BETDB) / p50(RAW),
            1.10,
            ratios(one.block_p50[BETDB], one.block_p50[RAW]),
        ),
        Goal.informational(
            "sync get_game client CPU over raw psycopg, per call",
            Spread.of(cpu_over).median,
            unit="µs",
            spread=cpu_over,
        ),
        Goal.informational("sync get_game p99: betdb / raw psycopg", p99(BETDB) / p99(RAW)),
        Goal.at_most(
            "sync get_game p50: SyncDatabase (pool, breaker, metrics, retries, watchdog)"
            " / raw psycopg_pool",
            p50(DATABASE) / p50(RAW_POOL),
            1.15,
            ratios(pooled_samples.block_p50[DATABASE], pooled_samples.block_p50[RAW_POOL]),
        ),
        *runtime_parts,
    ]
    return result
