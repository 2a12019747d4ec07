"""Whole-server events: a restart under load, and streaming replicas serving routed reads."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from tests.runtime.conftest import settings_for

from betdb import Database
from betdb._observability import configure_logging, correlation_id, logger
from betdb.embedded import EmbeddedPostgres
from betdb.migrate import migrate_up

IN_RECOVERY = "-- name: InRecovery :one\nSELECT pg_is_in_recovery()"
ADD_BOOK = "-- name: AddBook :exec\nINSERT INTO sportsbooks (key, name) VALUES ($1, $2)"
HAS_BOOK = "SELECT count(*) = 1 FROM sportsbooks WHERE key = $1"


@pytest.fixture(scope="module")
def own_server() -> Iterator[EmbeddedPostgres]:
    """A server of this module's own, so restarting it disturbs no other test."""
    root = Path(tempfile.mkdtemp(prefix="betdb-own-pg-"))
    # Durable settings: the test crashes this server and expects committed data to survive.
    server = EmbeddedPostgres(root / "primary")
    try:
        server.start()
        migrate_up(server.dsn_for("betdb"))
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


async def test_pool_keeps_serving_after_the_server_restarts(own_server: EmbeddedPostgres) -> None:
    settings = settings_for(own_server.dsn_for("betdb"), retry_attempts=8, retry_base_delay=0.05)
    before: list[int] = []
    after: list[int] = []
    restarted = asyncio.Event()
    async with Database(settings) as db:
        executor = db.executor()

        async def reader() -> None:
            i = 0
            while after[-10:] != [value for value in after[-10:] if value > 0] or len(after) < 10:
                i += 1
                try:
                    value = await executor.fetchval("SELECT $1::int", i)
                except Exception:  # reads in the restart window may exhaust their retries
                    value = -1
                (after if restarted.is_set() else before).append(value)
                await asyncio.sleep(0.02)

        async def restart() -> None:
            await asyncio.sleep(0.2)
            await asyncio.to_thread(own_server.stop, "immediate")
            await asyncio.to_thread(own_server.start)
            restarted.set()

        # Once the server is back the pool serves again: a few reads may still meet the open
        # breaker (it half-opens after 0.5 s) or a connection the crash broke, then ten in a
        # row succeed. Bounded, so a pool that never recovers fails here instead of hanging.
        await asyncio.wait_for(asyncio.gather(reader(), restart()), timeout=60)
        assert before[:5] == [1, 2, 3, 4, 5]
        assert after[-10:] == list(range(after[-10], after[-10] + 10))
        assert sum(1 for value in after if value < 0) <= 50  # about a second of failed reads
        assert await executor.fetchval("SELECT 1") == 1
        health = await db.health()
        assert health.reachable
        assert health.breaker == "closed"


async def test_reads_go_to_a_replica_and_fall_back_to_the_primary_when_it_stops(
    own_server: EmbeddedPostgres, tmp_path: Path
) -> None:
    replica = own_server.create_replica(tmp_path / "replica")
    replica.start()
    try:
        settings = settings_for(
            own_server.dsn_for("betdb"),
            replica_dsns=[replica.dsn_for("betdb")],
            replica_check_interval=0.1,
        )
        async with Database(settings) as db:
            routed = db.executor(read_only=True)
            assert await routed.fetchval(IN_RECOVERY) is True
            assert await db.executor().fetchval(IN_RECOVERY) is False
            health = await db.health()
            assert health.replicas[0].reachable
            assert health.replicas[0].serving_reads
            assert health.replicas[0].lag_seconds is not None

            replica.stop("immediate")
            await asyncio.sleep(0.15)
            assert await routed.fetchval(IN_RECOVERY) is False
            health = await db.health()
            assert not health.replicas[0].reachable
    finally:
        replica.stop("immediate")


async def test_a_replica_lagging_beyond_the_bound_is_skipped_until_it_catches_up(
    own_server: EmbeddedPostgres, tmp_path: Path
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
        async with Database(settings) as db:
            # Per call: a read-only repository costs nothing to make, so one read can go to a
            # replica while the rest of the unit of work reads its own writes on the primary.
            assert await db.repository(read_only=True).executor.fetchval(IN_RECOVERY) is True
            on_replica = await asyncpg.connect(replica.dsn_for("betdb"))
            try:
                await db.executor().execute(ADD_BOOK, "punctual", "Punctual")
                # A replayed transaction dates the replica's position; then replay stops.
                for _ in range(200):
                    if await on_replica.fetchval(HAS_BOOK, "punctual"):
                        break
                    await asyncio.sleep(0.05)
                await on_replica.execute("SELECT pg_wal_replay_pause()")
                await db.executor().execute(ADD_BOOK, "laggard", "Laggard")
                await asyncio.sleep(1.0)
                health = await db.health()
                assert health.replicas[0].reachable
                assert health.replicas[0].lag_seconds is not None
                assert health.replicas[0].lag_seconds > 0.5
                assert not health.replicas[0].serving_reads
                routed = db.repository(read_only=True)
                assert await routed.executor.fetchval(IN_RECOVERY) is False
                assert await routed.sportsbooks.get_sportsbook_by_key(key="laggard") is not None

                await on_replica.execute("SELECT pg_wal_replay_resume()")
                await asyncio.sleep(0.5)
                assert await routed.executor.fetchval(IN_RECOVERY) is True
                assert await routed.sportsbooks.get_sportsbook_by_key(key="laggard") is not None
            finally:
                await on_replica.close()
    finally:
        replica.stop("immediate")


async def test_logs_are_structured_and_carry_query_timing_and_correlation_id(
    own_server: EmbeddedPostgres, capsys: pytest.CaptureFixture[str]
) -> None:
    password = "n0t-in-logs"
    handler = configure_logging(json_format=True, level=logging.DEBUG)
    try:
        async with Database(
            settings_for(own_server.dsn_for("betdb"), slow_query_threshold=0.05)
        ) as db:
            with correlation_id("req-7"):
                await db.executor().fetchval("-- name: Quick :one\nSELECT 1")
                await db.executor().fetchval("-- name: Slow :one\nSELECT 1 FROM pg_sleep(0.1)")
            logger.info("connecting to postgresql://app:%s@db/x", password)
        records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    finally:
        logger.removeHandler(handler)
    quick = next(r for r in records if r.get("query") == "Quick")
    assert quick["level"] == "DEBUG"
    assert quick["correlation_id"] == "req-7"
    assert quick["rows"] is None or quick["rows"] == 1
    slow = next(r for r in records if r.get("query") == "Slow")
    assert slow["level"] == "WARNING"
    assert slow["duration_ms"] >= 100
    assert all(password not in json.dumps(r) for r in records)
    snapshot = db.metrics()
    assert snapshot.queries["Slow"].count == 1
    assert snapshot.queries["Slow"].p50 >= 0.1
    assert snapshot.pool_acquisitions >= 2
