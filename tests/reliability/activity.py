"""What the server is doing for this test's database, seen from pg_stat_activity."""

from __future__ import annotations

import asyncio
import time

import asyncpg

from betdb import Database

RUNNING = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND state = 'active' AND query LIKE '%' || $1 || '%'
"""
IN_TRANSACTION = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND state LIKE 'idle in transaction%'
"""


async def wait_until_running(admin: asyncpg.Connection, marker: str, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while await admin.fetchval(RUNNING, marker) == 0:
        assert time.monotonic() < deadline, f"{marker} never started"
        await asyncio.sleep(0.01)


async def seconds_until_gone(admin: asyncpg.Connection, marker: str, within: float = 2.0) -> float:
    """How long the statement went on running on the server; fails past `within` seconds."""
    started = time.monotonic()
    while await admin.fetchval(RUNNING, marker) > 0:
        waited = time.monotonic() - started
        assert waited < within, f"{marker} still runs on the server after {waited:.2f}s"
        await asyncio.sleep(0.005)
    return time.monotonic() - started


async def open_transactions(admin: asyncpg.Connection) -> int:
    count: int = await admin.fetchval(IN_TRANSACTION)
    return count


def pool_is_idle(database: Database) -> bool:
    pool = database.pool
    return pool.get_idle_size() == pool.get_size()
