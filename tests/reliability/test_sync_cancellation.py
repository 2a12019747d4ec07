"""Interrupting the thread that runs a sync query (Ctrl-C: KeyboardInterrupt, here sent to the
main thread as SIGINT) during a plain statement, one inside a transaction, a streaming cursor,
a wait for a pooled connection, or the pool taking a connection back; and a cancel sent from
another thread. Each leaves no statement running on the server, no transaction open, and a
pool that is idle and serves the next call."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from urllib.parse import urlsplit

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
from tests.soak.faultproxy import FaultProxy, fault_proxy

from betdb import SyncDatabase, errors

GONE_WITHIN = 2.0


def interrupt_when(ready: Callable[[], object], work: Callable[[], object]) -> None:
    """Run work in this (the main) thread and Ctrl-C it once ready() says so."""
    main = threading.main_thread()
    assert threading.current_thread() is main, "SIGINT reaches the main thread only"
    sent = threading.Event()

    def interrupter() -> None:
        ready()
        sent.set()
        signal.pthread_kill(main.ident or 0, signal.SIGINT)

    def work_then_wait_for_the_signal() -> None:
        work()
        time.sleep(10)  # the signal may land just after work returned: wait for it here

    thread = threading.Thread(target=interrupter)
    thread.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            work_then_wait_for_the_signal()
    finally:
        thread.join()
    assert sent.is_set()


def interrupt_once_running(database_url: str, marker: str, work: Callable[[], object]) -> None:
    """Run work in this (the main) thread and Ctrl-C it once the server runs marker."""

    def running() -> None:
        with psycopg.connect(database_url, autocommit=True) as watcher:
            wait_until_running(watcher, marker)

    interrupt_when(running, work)


def assert_nothing_left_behind(db: SyncDatabase, admin: Admin, marker: str) -> None:
    seconds_until_gone(admin, marker, within=GONE_WITHIN)
    assert open_transactions(admin) == 0
    health = db.health()
    assert health.pool.in_use == 0
    assert db.executor().fetchval("SELECT count(*) FROM teams") == 30
    assert db.breaker.state.value == "closed"


@pytest.fixture
def small_db(database_url: str) -> Iterator[SyncDatabase]:
    with SyncDatabase(settings_for(database_url, pool_min_size=1, pool_max_size=1)) as db:
        yield db


@pytest.fixture
def admin_sync(database_url: str) -> Iterator[Admin]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


def test_interrupting_a_running_statement_stops_it_on_the_server(
    small_db: SyncDatabase, admin_sync: Admin, database_url: str
) -> None:
    def work() -> None:
        small_db.executor().fetchval("-- name: InterruptedRead :one\nSELECT pg_sleep(30)")

    interrupt_once_running(database_url, "InterruptedRead", work)
    assert_nothing_left_behind(small_db, admin_sync, "InterruptedRead")
    assert small_db.metrics().queries["InterruptedRead"].errors == 1


def test_interrupting_a_transaction_rolls_it_back(
    small_db: SyncDatabase, admin_sync: Admin, database_url: str
) -> None:
    def write_then_wait() -> None:
        with small_db.transaction() as tx:
            tx.executor.execute("INSERT INTO team_aliases VALUES ('CNCL', 147)")
            tx.executor.fetchval("-- name: InterruptedInTransaction :one\nSELECT pg_sleep(30)")

    interrupt_once_running(database_url, "InterruptedInTransaction", write_then_wait)
    assert_nothing_left_behind(small_db, admin_sync, "InterruptedInTransaction")
    assert count(admin_sync, "SELECT count(*) FROM team_aliases WHERE alias = 'CNCL'") == 0


def test_interrupting_a_stream_closes_its_cursor_and_transaction(
    small_db: SyncDatabase, admin_sync: Admin, database_url: str
) -> None:
    seen: list[int] = []

    def stream_slowly() -> None:
        with small_db.transaction() as tx:
            rows = tx.executor.cursor(  # type: ignore[attr-defined]
                "-- name: InterruptedStream :many\n"
                "SELECT g, pg_sleep(0.01) FROM generate_series(1, 100) AS g",
                prefetch=10,
            )
            for row in rows:
                seen.append(row[0])

    def some_rows_seen() -> None:
        deadline = time.monotonic() + 10
        while len(seen) < 15 and time.monotonic() < deadline:
            time.sleep(0.005)

    interrupt_when(some_rows_seen, stream_slowly)
    assert_nothing_left_behind(small_db, admin_sync, "InterruptedStream")
    assert seen == list(range(1, len(seen) + 1))
    assert len(seen) < 100


def test_interrupting_a_wait_for_a_pooled_connection_leaves_the_holder_alone(
    small_db: SyncDatabase, admin_sync: Admin, database_url: str
) -> None:
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with small_db.transaction() as tx:
            tx.executor.fetchval("-- name: HeldConnection :one\nSELECT 1")
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)

        started = time.monotonic()
        # The only connection is held, so the read waits for it until interrupted.
        interrupt_when(lambda: time.sleep(0.3), lambda: small_db.executor().fetchval("SELECT 1"))
        assert time.monotonic() - started < 5
    finally:
        release.set()
        thread.join()
    assert_nothing_left_behind(small_db, admin_sync, "HeldConnection")


def test_a_cancel_sent_from_another_thread_stops_the_statement_and_keeps_the_connection(
    small_db: SyncDatabase, admin_sync: Admin
) -> None:
    with small_db.connection() as connection:

        def canceller() -> None:
            wait_until_running(admin_sync, "CancelledElsewhere")
            connection.cancel_safe()

        thread = threading.Thread(target=canceller)
        thread.start()
        with pytest.raises(psycopg.errors.QueryCanceled):
            connection.execute("-- name: CancelledElsewhere :one\nSELECT pg_sleep(30)")
        thread.join()
        assert connection.execute("SELECT 1").fetchone() == (1,)
    assert_nothing_left_behind(small_db, admin_sync, "CancelledElsewhere")


def test_a_timeout_cancels_through_the_watchdog_thread(
    small_db: SyncDatabase, admin_sync: Admin
) -> None:
    with pytest.raises(errors.QueryTimeoutError) as raised:
        small_db.executor().fetchval("-- name: TimedOutRead :one\nSELECT pg_sleep(30)", timeout=0.2)
    assert raised.value.query == "TimedOutRead"
    assert_nothing_left_behind(small_db, admin_sync, "TimedOutRead")
    assert small_db.metrics().queries["TimedOutRead"].count == 1  # a timeout is not retried


@contextlib.contextmanager
def proxy_beside(port: int) -> Iterator[tuple[FaultProxy, Callable[..., object]]]:
    """The soak's fault proxy on an event loop of its own thread (the main thread is the one
    Ctrl-C interrupts), and a way to call it there."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def on_loop(coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(10)

    async def call(method: Callable[..., object], *args: object) -> object:
        return method(*args)

    manager = fault_proxy("127.0.0.1", port)
    proxy: FaultProxy = on_loop(manager.__aenter__())
    try:
        yield proxy, lambda method, *args: on_loop(call(method, *args))
    finally:
        on_loop(manager.__aexit__(None, None, None))
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_interrupting_the_pool_while_it_takes_a_connection_back_leaves_the_pool_whole(
    database_url: str, admin_sync: Admin
) -> None:
    # Found by the interrupt soak: Ctrl-C during the pool's ROLLBACK of a returned connection
    # left that connection neither in the pool nor closed, and a pool of one served no more.
    with proxy_beside(urlsplit(database_url).port or 5432) as (proxy, call):
        settings = settings_for(
            proxy.dsn(database_url), pool_min_size=1, pool_max_size=1, acquire_timeout=3
        )
        with SyncDatabase(settings) as db:

            def leave_a_transaction_open() -> None:
                with db.connection() as connection:
                    connection.execute("BEGIN")
                    connection.execute("INSERT INTO team_aliases VALUES ('PUTB', 147)")
                    call(proxy.delay, 0.5)  # the pool's ROLLBACK takes a second from here

            interrupt_when(lambda: time.sleep(0.5), leave_a_transaction_open)
            call(proxy.restore)
            assert db.health().pool.in_use == 0
            assert db.executor().fetchval("SELECT count(*) FROM teams") == 30
    assert count(admin_sync, "SELECT count(*) FROM team_aliases WHERE alias = 'PUTB'") == 0
    assert open_transactions(admin_sync) == 0
