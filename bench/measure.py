"""Timing and summary statistics: every figure is a median with its spread."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """The median of repeated measurements, with their min, max and quartiles."""

    median: float
    low: float
    high: float
    q1: float
    q3: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no measurements to summarise")
        ordered = sorted(values)
        q1, q3 = (
            (ordered[0], ordered[-1])
            if len(ordered) < 4
            else tuple(statistics.quantiles(ordered, n=4)[i] for i in (0, 2))
        )
        return cls(statistics.median(ordered), ordered[0], ordered[-1], q1, q3, len(ordered))

    def scaled(self, factor: float) -> Spread:
        return Spread(
            self.median * factor,
            self.low * factor,
            self.high * factor,
            self.q1 * factor,
            self.q3 * factor,
            self.n,
        )

    def rate(self, amount: float) -> Spread:
        """Seconds per run turned into amount per second (min and max swap places)."""
        return Spread(
            amount / self.median,
            amount / self.high,
            amount / self.low,
            amount / self.q3,
            amount / self.q1,
            self.n,
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


async def timed(run: Callable[[], Awaitable[object]]) -> float:
    """Seconds one call takes, starting from a collected heap so earlier garbage is not billed."""
    return (await timed_with_cpu(run))[0]


async def timed_with_cpu(
    run: Callable[[], Awaitable[object]], *, young: bool = False
) -> tuple[float, float]:
    """`timed`, and the client CPU seconds (this process's) the call took. `young`: the time
    includes collecting the young generation once the call returns (see `interleaved`)."""
    gc.collect()
    started, started_cpu = time.perf_counter(), time.process_time()
    result = await run()
    if young:
        gc.collect(0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    del result
    return elapsed, cpu


async def interleaved(
    methods: Mapping[str, Callable[[], Awaitable[object]]],
    *,
    warmups: int,
    repeats: int,
    before: Callable[[], Awaitable[object]] | None = None,
    cpu: dict[str, list[float]] | None = None,
    young: bool = False,
) -> dict[str, list[float]]:
    """Seconds per run of each method; the methods take turns so drift hits all of them alike.
    `before` runs ahead of every run, untimed (to empty a table, say). `cpu`, if given, gets
    each run's client CPU seconds (this process's), per method.

    `young`, for calls that build many objects: each run's time includes the collection of
    the young generation after it. A call that pauses the collector while it builds its rows
    leaves them all there, and the next allocation, the caller's, pays for scanning them; a
    call that does not pause it paid along the way. Without this, pausing would look free.
    """
    times: dict[str, list[float]] = {name: [] for name in methods}
    for round_ in range(warmups + repeats):
        for name, run in methods.items():
            if before is not None:
                await before()
            seconds, client = await timed_with_cpu(run, young=young)
            if round_ >= warmups:
                times[name].append(seconds)
                if cpu is not None:
                    cpu.setdefault(name, []).append(client)
    return times


def timed_sync(run: Callable[[], object]) -> float:
    """`timed` for a blocking call (the sync flavour on psycopg)."""
    return timed_sync_with_cpu(run)[0]


def timed_sync_with_cpu(run: Callable[[], object], *, young: bool = False) -> tuple[float, float]:
    """`timed_with_cpu` for a blocking call."""
    gc.collect()
    started, started_cpu = time.perf_counter(), time.process_time()
    result = run()
    if young:
        gc.collect(0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    del result
    return elapsed, cpu


def interleaved_sync(
    methods: Mapping[str, Callable[[], object]],
    *,
    warmups: int,
    repeats: int,
    before: Callable[[], object] | None = None,
    cpu: dict[str, list[float]] | None = None,
    young: bool = False,
) -> dict[str, list[float]]:
    """`interleaved` for blocking calls: the methods take turns, `before` runs untimed."""
    times: dict[str, list[float]] = {name: [] for name in methods}
    for round_ in range(warmups + repeats):
        for name, run in methods.items():
            if before is not None:
                before()
            seconds, client = timed_sync_with_cpu(run, young=young)
            if round_ >= warmups:
                times[name].append(seconds)
                if cpu is not None:
                    cpu.setdefault(name, []).append(client)
    return times


def client_share(
    name: str, rows: int, times: dict[str, list[float]], cpu: dict[str, list[float]]
) -> tuple[float, float, list[float]]:
    """A COPY method's client CPU per row (µs), the client's share of its wall time, and each
    run's CPU per row; the rest of the wall time is the server's (and the wire's)."""
    per_row = [seconds / rows * 1e6 for seconds in cpu[name]]
    share = Spread.of(cpu[name]).median / Spread.of(times[name]).median
    return Spread.of(per_row).median, share, per_row
