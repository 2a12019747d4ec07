"""The pool's command timeout as the async executor keeps it (one deadline per checkout, for
the statement and then the connection's reset): a write past it is cancelled with its outcome
unknown, a call's own timeout replaces it, a reset past it discards the connection without
undoing the work, and a task cancelled during the reset leaves the pool whole."""

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

GONE_WITHIN = 2.0


async def backend_pid(database: Database) -> int:
    pid: int = await database.executor().fetchval("SELECT pg_backend_pid()")
    return pid


@pytest.fixture
def slow_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pooled connection's reset runs a statement that outlasts the command timeout."""
    monkeypatch.setattr(
        asyncpg.Connection, "get_reset_query", lambda self: "SELECT pg_sleep(1) -- SlowReset"
    )


async def test_a_write_past_the_command_timeout_is_cancelled_and_its_outcome_unknown(
    database_url: str, admin: asyncpg.Connection
) -> None:
    overrides = {"pool_max_size": 1, "command_timeout": 0.2, "breaker_failure_threshold": 1}
    async with Database(settings_for(database_url, **overrides)) as db:
        with pytest.raises(errors.WriteTimeoutError) as raised:
            await db.executor().execute(
                "-- name: SlowCommandWrite :exec\n"
                "INSERT INTO team_aliases (alias, team_id) SELECT 'SLOW', 147 FROM pg_sleep(30)"
            )
        assert raised.value.query == "SlowCommandWrite"
        await seconds_until_gone(admin, "SlowCommandWrite", within=GONE_WITHIN)
        assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'SLOW'") == 0
        assert await db.executor().fetchval("SELECT count(*) FROM teams") == 30
        assert (await db.health()).breaker == "closed"


async def test_a_timeout_of_the_call_s_own_replaces_the_command_timeout(
    database_url: str,
) -> None:
    async with Database(settings_for(database_url, command_timeout=0.1)) as db:
        value = await db.executor().fetchval("SELECT pg_sleep(0.3)::text || 'slept'", timeout=5)
        assert value == "slept"


async def test_a_reset_past_the_command_timeout_discards_the_connection_not_the_result(
    database_url: str, admin: asyncpg.Connection, slow_reset: None
) -> None:
    settings = settings_for(database_url, pool_max_size=1, command_timeout=0.2)
    async with Database(settings) as db:
        pid = await db.executor().fetchval("SELECT pg_backend_pid()")  # its reset timed out
        assert await db.executor().fetchval("SELECT 41 + 1") == 42
        assert await backend_pid(db) != pid  # the pool connected anew
        await seconds_until_gone(admin, "SlowReset", within=GONE_WITHIN)
        assert pool_is_idle(db)
        assert db.breaker.state.value == "closed"


async def test_cancelled_while_its_connection_is_reset_a_call_leaves_the_pool_whole(
    database_url: str, admin: asyncpg.Connection, slow_reset: None
) -> None:
    async with Database(settings_for(database_url, pool_max_size=1)) as db:
        work = asyncio.ensure_future(db.executor().fetchval("SELECT 7"))
        await wait_until_running(admin, "SlowReset")
        work.cancel()
        with pytest.raises(asyncio.CancelledError):
            await work
        await seconds_until_gone(admin, "SlowReset", within=GONE_WITHIN)
        assert pool_is_idle(db)
        assert await open_transactions(admin) == 0
        assert db.breaker.state.value == "closed"
