"""The soak without faults: 50 tasks of mixed ingest and reads on a pool of 10."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from betdb import Database

from .conftest import SOAK_SECONDS, SOAK_TIMEOUT, soak_settings
from .workload import ODDS_PER_GAME, WORKERS, read_back, report, start_load

pytestmark = [pytest.mark.soak, pytest.mark.timeout(SOAK_TIMEOUT)]


async def test_fifty_tasks_of_ingest_and_reads_on_a_pool_of_ten_lose_nothing_and_leak_nothing(
    soak_database_url: str, soak_report: Callable[[str, dict[str, Any]], Path]
) -> None:
    async with Database(soak_settings(soak_database_url)) as db:
        run = await start_load(db)
        await run.run(SOAK_SECONDS, fault=None)
        pool_size, pool_idle = db.pool.get_size(), db.pool.get_idle_size()
        verdict, busy_backends = await read_back(run, soak_database_url)
    soak_report("load", report(run, verdict, pool_size=pool_size, pool_idle=pool_idle))

    assert run.unexpected == []
    assert run.errors == {}
    assert set(run.latencies) == set(WORKERS)
    assert all(run.latencies[kind] for kind in WORKERS), "every kind of work got done"
    assert pool_size <= 10
    assert pool_idle == pool_size, "every connection went back to the pool"
    assert busy_backends == [], "no backend left active or inside a transaction"

    assert run.units.unknown == run.units.failed == set()
    assert run.batches.unknown == run.batches.failed == set()
    assert verdict.units_counted == len(run.units.acknowledged) > 0
    assert verdict.batches_counted == len(run.batches.acknowledged) > 0
    assert verdict.partial_units == [], f"every game has exactly {ODDS_PER_GAME} prices"
    assert verdict.partial_batches == []
