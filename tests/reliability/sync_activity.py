"""What the server is doing for this test's database, seen from pg_stat_activity through a
psycopg connection (the counterpart of activity.py for the sync runtime's tests)."""

from __future__ import annotations

import time

import psycopg

Admin = psycopg.Connection[tuple[object, ...]]
RUNNING = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE %s"
)
IN_TRANSACTION = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
)


def count(admin: Admin, query: str, *args: object) -> int:
    row = admin.execute(query, args or None).fetchone()
    assert row is not None
    return int(str(row[0]))


def wait_until_running(admin: Admin, marker: str, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while count(admin, RUNNING, f"%{marker}%") == 0:
        assert time.monotonic() < deadline, f"{marker} never started"
        time.sleep(0.01)


def seconds_until_gone(admin: Admin, marker: str, within: float = 2.0) -> float:
    """How long the statement went on running on the server; fails past `within` seconds."""
    started = time.monotonic()
    while count(admin, RUNNING, f"%{marker}%") > 0:
        waited = time.monotonic() - started
        assert waited < within, f"{marker} still runs on the server after {waited:.2f}s"
        time.sleep(0.005)
    return time.monotonic() - started


def open_transactions(admin: Admin) -> int:
    return count(admin, IN_TRANSACTION)
