"""Connection loss, outcome-unknown writes, retries, serialization conflicts and the breaker."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import pytest
from tests.runtime.conftest import settings_for

from betdb import Database, errors
from betdb._breaker import BreakerState
from betdb.embedded import free_port

# An idle backend's query is its last statement, not a running one: through PgBouncer an idle
# server connection's last statement may be another client's COMMIT, which must not be "the" one.
TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
    " AND state <> 'idle' AND query LIKE $1 AND pid <> pg_backend_pid()"
)


async def _terminate_when_running(admin: asyncpg.Connection, marker: str) -> int:
    """Kill the backend running a statement containing marker, once it shows up."""
    for _ in range(200):
        killed = await admin.fetch(TERMINATE, f"%{marker}%")
        if killed:
            return len(killed)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no backend ran {marker}")


async def test_a_read_whose_connection_is_killed_is_retried(
    db: Database, admin: asyncpg.Connection
) -> None:
    read = asyncio.create_task(
        db.executor().fetchval("-- name: SlowRead :one\nSELECT 42 FROM pg_sleep(0.5)")
    )
    await _terminate_when_running(admin, "SlowRead")
    assert await read == 42
    stats = db.metrics().queries["SlowRead"]
    assert stats.count == 2
    assert stats.errors == 1


async def test_a_write_outside_a_transaction_is_not_retried_and_its_outcome_is_unknown(
    db: Database, admin: asyncpg.Connection
) -> None:
    write = asyncio.create_task(
        db.executor().execute(
            "-- name: SlowWrite :exec\n"
            "INSERT INTO team_aliases (alias, team_id) SELECT 'QQQ', 147 FROM pg_sleep(0.5)"
        )
    )
    await _terminate_when_running(admin, "SlowWrite")
    with pytest.raises(errors.OutcomeUnknownError) as raised:
        await write
    assert isinstance(raised.value, errors.ConnectionLostError)
    assert raised.value.query == "SlowWrite"
    assert db.metrics().queries["SlowWrite"].count == 1


async def test_a_transaction_whose_connection_is_killed_commits_nothing(
    db: Database, admin: asyncpg.Connection
) -> None:
    async def two_inserts_killed_between() -> None:
        async with db.executor().transaction() as tx:
            await tx.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('TXA', 147)")
            await admin.fetch(TERMINATE, "%TXA%")
            await tx.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('TXB', 147)")

    with pytest.raises(errors.ConnectionLostError) as raised:
        await two_inserts_killed_between()
    assert not isinstance(raised.value, errors.OutcomeUnknownError)
    assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias LIKE 'TX%'") == 0
    assert await db.executor().fetchval("SELECT count(*) FROM teams") == 30


async def test_a_connection_lost_during_commit_is_outcome_unknown(
    db: Database, admin: asyncpg.Connection
) -> None:
    # A deferred constraint trigger makes COMMIT itself slow enough to be interrupted.
    await admin.execute(
        """
        CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON team_aliases
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();
        """
    )

    async def write() -> None:
        async with db.executor().transaction() as tx:
            await tx.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('CMT', 147)")

    task = asyncio.create_task(write())
    assert await _terminate_when_running(admin, "COMMIT") == 1
    with pytest.raises(errors.OutcomeUnknownError) as raised:
        await task
    assert raised.value.query == "COMMIT"
    # Killed in the deferred trigger, before the commit record: the unknown outcome was "no".
    assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'CMT'") == 0


async def test_conflicting_serializable_transactions_both_finish_through_retries(
    db: Database, admin: asyncpg.Connection
) -> None:
    await admin.execute("CREATE TABLE ledger (id serial PRIMARY KEY, amount int NOT NULL)")
    attempts = {"a": 0, "b": 0}
    both_read = asyncio.Barrier(2)

    async def add(label: str) -> None:
        async def work(tx: object) -> None:
            executor = tx.executor  # type: ignore[attr-defined]
            attempts[label] += 1
            total = await executor.fetchval("SELECT coalesce(sum(amount), 0) FROM ledger")
            if attempts[label] == 1:
                await both_read.wait()  # force the classic write-skew on the first try
            await executor.execute("INSERT INTO ledger (amount) VALUES ($1)", total + 1)

        await db.run_in_transaction(work, retries=5)

    await asyncio.gather(add("a"), add("b"))
    amounts = [r[0] for r in await admin.fetch("SELECT amount FROM ledger ORDER BY id")]
    assert amounts == [1, 2]
    assert attempts["a"] + attempts["b"] == 3


async def test_breaker_opens_fails_fast_half_opens_and_closes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from betdb.embedded import scratch_server

    port = free_port()
    settings = settings_for(
        f"postgresql://postgres@127.0.0.1:{port}/postgres",
        breaker_failure_threshold=3,
        breaker_reset_timeout=0.5,
        retry_attempts=0,
        acquire_timeout=2,
        pool_min_size=0,
    )
    db = Database(settings)
    db._pool = await asyncpg.create_pool(settings.primary_dsn(), min_size=0, max_size=2)
    executor = db.executor()
    for _ in range(3):
        with pytest.raises(errors.DatabaseUnavailableError, match="cannot connect"):
            await executor.fetchval("SELECT 1")
    assert db.breaker.state is BreakerState.OPEN

    started = time.perf_counter()
    with pytest.raises(errors.DatabaseUnavailableError, match="circuit breaker"):
        await executor.fetchval("SELECT 1")
    assert time.perf_counter() - started < 0.05  # no connection attempt was made

    await asyncio.sleep(0.6)
    with pytest.raises(errors.DatabaseUnavailableError, match="cannot connect"):
        await executor.fetchval("SELECT 1")  # the half-open probe fails: open again
    assert db.breaker.state is BreakerState.OPEN

    with scratch_server() as server:
        server.stop()
        server.port = port
        server.start()
        monkeypatch.setenv("PGPASSWORD", server.password or "")  # the DSN was made before it
        await asyncio.sleep(0.6)
        assert await executor.fetchval("SELECT 1") == 1  # the probe succeeds
        assert db.breaker.state is BreakerState.CLOSED
        health = await db.health()
        assert health.breaker == "closed"
        await db.close()


async def test_a_plan_cached_before_a_migration_is_re_prepared_transparently(
    db: Database, admin: asyncpg.Connection
) -> None:
    await admin.execute("CREATE TABLE plan_cache (a int); INSERT INTO plan_cache VALUES (1)")
    read = "-- name: ReadPlanCache :many\nSELECT * FROM plan_cache"
    executor = db.executor()
    assert [tuple(r) for r in await executor.fetch(read)] == [(1,)]
    await admin.execute("ALTER TABLE plan_cache ADD COLUMN b int DEFAULT 2")
    assert [tuple(r) for r in await executor.fetch(read)] == [(1, 2)]


async def test_close_waits_for_an_in_flight_query_within_the_timeout(database_url: str) -> None:
    db = await Database.connect(settings_for(database_url))
    query = asyncio.create_task(db.executor().fetchval("SELECT 5 FROM pg_sleep(0.3)"))
    await asyncio.sleep(0.05)
    await db.close(timeout=5)
    assert await query == 5


async def test_close_terminates_queries_that_outlive_the_timeout(database_url: str) -> None:
    db = await Database.connect(settings_for(database_url))
    query = asyncio.create_task(db.executor().fetchval("SELECT 5 FROM pg_sleep(10)"))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await db.close(timeout=0.2)
    assert time.perf_counter() - started < 2
    with pytest.raises(errors.BetdbError):
        await query
