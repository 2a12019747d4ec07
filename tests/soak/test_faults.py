"""The soak under faults: a crash restart, killed backends, and a network cut, each during the
full load. Afterwards every acknowledged write is there, nothing is half-applied, nothing that
failed before COMMIT is there, and the pool serves again within RECOVERY_BOUND."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest

from betdb import Database
from betdb._observability import monotonic
from betdb.embedded import EmbeddedPostgres
from betdb.testing import PostgresServer

from .conftest import SOAK_SECONDS, SOAK_TIMEOUT, soak_settings
from .faultproxy import fault_proxy
from .workload import LoadRun, Verdict, read_back, report, start_load

pytestmark = [pytest.mark.soak, pytest.mark.timeout(SOAK_TIMEOUT)]

RECOVERY_BOUND = 30.0  # seconds from a fault's end until the pool answers again
Fault = Callable[[LoadRun], Coroutine[Any, Any, None]]
Report = Callable[[str, dict[str, Any]], Path]


def cycles(seconds: float) -> Iterator[tuple[float, float]]:
    """(offset, length) of each fault cycle: one per 20 s of load, at least one."""
    count = max(1, int(seconds // 20))
    length = seconds / count
    for i in range(count):
        yield i * length, length


async def at(run: LoadRun, offset: float) -> None:
    """Sleep until ``offset`` seconds into the run."""
    await asyncio.sleep(max(0.0, run.started + offset - monotonic()))


async def soak_with(
    fault: Fault, dsn: str, read_back_dsn: str, scenario: str, soak_report: Report, **settings: Any
) -> tuple[LoadRun, Verdict, list[str]]:
    async with Database(soak_settings(dsn, **settings)) as db:
        run = await start_load(db)
        await run.run(SOAK_SECONDS, fault)
        pool_size, pool_idle = db.pool.get_size(), db.pool.get_idle_size()
        verdict, busy_backends = await read_back(run, read_back_dsn)
    soak_report(scenario, report(run, verdict, pool_size=pool_size, pool_idle=pool_idle))
    assert pool_idle == pool_size, "every connection went back to the pool"
    return run, verdict, busy_backends


def assert_nothing_lost(run: LoadRun, verdict: Verdict, busy_backends: list[str]) -> None:
    assert run.unexpected == [], "only typed errors, and no operation hung"
    assert set(run.errors) <= {
        "ConnectionLostError",
        "OutcomeUnknownError",
        "DatabaseUnavailableError",
        "QueryTimeoutError",
        "WriteTimeoutError",
    }
    assert sum(run.errors.values()) > 0, "the fault reached the load"
    assert verdict.acknowledged_units_missing == []
    assert verdict.acknowledged_batches_missing == []
    assert verdict.failed_units_present == [], "a unit reported as not committed was committed"
    assert verdict.failed_batches_present == []
    assert verdict.partial_units == [], "no game has part of its prices"
    assert verdict.partial_batches == []
    assert run.recoveries, "the pool's recovery was measured"
    assert max(run.recoveries) < RECOVERY_BOUND
    assert run.write_recoveries, "writes were acknowledged again after the fault"
    assert busy_backends == [], "no backend left active or inside a transaction"


async def test_a_crash_restart_of_the_server_under_load_loses_no_acknowledged_write(
    durable_server: tuple[EmbeddedPostgres, PostgresServer],
    soak_database_url: str,
    soak_report: Report,
) -> None:
    server, _ = durable_server

    async def restart_immediately(run: LoadRun) -> None:
        for offset, length in cycles(SOAK_SECONDS):
            await at(run, offset + 0.3 * length)
            async with run.fault("restarts"):
                # pg_ctl stop -m immediate is a crash: no checkpoint, WAL replayed at start.
                await asyncio.to_thread(server.stop, "immediate")
                await asyncio.to_thread(server.start)

    run, verdict, busy = await soak_with(
        restart_immediately, soak_database_url, soak_database_url, "restart", soak_report
    )
    assert_nothing_lost(run, verdict, busy)


async def test_backends_terminated_under_load_lose_no_acknowledged_write(
    soak_database_url: str, soak_report: Report
) -> None:
    async def terminate_backends(run: LoadRun) -> None:
        killer = await asyncpg.connect(soak_database_url)
        try:
            for offset, length in cycles(SOAK_SECONDS):
                await at(run, offset + 0.2 * length)
                async with run.fault("kill_rounds"):
                    while monotonic() < run.started + offset + 0.6 * length:
                        killed = await killer.fetch(
                            """
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                            WHERE datname = current_database() AND application_name = 'betdb'
                            ORDER BY random() LIMIT 2
                            """
                        )
                        run.faults["backends_terminated"] += sum(1 for (ok,) in killed if ok)
                        await asyncio.sleep(0.25)
        finally:
            await killer.close()

    run, verdict, busy = await soak_with(
        terminate_backends, soak_database_url, soak_database_url, "terminate", soak_report
    )
    assert run.faults["backends_terminated"] > 0
    assert_nothing_lost(run, verdict, busy)


async def test_a_network_cut_delay_and_reset_under_load_lose_no_acknowledged_write(
    soak_database_url: str, soak_report: Report
) -> None:
    async with fault_proxy("127.0.0.1", urlsplit(soak_database_url).port or 5432) as proxy:

        async def cut_delay_reset(run: LoadRun) -> None:
            for offset, length in cycles(SOAK_SECONDS):
                await at(run, offset + 0.1 * length)
                async with run.fault("network_cuts"):
                    proxy.drop()  # a partition: statements in flight outlive command_timeout
                    await asyncio.sleep(max(2.0, 0.25 * length))
                    proxy.restore()
                    proxy.delay(0.02)
                    await asyncio.sleep(max(0.5, 0.15 * length))
                    proxy.drop()
                    run.faults["connections_reset"] += proxy.reset()
                    await asyncio.sleep(max(0.5, 0.1 * length))
                    proxy.restore()

        run, verdict, busy = await soak_with(
            cut_delay_reset,
            proxy.dsn(soak_database_url),
            soak_database_url,
            "network",
            soak_report,
            command_timeout=1.0,
        )
    assert run.faults["connections_reset"] > 0
    assert_nothing_lost(run, verdict, busy)
