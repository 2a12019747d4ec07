"""SyncDatabase under faults: the same rules as Database (a read retried after its backend is
killed, a write not, a lost COMMIT of unknown outcome, serialization conflicts re-run, the
breaker, statement timeouts), with the work in threads and the faults made from the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import psycopg
import pytest
from tests.runtime.conftest import settings_for

from betdb import SyncDatabase, SyncUnifiedRepository, errors
from betdb._breaker import BreakerState
from betdb.embedded import scratch_server

T = TypeVar("T")
Admin = psycopg.Connection[tuple[object, ...]]

# An idle backend's query is its last statement, not a running one: through PgBouncer an idle
# server connection's last statement may be another client's COMMIT, which must not be "the" one.
TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
    " AND state <> 'idle' AND query LIKE $1 AND pid <> pg_backend_pid()"
)
RUNNING = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE $1"
)


def in_thread(work: Callable[[], T]) -> Future[T]:
    runner = ThreadPoolExecutor(max_workers=1)
    future = runner.submit(work)
    runner.shutdown(wait=False)
    return future


def terminate_when_running(admin: Admin, marker: str) -> int:
    """Kill the backend running a statement containing marker, once it shows up."""
    with admin.cursor() as cursor:
        for _ in range(300):
            cursor.execute(TERMINATE.replace("$1", "%s"), (f"%{marker}%",))
            killed = cursor.fetchall()
            if killed:
                return len(killed)
            time.sleep(0.01)
    raise AssertionError(f"no backend ran {marker}")


def running(admin: Admin, marker: str) -> int:
    row = admin.execute(RUNNING.replace("$1", "%s"), (f"%{marker}%",)).fetchone()
    assert row is not None
    return int(str(row[0]))


def count(admin: Admin, query: str) -> int:
    row = admin.execute(query).fetchone()
    assert row is not None
    return int(str(row[0]))


def terminate_committing(admin: Admin, pid: int) -> int:
    """Kill backend `pid` once it is running COMMIT (slowed by a deferred trigger)."""
    with admin.cursor() as cursor:
        for _ in range(300):
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE pid = %s AND state = 'active' AND query ILIKE '%%COMMIT%%'",
                (pid,),
            )
            if cursor.fetchall():
                return 1
            time.sleep(0.01)
    raise AssertionError(f"backend {pid} never ran COMMIT")


def test_a_read_whose_connection_is_killed_is_retried(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    read = in_thread(
        lambda: sync_db.executor().fetchval("-- name: SlowRead :one\nSELECT 42 FROM pg_sleep(0.5)")
    )
    terminate_when_running(sync_admin, "SlowRead")
    assert read.result(timeout=30) == 42
    stats = sync_db.metrics().queries["SlowRead"]
    assert stats.count == 2
    assert stats.errors == 1


def test_a_write_outside_a_transaction_is_not_retried_and_its_outcome_is_unknown(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    write = in_thread(
        lambda: sync_db.executor().execute(
            "-- name: SlowWrite :exec\n"
            "INSERT INTO team_aliases (alias, team_id) SELECT 'QQQ', 147 FROM pg_sleep(0.5)"
        )
    )
    terminate_when_running(sync_admin, "SlowWrite")
    with pytest.raises(errors.OutcomeUnknownError) as raised:
        write.result(timeout=30)
    assert isinstance(raised.value, errors.ConnectionLostError)
    assert raised.value.query == "SlowWrite"
    assert sync_db.metrics().queries["SlowWrite"].count == 1


def test_a_transaction_whose_connection_is_killed_commits_nothing(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    def two_inserts_killed_between() -> None:
        with sync_db.transaction() as tx:
            tx.executor.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('TXA', 147)")
            terminate_when_running(sync_admin, "TXA")
            tx.executor.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('TXB', 147)")

    with pytest.raises(errors.ConnectionLostError) as raised:
        two_inserts_killed_between()
    assert not isinstance(raised.value, errors.OutcomeUnknownError)
    assert count(sync_admin, "SELECT count(*) FROM team_aliases WHERE alias LIKE 'TX%'") == 0
    assert sync_db.executor().fetchval("SELECT count(*) FROM teams") == 30


def test_a_connection_lost_during_commit_is_outcome_unknown(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    # A deferred constraint trigger makes COMMIT itself slow enough to be interrupted.
    sync_admin.execute(
        """
        CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON team_aliases
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
        """
    )

    backend: Future[int] = Future()

    def write() -> None:
        with sync_db.transaction() as tx:
            backend.set_result(tx.executor.fetchval("SELECT pg_backend_pid()"))
            tx.executor.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('CMT', 147)")

    task = in_thread(write)
    # that transaction's own backend, once it runs COMMIT: never another session's
    assert terminate_committing(sync_admin, backend.result(timeout=30)) == 1
    with pytest.raises(errors.OutcomeUnknownError) as raised:
        task.result(timeout=30)
    assert raised.value.query == "COMMIT"
    # Killed in the deferred trigger, before the commit record: the unknown outcome was "no".
    assert count(sync_admin, "SELECT count(*) FROM team_aliases WHERE alias = 'CMT'") == 0


def test_conflicting_serializable_transactions_both_finish_through_retries(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    sync_admin.execute("CREATE TABLE ledger (id serial PRIMARY KEY, amount int NOT NULL)")
    attempts = {"a": 0, "b": 0}
    both_read = threading.Barrier(2, timeout=10)

    def add(label: str) -> None:
        def work(tx: SyncUnifiedRepository) -> None:
            attempts[label] += 1
            total = tx.executor.fetchval("SELECT coalesce(sum(amount), 0) FROM ledger")
            if attempts[label] == 1:
                both_read.wait()  # force the classic write-skew on the first try
            tx.executor.execute("INSERT INTO ledger (amount) VALUES ($1)", total + 1)

        sync_db.run_in_transaction(work, retries=5)

    both = [in_thread(lambda: add("a")), in_thread(lambda: add("b"))]
    for future in both:
        future.result(timeout=30)
    rows = sync_admin.execute("SELECT amount FROM ledger ORDER BY id").fetchall()
    assert [row[0] for row in rows] == [1, 2]
    assert attempts["a"] + attempts["b"] == 3


def test_a_statement_past_the_statement_timeout_is_cancelled_by_the_server(
    database_url: str, sync_admin: Admin
) -> None:
    with SyncDatabase(settings_for(database_url, statement_timeout=0.2)) as db:
        with pytest.raises(errors.QueryTimeoutError) as raised:
            db.executor().execute(
                "-- name: LongWrite :exec\n"
                "INSERT INTO team_aliases (alias, team_id) SELECT 'SLO', 147 FROM pg_sleep(2)"
            )
        assert raised.value.sqlstate == "57014"
        assert raised.value.query == "LongWrite"
        assert not isinstance(raised.value, errors.OutcomeUnknownError)
        assert db.executor().fetchval("SELECT count(*) FROM teams") == 30
    assert count(sync_admin, "SELECT count(*) FROM team_aliases WHERE alias = 'SLO'") == 0


def test_a_client_timeout_cancels_the_statement_on_the_server_and_keeps_the_connection(
    database_url: str, sync_admin: Admin
) -> None:
    # psycopg has no timeout of its own: betdb's watchdog thread sends the cancel request.
    with SyncDatabase(settings_for(database_url, pool_max_size=1)) as db:
        started = time.monotonic()
        with pytest.raises(errors.QueryTimeoutError) as raised:
            db.executor().execute(
                "-- name: TimedWrite :exec\n"
                "INSERT INTO team_aliases (alias, team_id) SELECT 'TMO', 147 FROM pg_sleep(30)",
                timeout=0.3,
            )
        assert time.monotonic() - started < 10
        assert raised.value.query == "TimedWrite"
        assert raised.value.sqlstate == "57014"  # cancelled by the server: it did not apply
        assert running(sync_admin, "TimedWrite") == 0
        assert db.executor().fetchval("SELECT count(*) FROM teams") == 30  # the same connection
        assert db.health().pool.size == 1
    assert count(sync_admin, "SELECT count(*) FROM team_aliases WHERE alias = 'TMO'") == 0


def test_breaker_opens_fails_fast_half_opens_and_closes() -> None:
    with scratch_server() as server:
        settings = settings_for(
            server.dsn,
            breaker_failure_threshold=3,
            breaker_reset_timeout=0.5,
            retry_attempts=0,
            acquire_timeout=2,
            pool_min_size=0,
            pool_max_size=1,
        )
        with SyncDatabase(settings) as db:
            executor = db.executor()
            assert executor.fetchval("SELECT 1") == 1
            server.stop("immediate")
            failures = []
            for _ in range(3):
                with pytest.raises((errors.DatabaseUnavailableError, errors.ConnectionLostError)):
                    executor.fetchval("SELECT 1")
                failures.append(db.breaker.consecutive_failures)
            assert failures == [1, 2, 3]
            assert db.breaker.state is BreakerState.OPEN

            started = time.perf_counter()
            with pytest.raises(errors.DatabaseUnavailableError, match="circuit breaker"):
                executor.fetchval("SELECT 1")
            assert time.perf_counter() - started < 0.05  # no connection attempt was made

            time.sleep(0.6)
            with pytest.raises(errors.DatabaseUnavailableError, match="cannot connect"):
                executor.fetchval("SELECT 1")  # the half-open probe fails: open again
            assert db.breaker.state is BreakerState.OPEN

            server.start()
            time.sleep(0.6)
            assert executor.fetchval("SELECT 1") == 1  # the probe succeeds
            assert db.breaker.state is BreakerState.CLOSED
            assert db.health().breaker == "closed"


def test_close_waits_for_an_in_flight_query_within_the_timeout(database_url: str) -> None:
    db = SyncDatabase.connect(settings_for(database_url))
    query = in_thread(lambda: db.executor().fetchval("SELECT 5 FROM pg_sleep(0.3)"))
    time.sleep(0.05)
    db.close(timeout=5)
    assert query.result(timeout=10) == 5


def test_close_stops_queries_that_outlive_the_timeout(database_url: str, sync_admin: Admin) -> None:
    db = SyncDatabase.connect(settings_for(database_url))
    query = in_thread(
        lambda: db.executor().fetchval("-- name: Outlives :one\nSELECT 5 FROM pg_sleep(10)")
    )
    deadline = time.monotonic() + 5
    while running(sync_admin, "Outlives") == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    started = time.perf_counter()
    db.close(timeout=0.2)
    assert time.perf_counter() - started < 3
    with pytest.raises(errors.BetdbError):
        query.result(timeout=10)
    assert running(sync_admin, "Outlives") == 0


def test_close_under_load_refuses_new_work_at_once_and_lets_in_flight_statements_finish(
    database_url: str, sync_admin: Admin, caplog: pytest.LogCaptureFixture
) -> None:
    workers = 6
    db = SyncDatabase.connect(settings_for(database_url, pool_max_size=workers + 1))
    before_close = db.repository()  # obtained before close, called after
    closing = threading.Event()
    served_late = [0] * workers
    refusals: list[BaseException] = []

    def busy(worker: int) -> None:
        executor = db.executor()
        while True:
            began_after_close = closing.is_set()
            try:
                executor.fetchval("SELECT 1")
            except Exception as error:
                refusals.append(error)
                return
            served_late[worker] += began_after_close

    threads = [threading.Thread(target=busy, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    long_query = in_thread(
        lambda: db.executor().fetchval("-- name: InFlight :one\nSELECT 5 FROM pg_sleep(0.5)")
    )
    deadline = time.monotonic() + 5
    while running(sync_admin, "InFlight") == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    caplog.set_level("WARNING", logger="betdb.database")
    closing.set()
    db.close(timeout=30)
    for thread in threads:
        thread.join(timeout=30)

    assert long_query.result(timeout=10) == 5  # in flight when close began: it finished
    # Refused at once: a worker may finish the one call it began as close() began, no more.
    assert all(late <= 1 for late in served_late), served_late
    assert len(refusals) == workers
    assert all(type(error) is errors.DatabaseUnavailableError for error in refusals), refusals
    # close() returned when the in-flight work was back, not at its timeout.
    assert "outlived the close timeout" not in caplog.text
    with pytest.raises(errors.DatabaseUnavailableError):
        before_close.sportsbooks.list_sportsbooks()
    with pytest.raises(errors.DatabaseUnavailableError), before_close.transaction():
        pass
