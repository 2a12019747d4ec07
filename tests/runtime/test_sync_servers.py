"""Whole-server events for SyncDatabase: a restart under load, and streaming replicas serving
routed reads (skipped while they lag), as test_servers checks for Database."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
from tests.runtime.conftest import settings_for

from betdb import SyncDatabase
from betdb.embedded import EmbeddedPostgres

from .test_servers import ADD_BOOK, HAS_BOOK, IN_RECOVERY, own_server  # noqa: F401  (fixture)

GET_BOOK = "-- name: GetBook :one\nSELECT count(*) FROM sportsbooks WHERE key = $1"


def test_the_pool_keeps_serving_after_the_server_restarts(
    own_server: EmbeddedPostgres,  # noqa: F811
) -> None:
    settings = settings_for(own_server.dsn_for("betdb"), retry_attempts=8, retry_base_delay=0.05)
    before: list[int] = []
    after: list[int] = []
    restarted = threading.Event()
    with SyncDatabase(settings) as db:
        executor = db.executor()

        def restart() -> None:
            time.sleep(0.2)
            own_server.stop("immediate")
            own_server.start()
            restarted.set()

        thread = threading.Thread(target=restart)
        thread.start()
        i = 0
        deadline = time.monotonic() + 60  # bounded: a pool that never recovers fails here
        while time.monotonic() < deadline and not (
            restarted.is_set() and len(after) >= 10 and all(v > 0 for v in after[-10:])
        ):
            i += 1
            try:
                value = executor.fetchval("SELECT $1::int", i)
            except Exception:  # reads in the restart window may exhaust their retries
                value = -1
            (after if restarted.is_set() else before).append(value)
            time.sleep(0.02)
        thread.join()
        assert before[:5] == [1, 2, 3, 4, 5]
        assert after[-10:] == list(range(after[-10], after[-10] + 10))
        assert sum(1 for value in after if value < 0) <= 50  # about a second of failed reads
        health = db.health()
        assert health.reachable
        assert health.breaker == "closed"


def test_reads_go_to_a_replica_and_fall_back_to_the_primary_when_it_stops(
    own_server: EmbeddedPostgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    replica = own_server.create_replica(tmp_path / "replica")
    replica.start()
    try:
        settings = settings_for(
            own_server.dsn_for("betdb"),
            replica_dsns=[replica.dsn_for("betdb")],
            replica_check_interval=0.1,
        )
        with SyncDatabase(settings) as db:
            routed = db.executor(read_only=True)
            assert routed.fetchval(IN_RECOVERY) is True
            assert db.executor().fetchval(IN_RECOVERY) is False
            assert routed.execute(ADD_BOOK, "routed", "Routed") == "INSERT 0 1"  # the primary
            health = db.health()
            assert health.replicas[0].reachable
            assert health.replicas[0].serving_reads
            assert health.replicas[0].lag_seconds is not None

            replica.stop("immediate")
            time.sleep(0.15)
            assert routed.fetchval(IN_RECOVERY) is False
            health = db.health()
            assert not health.replicas[0].reachable
            assert not health.replicas[0].serving_reads
    finally:
        replica.stop("immediate")


def test_a_replica_lagging_beyond_the_bound_is_skipped_until_it_catches_up(
    own_server: EmbeddedPostgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    replica = own_server.create_replica(tmp_path / "lagging")
    replica.start()
    try:
        settings = settings_for(
            own_server.dsn_for("betdb"),
            replica_dsns=[replica.dsn_for("betdb")],
            replica_check_interval=0.1,
            replica_max_lag=0.5,
        )
        with (
            SyncDatabase(settings) as db,
            psycopg.connect(replica.dsn_for("betdb"), autocommit=True) as on_replica,
        ):
            routed = db.executor(read_only=True)
            assert routed.fetchval(IN_RECOVERY) is True
            db.executor().execute(ADD_BOOK, "punctual", "Punctual")
            # A replayed transaction dates the replica's position; then replay stops.
            has_book = HAS_BOOK.replace("$1", "%s")
            for _ in range(200):
                if on_replica.execute(has_book, ("punctual",)).fetchone() == (True,):
                    break
                time.sleep(0.05)
            on_replica.execute("SELECT pg_wal_replay_pause()")
            db.executor().execute(ADD_BOOK, "laggard", "Laggard")
            time.sleep(1.0)
            health = db.health()
            assert health.replicas[0].reachable
            assert health.replicas[0].lag_seconds is not None
            assert health.replicas[0].lag_seconds > 0.5
            assert not health.replicas[0].serving_reads
            assert routed.fetchval(IN_RECOVERY) is False
            assert routed.fetchval(GET_BOOK, "laggard") == 1

            on_replica.execute("SELECT pg_wal_replay_resume()")
            time.sleep(0.5)
            assert routed.fetchval(IN_RECOVERY) is True
            assert routed.fetchval(GET_BOOK, "laggard") == 1
    finally:
        replica.stop("immediate")
