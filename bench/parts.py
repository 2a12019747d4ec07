"""What each part of the runtime path costs one statement on the happy path, in µs of client
CPU per call: each part alone, called as the executors call it, in a loop of its own (no I/O,
so the figure is the part's and not the network's), beside the pool's acquire and release
through betdb against the driver's own pool, measured in turns on the same pool.

Each is a row of the goals table (no goal of its own). A part the happy path does not run is
reported as 0 with the reason, not measured.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable

import asyncpg

from bench.measure import Spread
from bench.results import Goal
from betdb._connections import PooledConnections
from betdb._observability import current_correlation_id, monotonic
from betdb._runtime import PRIMARY, Runtime
from betdb._statements import is_read_only, query_name
from betdb._sync_connections import SyncPooledConnections, WatchedPool, ctrl_c_held
from betdb._watchdog import Watchdog, disarm
from betdb.generated.games import GET_GAME

LOOPS = 20_000
REPEATS = 5


def _cpu_per_call(
    part: Callable[[], object], loops: int = LOOPS, repeats: int = REPEATS
) -> list[float]:
    """µs of CPU per call of part, one figure per repeat."""
    figures = []
    for _ in range(repeats):
        gc.collect()
        started = time.process_time()
        for _ in range(loops):
            part()
        figures.append((time.process_time() - started) / loops * 1e6)
    return figures


def _measurement(name: str, figures: list[float], note: str) -> Goal:
    """A part's row of the goals table: no goal of its own, its figure and spread."""
    goal = Goal.informational(
        f"{name}, CPU per call", Spread.of(figures).median, unit="µs", spread=figures
    )
    goal.note = note
    return goal


def _shared_parts(runtime: Runtime, flavour: str) -> list[Goal]:
    breaker = runtime.breaker(PRIMARY)
    tracer = runtime.tracer

    def breaker_part() -> None:
        runtime.breaker(PRIMARY).before_call()
        breaker.record_success()

    def metrics_part() -> None:
        runtime.record_query("GetGame", 0.0002, rows=1, failed=False)
        runtime.record_pool_wait(0.00001)

    def read_retry_part() -> None:
        is_read_only(GET_GAME)  # the retry policy itself is built only after a failure

    def span_part() -> None:
        with tracer.span(query_name(GET_GAME)) as span:
            span.returned_rows(1)

    def clock_part() -> None:
        monotonic()
        monotonic()

    parts = [
        _measurement(f"{flavour} part: breaker", _cpu_per_call(breaker_part), "before + after"),
        _measurement(
            f"{flavour} part: metrics and query log",
            _cpu_per_call(metrics_part),
            "query latency, pool wait",
        ),
        _measurement(
            f"{flavour} part: read-retry wrapper",
            _cpu_per_call(read_retry_part),
            "is the statement a read",
        ),
        _measurement(
            f"{flavour} part: span",
            _cpu_per_call(span_part),
            "tracing on" if tracer.enabled else "tracing off",
        ),
        _measurement(f"{flavour} part: timing", _cpu_per_call(clock_part), "two clock reads"),
    ]
    if tracer.enabled:
        parts.append(
            _measurement(
                f"{flavour} part: correlation id",
                _cpu_per_call(current_correlation_id),
                "on the span",
            )
        )
    else:
        parts.append(
            _measurement(
                f"{flavour} part: correlation id",
                [0.0],
                "not run: read by the span and the log filter only",
            )
        )
    return parts


async def async_parts(runtime: Runtime, pool: asyncpg.Pool) -> list[Goal]:
    """The async executor's parts, and acquire + release through betdb against asyncpg's own
    on the same pool (both include the pool's reset round trip; their turns alternate)."""
    parts = _shared_parts(runtime, "async")
    connections = PooledConnections(runtime, pool)

    async def betdb() -> None:
        await connections.release(await connections.acquire())

    async def raw() -> None:
        await pool.release(await pool.acquire())

    timed: dict[str, Callable[[], Awaitable[None]]] = {"betdb": betdb, "raw": raw}
    figures: dict[str, list[float]] = {name: [] for name in timed}
    loops = LOOPS // 10
    for name in timed:
        for _ in range(50):
            await timed[name]()
    for _ in range(REPEATS):
        for name, part in timed.items():
            gc.collect()
            started = time.process_time()
            for _ in range(loops):
                await part()
            figures[name].append((time.process_time() - started) / loops * 1e6)
    over = [ours - theirs for ours, theirs in zip(figures["betdb"], figures["raw"], strict=True)]
    parts.append(
        _measurement(
            "async part: pool acquire + release, over asyncpg's own",
            over,
            f"asyncpg's own: {Spread.of(figures['raw']).median:.1f} µs with its reset",
        )
    )
    return parts


def sync_parts(runtime: Runtime, pool: WatchedPool) -> list[Goal]:
    """The sync executor's parts: the shared ones, the Ctrl-C hold, the statement timeout's
    watchdog, and lend + settle through betdb against psycopg_pool's getconn + putconn."""
    parts = _shared_parts(runtime, "sync")
    watchdog = Watchdog()
    connections = SyncPooledConnections(runtime, pool)

    def hold_part() -> None:
        with ctrl_c_held():
            pass

    def deadline_part() -> None:
        disarm(watchdog.arm(pool, 30.0))

    def betdb() -> None:
        connections.settle(connections.lend(), None)

    def raw() -> None:
        pool.putconn(pool.getconn())

    try:
        parts.append(
            _measurement(
                "sync part: Ctrl-C hold", _cpu_per_call(hold_part), "per hold; two per statement"
            )
        )
        parts.append(
            _measurement(
                "sync part: statement timeout (watchdog)",
                _cpu_per_call(deadline_part),
                "arm + disarm",
            )
        )
        figures: dict[str, list[float]] = {"betdb": [], "raw": []}
        for _ in range(REPEATS):
            for name, part in (("betdb", betdb), ("raw", raw)):
                figures[name] += _cpu_per_call(part, LOOPS // 4, repeats=1)
        over = [a - b for a, b in zip(figures["betdb"], figures["raw"], strict=True)]
        parts.append(
            _measurement(
                "sync part: pool lend + settle, over psycopg_pool's getconn + putconn",
                over,
                f"psycopg_pool's own: {Spread.of(figures['raw']).median:.1f} µs",
            )
        )
    finally:
        watchdog.stop()
    return parts
