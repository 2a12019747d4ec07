"""The fault proxy does what the soak relies on, and one fault it found, pinned down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import asyncpg
import pytest

from betdb import Database, errors

from .conftest import soak_settings
from .faultproxy import FaultProxy, fault_proxy

pytestmark = [pytest.mark.soak, pytest.mark.timeout(60)]


@pytest.fixture
async def proxy(soak_database_url: str) -> AsyncIterator[FaultProxy]:
    async with fault_proxy("127.0.0.1", urlsplit(soak_database_url).port or 5432) as proxy:
        yield proxy


async def test_a_delay_holds_each_way_of_a_round_trip(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    connection = await asyncpg.connect(proxy.dsn(soak_database_url))
    try:
        proxy.delay(0.2)
        started = time.perf_counter()
        assert await connection.fetchval("SELECT 7") == 7
        assert time.perf_counter() - started >= 0.4
        proxy.restore()
        started = time.perf_counter()
        assert await connection.fetchval("SELECT 8") == 8
        assert time.perf_counter() - started < 0.2
    finally:
        await connection.close()


async def test_a_drop_holds_a_query_until_the_network_is_restored(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    connection = await asyncpg.connect(proxy.dsn(soak_database_url))
    try:
        proxy.drop()
        query = asyncio.create_task(connection.fetchval("SELECT 9"))
        await asyncio.sleep(0.5)
        assert not query.done()
        held = asyncio.create_task(asyncpg.connect(proxy.dsn(soak_database_url)))
        await asyncio.sleep(0.2)
        assert not held.done(), "a new connection is held too"
        proxy.restore()
        assert await asyncio.wait_for(query, 5) == 9
        await (await asyncio.wait_for(held, 5)).close()
    finally:
        await connection.close()


async def test_a_reset_breaks_the_connection_on_both_sides(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    connection = await asyncpg.connect(proxy.dsn(soak_database_url))
    pid = connection.get_server_pid()
    assert proxy.reset() == 1
    with pytest.raises((asyncpg.PostgresConnectionError, ConnectionError)):
        await connection.fetchval("SELECT 1")
    observer = await asyncpg.connect(soak_database_url)
    try:
        for _ in range(100):
            gone = not await observer.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid
            )
            if gone:
                break
            await asyncio.sleep(0.05)
        assert gone, "the server noticed and ended the backend"
    finally:
        await observer.close()


async def test_a_connection_that_breaks_after_its_work_is_done_does_not_fail_the_work(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    # Found by the restart soak: releasing a dead connection raised asyncpg's own error from
    # the pool's reset, after the insert had committed.
    async with Database(soak_settings(proxy.dsn(soak_database_url))) as db:
        async with db.connection() as connection:
            await connection.execute(
                "INSERT INTO team_aliases (alias, team_id) VALUES ('RST', 147)"
            )
            proxy.reset()  # no await after it: the pool's reset query meets the dead socket
        assert (
            await db.executor().fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'RST'")
            == 1
        )


async def test_a_commit_that_times_out_in_a_partition_may_still_be_applied_and_says_so(
    proxy: FaultProxy, soak_database_url: str
) -> None:
    # Found by the network soak: every COMMIT that timed out while the network was cut had in
    # fact committed once it came back, yet the error said "timed out and was cancelled".
    # It is now a WriteTimeoutError: both a timeout and an unknown outcome.
    settings = soak_settings(proxy.dsn(soak_database_url), command_timeout=0.5)
    async with Database(settings) as db:

        async def insert_then_cut_before_commit() -> None:
            async with db.transaction() as tx:
                await tx.executor.execute(
                    "INSERT INTO team_aliases (alias, team_id) VALUES ('CUT', 147)"
                )
                proxy.drop()

        with pytest.raises(errors.OutcomeUnknownError) as raised:
            await insert_then_cut_before_commit()
        proxy.restore()
        assert isinstance(raised.value, errors.QueryTimeoutError)
        assert raised.value.query == "COMMIT"
        applied = "SELECT count(*) FROM team_aliases WHERE alias = 'CUT'"
        for _ in range(100):  # the held COMMIT reaches the server once the network is back
            if await db.executor().fetchval(applied) == 1:
                break
            await asyncio.sleep(0.05)
        assert await db.executor().fetchval(applied) == 1
