"""test_faultproxy.py's two found faults, for SyncDatabase: work done before the connection
broke is not failed by it, and a COMMIT held in a network partition times out as a write of
unknown outcome, which it is (it commits once the network is back)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from betdb import SyncDatabase, errors

from .conftest import soak_settings
from .faultproxy import FaultProxy, fault_proxy

pytestmark = [pytest.mark.soak, pytest.mark.timeout(60)]
APPLIED = "SELECT count(*) FROM team_aliases WHERE alias = $1"


@pytest.fixture
async def proxy(soak_database_url: str) -> AsyncIterator[FaultProxy]:
    async with fault_proxy("127.0.0.1", urlsplit(soak_database_url).port or 5432) as proxy:
        yield proxy


async def test_a_connection_that_breaks_after_its_work_is_done_does_not_fail_the_work(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    loop = asyncio.get_running_loop()

    def insert_then_reset() -> int:
        with SyncDatabase(soak_settings(proxy.dsn(soak_database_url))) as db:
            with db.connection() as connection:
                connection.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('RST', 147)")
                asyncio.run_coroutine_threadsafe(_call(proxy.reset), loop).result(5)
            return int(db.executor().fetchval(APPLIED, "RST"))

    assert await asyncio.to_thread(insert_then_reset) == 1


async def test_a_commit_that_times_out_in_a_partition_may_still_be_applied_and_says_so(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    loop = asyncio.get_running_loop()
    settings = soak_settings(proxy.dsn(soak_database_url), command_timeout=0.5)

    def insert_then_cut_before_commit() -> tuple[errors.BetdbError, float, int]:
        with SyncDatabase(settings) as db:
            started = time.monotonic()
            try:
                with db.transaction() as tx:
                    tx.executor.execute(
                        "INSERT INTO team_aliases (alias, team_id) VALUES ('CUT', 147)"
                    )
                    asyncio.run_coroutine_threadsafe(_call(proxy.drop), loop).result(5)
            except errors.BetdbError as error:
                raised, waited = error, time.monotonic() - started
            else:
                raise AssertionError("a COMMIT held in a partition returned")
            asyncio.run_coroutine_threadsafe(_call(proxy.restore), loop).result(5)
            for _ in range(100):  # the held COMMIT reaches the server once the network is back
                if db.executor().fetchval(APPLIED, "CUT") == 1:
                    break
                time.sleep(0.05)
            return raised, waited, int(db.executor().fetchval(APPLIED, "CUT"))

    raised, waited, applied = await asyncio.to_thread(insert_then_cut_before_commit)
    assert isinstance(raised, errors.OutcomeUnknownError)
    assert isinstance(raised, errors.QueryTimeoutError)
    assert raised.query == "COMMIT"
    assert waited < 10, "the command timeout bounds a COMMIT too"
    assert applied == 1


async def _call(call: object) -> object:
    assert callable(call)
    return call()
