"""test_timeouts.py for SyncDatabase: a statement past its timeout is cancelled on the server,
raises QueryTimeoutError and leaves its connection usable, for a per-call `timeout=`, the
command timeout (both sent as a cancel request by betdb's watchdog thread: psycopg has no
timeout of its own) and the server's statement_timeout; a write so cancelled leaves nothing
(and, the server having said so, its outcome is known), and one inside a transaction takes
all of it back."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest
from tests.reliability.conftest import settings_for
from tests.reliability.sync_activity import (
    Admin,
    count,
    open_transactions,
    seconds_until_gone,
    wait_until_running,
)

from betdb import SyncDatabase, errors

GONE_WITHIN = 2.0  # seconds from the error to the statement's end on the server


@pytest.fixture
def admin_sync(database_url: str) -> Iterator[Admin]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


def backend_pid(db: SyncDatabase) -> int:
    return int(db.executor().fetchval("SELECT pg_backend_pid()"))


@pytest.mark.parametrize("path", ["per-call timeout", "command timeout", "statement_timeout"])
def test_a_read_past_its_timeout_is_cancelled_on_the_server_and_its_connection_reused(
    database_url: str, admin_sync: Admin, path: str
) -> None:
    overrides: dict[str, object] = {"pool_min_size": 1, "pool_max_size": 1}
    if path == "command timeout":
        overrides["command_timeout"] = 0.2
    if path == "statement_timeout":
        overrides["statement_timeout"] = 0.2
    timeout = 0.2 if path == "per-call timeout" else None
    with SyncDatabase(settings_for(database_url, **overrides)) as db:
        pid = backend_pid(db)
        with pytest.raises(errors.QueryTimeoutError) as raised:
            db.executor().fetchval("-- name: SlowRead :one\nSELECT pg_sleep(30)", timeout=timeout)
        assert raised.value.query == "SlowRead"
        assert raised.value.sqlstate == "57014"  # the server cancelled it, whoever asked
        assert seconds_until_gone(admin_sync, "SlowRead", within=GONE_WITHIN) < GONE_WITHIN
        assert db.health().pool.in_use == 0
        assert db.executor().fetchval("SELECT 41 + 1") == 42
        assert backend_pid(db) == pid  # a cancel keeps the connection: the same one serves
        assert open_transactions(admin_sync) == 0


@pytest.mark.parametrize("path", ["per-call timeout", "statement_timeout"])
def test_a_write_past_its_timeout_is_cancelled_and_leaves_nothing_behind(
    database_url: str, admin_sync: Admin, path: str
) -> None:
    # One connection failure would open the breaker: a timeout must not count as one.
    overrides: dict[str, object] = {"pool_max_size": 1, "breaker_failure_threshold": 1}
    if path == "statement_timeout":
        overrides["statement_timeout"] = 0.2
    timeout = 0.2 if path == "per-call timeout" else None
    with SyncDatabase(settings_for(database_url, **overrides)) as db:
        with pytest.raises(errors.QueryTimeoutError) as raised:
            db.executor().execute(
                "-- name: SlowInsert :exec\n"
                "INSERT INTO team_aliases (alias, team_id) SELECT 'SLOW', 147 FROM pg_sleep(30)",
                timeout=timeout,
            )
        # Unlike asyncpg's timeout, the watchdog's cancel request is answered: psycopg reads the
        # server's 57014, so the write is known not to have applied (a cancel after the end
        # would have changed nothing and the write would have returned).
        assert not isinstance(raised.value, errors.OutcomeUnknownError)
        assert raised.value.sqlstate == "57014"
        seconds_until_gone(admin_sync, "SlowInsert", within=GONE_WITHIN)
        assert count(admin_sync, "SELECT count(*) FROM team_aliases WHERE alias = 'SLOW'") == 0
        assert db.executor().fetchval("SELECT count(*) FROM teams") == 30
        assert db.health().breaker == "closed"


def write_then_wait_in_a_transaction(db: SyncDatabase, *, timeout: float) -> None:
    with db.transaction() as tx:
        tx.executor.execute("INSERT INTO team_aliases VALUES ('ERLY', 147)")
        tx.executor.fetchval(
            "-- name: SlowInTransaction :one\nSELECT pg_sleep(30)", timeout=timeout
        )


def test_a_timeout_inside_a_transaction_rolls_all_of_it_back(
    database_url: str, admin_sync: Admin
) -> None:
    with SyncDatabase(settings_for(database_url, pool_max_size=1)) as db:
        with pytest.raises(errors.QueryTimeoutError):
            write_then_wait_in_a_transaction(db, timeout=0.2)
        seconds_until_gone(admin_sync, "SlowInTransaction", within=GONE_WITHIN)
        assert count(admin_sync, "SELECT count(*) FROM team_aliases WHERE alias = 'ERLY'") == 0
        assert open_transactions(admin_sync) == 0
        assert db.health().pool.in_use == 0
        with db.transaction() as tx:  # the pool's one connection starts a new one
            assert tx.executor.fetchval("SELECT count(*) FROM teams") == 30


def test_a_timeout_does_not_cancel_another_statement_on_the_pool(
    database_url: str, admin_sync: Admin
) -> None:
    """The watchdog's cancel request names one backend: a neighbour's statement runs on."""
    with SyncDatabase(settings_for(database_url, pool_min_size=2, pool_max_size=2)) as db:
        answer: list[object] = []
        neighbour = threading.Thread(
            target=lambda: answer.append(
                db.executor().fetchval(
                    "-- name: Neighbour :one\nSELECT pg_sleep(0.6)::text || 'ok'"
                )
            )
        )
        neighbour.start()
        wait_until_running(admin_sync, "Neighbour")
        with pytest.raises(errors.QueryTimeoutError):
            db.executor().fetchval("-- name: Doomed :one\nSELECT pg_sleep(30)", timeout=0.1)
        neighbour.join(10)
        assert answer == ["ok"]
