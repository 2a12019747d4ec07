"""Cancelling the asyncio task of a running query (a plain statement, one inside a transaction,
a streaming cursor, a wait for a pooled connection) leaves no statement running on the server,
no transaction open, and a pool that is idle and serves the next call."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable

import asyncpg
import pytest
from tests.reliability.activity import (
    open_transactions,
    pool_is_idle,
    seconds_until_gone,
    wait_until_running,
)
from tests.reliability.conftest import settings_for

from betdb import Database, errors

GONE_WITHIN = 2.0


async def cancel_once_running(
    admin: asyncpg.Connection, marker: str, work: Awaitable[object]
) -> None:
    task = asyncio.ensure_future(work)
    await wait_until_running(admin, marker)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def assert_nothing_left_behind(db: Database, admin: asyncpg.Connection, marker: str) -> None:
    await seconds_until_gone(admin, marker, within=GONE_WITHIN)
    assert await open_transactions(admin) == 0
    assert pool_is_idle(db)
    assert await db.executor().fetchval("SELECT count(*) FROM teams") == 30
    assert db.breaker.state.value == "closed"


@pytest.fixture
async def small_db(database_url: str) -> AsyncIterator[Database]:
    async with Database(settings_for(database_url, pool_min_size=1, pool_max_size=1)) as db:
        yield db


async def test_cancelling_a_running_statement_stops_it_on_the_server(
    small_db: Database, admin: asyncpg.Connection
) -> None:
    work = small_db.executor().fetchval("-- name: CancelledRead :one\nSELECT pg_sleep(30)")
    await cancel_once_running(admin, "CancelledRead", work)
    await assert_nothing_left_behind(small_db, admin, "CancelledRead")


async def test_a_wait_for_shorter_than_the_statement_cancels_it_the_same_way(
    small_db: Database, admin: asyncpg.Connection
) -> None:
    work = small_db.repository().executor.fetchval("-- name: WaitedFor :one\nSELECT pg_sleep(30)")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(work, 0.3)
    await assert_nothing_left_behind(small_db, admin, "WaitedFor")


async def write_then_wait(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.executor.execute("INSERT INTO team_aliases VALUES ('CNCL', 147)")
        await tx.executor.fetchval("-- name: CancelledInTransaction :one\nSELECT pg_sleep(30)")


async def test_cancelling_a_task_inside_a_transaction_rolls_the_transaction_back(
    small_db: Database, admin: asyncpg.Connection
) -> None:
    await cancel_once_running(admin, "CancelledInTransaction", write_then_wait(small_db))
    await assert_nothing_left_behind(small_db, admin, "CancelledInTransaction")
    assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'CNCL'") == 0


async def stream_slowly(db: Database, seen: list[int]) -> None:
    async with db.transaction() as tx:
        cursor = tx.executor.cursor(
            "-- name: CancelledStream :many\n"
            "SELECT n FROM generate_series(1, 1000) AS n, pg_sleep(0.02) AS pause",
            prefetch=5,
        )
        async for row in cursor:
            seen.append(row["n"])


async def test_cancelling_a_task_during_a_streaming_cursor_closes_cursor_and_transaction(
    small_db: Database, admin: asyncpg.Connection
) -> None:
    seen: list[int] = []
    await cancel_once_running(admin, "CancelledStream", stream_slowly(small_db, seen))
    assert 0 <= len(seen) < 1000
    await assert_nothing_left_behind(small_db, admin, "CancelledStream")
    cursors = await admin.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND query LIKE '%CancelledStream%' AND pid <> pg_backend_pid()"
        " AND state <> 'idle'"
    )
    assert cursors == 0


async def test_cancelling_a_task_that_waits_for_a_pooled_connection_leaves_the_pool_whole(
    small_db: Database, admin: asyncpg.Connection
) -> None:
    holder = asyncio.ensure_future(
        small_db.executor().fetchval(
            "-- name: HoldsTheOnlyConnection :one\nSELECT pg_sleep(0.5)::text || 'done'"
        )
    )
    await wait_until_running(admin, "HoldsTheOnlyConnection")
    waiter = asyncio.ensure_future(small_db.executor().fetchval("SELECT 1"))
    await asyncio.sleep(0.05)
    assert not waiter.done()  # it waits for the pool's one connection
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert await holder == "done"  # the holder finished undisturbed
    await assert_nothing_left_behind(small_db, admin, "HoldsTheOnlyConnection")


async def test_a_cancelled_query_is_not_retried_nor_counted_as_a_failure_of_the_server(
    small_db: Database, admin: asyncpg.Connection
) -> None:
    for _ in range(small_db.settings.breaker_failure_threshold + 1):
        work = small_db.executor().fetchval("-- name: CancelledAgain :one\nSELECT pg_sleep(30)")
        await cancel_once_running(admin, "CancelledAgain", work)
    stats = small_db.metrics().queries["CancelledAgain"]
    assert stats.count == small_db.settings.breaker_failure_threshold + 1  # one run each, no retry
    await assert_nothing_left_behind(small_db, admin, "CancelledAgain")
    with pytest.raises(errors.QueryError):  # and the server still answers errors as errors
        await small_db.executor().fetchval("SELECT no_such_column FROM teams")
