"""Where async executors get connections: an asyncpg pool, through its server's breaker, and
the replica a read may go to."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from betdb._asyncpg_errors import is_closed, is_connection_loss
from betdb._command_timeout import INTERNALS_KNOWN, CommandDeadlines
from betdb._observability import monotonic
from betdb._replicas import REPLICA_LAG_SQL, Replica, ReplicaSet
from betdb._runtime import PRIMARY, Runtime
from betdb.errors import DatabaseUnavailableError

logger = logging.getLogger("betdb.database")


class PooledConnections:
    """Connections from one asyncpg pool, counted by the breaker of the server it reaches."""

    def __init__(
        self,
        runtime: Runtime,
        pool: asyncpg.Pool,
        *,
        role: str = PRIMARY,
        deadlines: CommandDeadlines | None = None,
    ) -> None:
        self.runtime = runtime
        self.pool = pool
        self.role = role
        # The command timeout is kept by betdb only on a pool that resets through it.
        self.deadlines = deadlines if deadlines is not None and deadlines.keeps(pool) else None
        settings = runtime.settings
        # The pool's reset is bounded by the command timeout already (the checkout's deadline,
        # or asyncpg's own); a timeout of its own only when there is none (another timer per
        # release otherwise).
        self._release_timeout = None if settings.command_timeout else settings.acquire_timeout

    async def acquire(self) -> Any:
        """A pooled connection, through the breaker (give it back with ``release``)."""
        pool, settings = self.pool, self.runtime.settings
        breaker = self.runtime.breaker(self.role)
        breaker.before_call()
        started = monotonic()
        try:
            if _has_free_slot(pool):
                # Taken without waiting (nothing runs in between): no timer to arm and cancel.
                connection = await pool.acquire()
            else:
                # asyncio.timeout, not acquire(timeout=): asyncpg's wait_for makes a task.
                async with asyncio.timeout(settings.acquire_timeout):
                    connection = await pool.acquire()
        except BaseException as error:
            if isinstance(error, asyncio.CancelledError):
                breaker.release_probe()
                raise
            if isinstance(error, TimeoutError):
                breaker.release_probe()
                raise DatabaseUnavailableError(
                    f"no connection free within {settings.acquire_timeout}s "
                    f"(pool of {pool.get_max_size()})"
                ) from error
            breaker.record_failure()
            if isinstance(error, Exception):
                raise DatabaseUnavailableError(
                    f"cannot connect: {type(error).__name__}: {error}",
                    sqlstate=getattr(error, "sqlstate", None),
                ) from error
            raise
        self.runtime.record_pool_wait(monotonic() - started)
        return connection

    async def release(self, connection: Any, error: BaseException | None = None) -> None:
        """Give a connection back, telling the breaker how its work ended (error: what the
        work raised); a connection that broke is discarded."""
        breaker = self.runtime.breaker(self.role)
        broken = False
        if error is None:
            breaker.record_success()
        else:
            broken = isinstance(error, Exception) and is_connection_loss(
                error, connection_closed=is_closed(connection)
            )
            if broken:
                breaker.record_failure()
            elif isinstance(error, asyncio.CancelledError):
                breaker.release_probe()
            else:
                breaker.record_success()  # the server answered, even if with an error
        # A connection that died is detached from its proxy by asyncpg already, and one that
        # closed after work that succeeded is discarded by asyncpg's release.
        if error is not None and (broken or is_closed(connection)):
            with contextlib.suppress(asyncpg.InterfaceError):
                connection.terminate()
        try:
            if error is None and _is_lent_by(self.pool, connection):
                await _release_unshielded(connection, self._release_timeout)
            else:
                # After a cancellation mid-query, release() resets or discards the connection.
                await self.pool.release(connection, timeout=self._release_timeout)
        except Exception as failure:
            # The reset failed, so asyncpg terminated the connection. The work's outcome
            # stands: a commit is not undone, and the body's own error is not replaced.
            logger.info("discarded a connection whose reset failed: %s", type(failure).__name__)

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        """A pooled connection, through the breaker; a connection that broke is discarded."""
        connection = await self.acquire()
        try:
            yield connection
        except BaseException as error:
            await self.release(connection, error)
            raise
        await self.release(connection)


def _is_lent_by(pool: asyncpg.Pool, connection: Any) -> bool:
    """Whether the connection is a live pooled connection of this pool as asyncpg 0.30 to
    0.32 lend them (a proxy over a connection, with the slot that holds it)."""
    if not INTERNALS_KNOWN:
        return False
    holder = getattr(connection, "_holder", None)
    return getattr(connection, "_con", None) is not None and getattr(holder, "_pool", None) is pool


async def _release_unshielded(connection: Any, timeout: float | None) -> None:
    """What asyncpg's Pool.release does, without the task it starts to shield the reset from
    the caller's cancellation: that task costs more than the rest of betdb's path put
    together. Cancelled during the reset, the connection is discarded (the pool connects
    anew) instead of reset behind the caller's back."""
    connection._con._on_release()
    await connection._holder.release(timeout)


def _has_free_slot(pool: asyncpg.Pool) -> bool:
    """Whether acquire() takes a pooled slot at once. asyncpg's queue of free slots, read
    directly: its public get_idle_size() walks every slot, two calls each, per statement; a
    pool without that queue (another asyncpg) always takes the timed path."""
    queue = getattr(pool, "_queue", None)
    return isinstance(queue, asyncio.Queue) and not queue.empty()


async def refresh_replica(replica: Replica[asyncpg.Pool], *, timeout: float) -> None:
    """Measure the replica's reachability and lag now."""
    if replica.pool is None:
        replica.record_unreachable("pool not open")
        return
    try:
        row = await replica.pool.fetchrow(REPLICA_LAG_SQL, timeout=timeout)
    except Exception as error:
        replica.record_unreachable(error)
        return
    replica.record(None if row is None else tuple(row))


async def choose_replica(replicas: ReplicaSet[asyncpg.Pool]) -> Replica[asyncpg.Pool] | None:
    """A replica that may serve a read now (measured again when due), or None."""
    for replica in replicas.in_turn():
        if replicas.due(replica):
            await refresh_replica(replica, timeout=replicas.check_interval)
        if replicas.usable(replica):
            return replica
    return None
