"""A statement past its timeout is cancelled on the server, raises QueryTimeoutError, and leaves
its connection usable: for a per-call `timeout=`, for the pool's command timeout (both enforced
by the client, which sends a cancel request), and for the server's statement_timeout.

tests/runtime/test_errors.py covers a plain read under statement_timeout; these add the client
paths, writes, and a timeout inside a transaction.
"""

from __future__ import annotations

import asyncio

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

GONE_WITHIN = 2.0  # seconds from the error to the statement's end on the server


async def backend_pid(database: Database) -> int:
    pid: int = await database.executor().fetchval("SELECT pg_backend_pid()")
    return pid


@pytest.mark.parametrize("path", ["per-call timeout", "command timeout", "statement_timeout"])
async def test_a_read_past_its_timeout_is_cancelled_on_the_server_and_its_connection_reused(
    database_url: str, admin: asyncpg.Connection, path: str
) -> None:
    overrides: dict[str, object] = {"pool_min_size": 1, "pool_max_size": 1}
    if path == "command timeout":
        overrides["command_timeout"] = 0.2
    if path == "statement_timeout":
        overrides["statement_timeout"] = 0.2
    timeout = 0.2 if path == "per-call timeout" else None
    async with Database(settings_for(database_url, **overrides)) as db:
        pid = await backend_pid(db)
        with pytest.raises(errors.QueryTimeoutError) as raised:
            await db.executor().fetchval(
                "-- name: SlowRead :one\nSELECT pg_sleep(30)", timeout=timeout
            )
        assert raised.value.query == "SlowRead"
        assert await seconds_until_gone(admin, "SlowRead", within=GONE_WITHIN) < GONE_WITHIN
        assert pool_is_idle(db)
        assert await db.executor().fetchval("SELECT 41 + 1") == 42
        if path == "statement_timeout":
            assert await backend_pid(db) == pid  # the very same connection serves again
        assert await open_transactions(admin) == 0


@pytest.mark.parametrize("path", ["per-call timeout", "statement_timeout"])
async def test_a_write_past_its_timeout_is_cancelled_and_leaves_nothing_behind(
    database_url: str, admin: asyncpg.Connection, path: str
) -> None:
    # One connection failure would open the breaker: a timeout must not count as one.
    overrides: dict[str, object] = {"pool_max_size": 1, "breaker_failure_threshold": 1}
    if path == "statement_timeout":
        overrides["statement_timeout"] = 0.2
    timeout = 0.2 if path == "per-call timeout" else None
    async with Database(settings_for(database_url, **overrides)) as db:
        with pytest.raises(errors.QueryTimeoutError) as raised:
            await db.executor().execute(
                "-- name: SlowInsert :exec\n"
                "INSERT INTO team_aliases (alias, team_id) SELECT 'SLOW', 147 FROM pg_sleep(30)",
                timeout=timeout,
            )
        # A client-side timeout of a write cannot know whether the cancel beat the end; the
        # server's own statement_timeout can (the statement was cancelled there).
        client_side = path != "statement_timeout"
        assert isinstance(raised.value, errors.OutcomeUnknownError) is client_side
        await seconds_until_gone(admin, "SlowInsert", within=GONE_WITHIN)
        assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'SLOW'") == 0
        assert await db.executor().fetchval("SELECT count(*) FROM teams") == 30
        assert (await db.health()).breaker == "closed"


async def write_then_wait_in_a_transaction(db: Database, *, timeout: float) -> None:
    async with db.transaction() as tx:
        await tx.executor.execute("INSERT INTO team_aliases VALUES ('ERLY', 147)")
        await tx.executor.fetchval(
            "-- name: SlowInTransaction :one\nSELECT pg_sleep(30)", timeout=timeout
        )


async def test_a_timeout_inside_a_transaction_rolls_all_of_it_back(
    database_url: str, admin: asyncpg.Connection
) -> None:
    async with Database(settings_for(database_url, pool_max_size=1)) as db:
        with pytest.raises(errors.QueryTimeoutError):
            await write_then_wait_in_a_transaction(db, timeout=0.2)
        await seconds_until_gone(admin, "SlowInTransaction", within=GONE_WITHIN)
        assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'ERLY'") == 0
        assert await open_transactions(admin) == 0
        assert pool_is_idle(db)
        async with db.transaction() as tx:  # the pool's one connection starts a new one
            assert await tx.executor.fetchval("SELECT count(*) FROM teams") == 30


async def test_a_timeout_does_not_cancel_another_statement_on_the_pool(
    database_url: str, admin: asyncpg.Connection
) -> None:
    """The client's cancel request names one backend: a neighbour's statement runs on."""
    async with Database(settings_for(database_url, pool_min_size=2, pool_max_size=2)) as db:
        neighbour = asyncio.create_task(
            db.executor().fetchval("-- name: Neighbour :one\nSELECT pg_sleep(0.6)::text || 'ok'")
        )
        await wait_until_running(admin, "Neighbour")
        with pytest.raises(errors.QueryTimeoutError):
            await db.executor().fetchval("-- name: Doomed :one\nSELECT pg_sleep(30)", timeout=0.1)
        assert await neighbour == "ok"
