"""The soak's load scenario (50 tasks of mixed ingest and reads on a pool of 10) once through a
real PgBouncer in transaction mode, and once straight to the same server for comparison; the
figures go to build/soak/load-via-pgbouncer.json and load-via-direct.json."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from tests.soak.conftest import SOAK_SECONDS, SOAK_TIMEOUT, soak_settings
from tests.soak.workload import WORKERS, read_back, report, start_load

from betdb import Database

from .pgbouncer import MISSING, PGBOUNCER, PgBouncer

pytestmark = [
    pytest.mark.soak,
    pytest.mark.timeout(SOAK_TIMEOUT),
    pytest.mark.skipif(PGBOUNCER is None, reason=MISSING),
]


def write_figures(directory: Path, scenario: str, figures: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    finished = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    stamped = {"scenario": scenario, "finished_at": finished, **figures}
    (directory / f"{scenario}.json").write_text(json.dumps(stamped, indent=2) + "\n")


@pytest.mark.parametrize("via", ["pgbouncer", "direct"])
async def test_the_soak_load_through_pgbouncer_loses_nothing_and_leaves_no_session_busy(
    via: str, pgbouncer: PgBouncer, database_url: str, request: pytest.FixtureRequest
) -> None:
    if via == "pgbouncer":
        settings = soak_settings(pgbouncer.dsn_for(database_url), pgbouncer_pool_mode="transaction")
        assert settings.statement_cache_size == 0
    else:
        settings = soak_settings(database_url)
    async with Database(settings) as db:
        run = await start_load(db)
        await run.run(SOAK_SECONDS, fault=None)
        pool_size, pool_idle = db.pool.get_size(), db.pool.get_idle_size()
    verdict, busy_backends = await read_back(run, database_url)  # behind the pooler's back
    figures = report(run, verdict, pool_size=pool_size, pool_idle=pool_idle, via=via)
    write_figures(request.config.rootpath / "build" / "soak", f"load-via-{via}", figures)

    assert run.unexpected == []
    assert run.errors == {}
    assert all(run.latencies[kind] for kind in WORKERS), "every kind of work got done"
    assert pool_idle == pool_size
    assert busy_backends == []
    assert run.units.unknown == run.units.failed == set()
    assert verdict.units_counted == len(run.units.acknowledged) > 0
    assert verdict.batches_counted == len(run.batches.acknowledged) > 0
    assert verdict.partial_units == verdict.partial_batches == []
