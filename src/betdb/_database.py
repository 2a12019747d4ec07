"""The Database: asyncpg pools for the primary and replicas, and everything around them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Self, TypeVar

import asyncpg

from betdb._asyncpg_errors import translate
from betdb._breaker import CircuitBreaker
from betdb._command_timeout import INTERNALS_KNOWN, CommandDeadlines
from betdb._connections import PooledConnections, refresh_replica
from betdb._executor import PoolExecutor, RoutedExecutor
from betdb._health import (
    APPLIED_SQL,
    HAS_MIGRATIONS_SQL,
    LATENCY_SQL,
    VERSION_SQL,
    HealthReport,
    PoolHealth,
    newest_migration,
    replica_health,
)
from betdb._observability import Metrics, MetricsSnapshot, Tracer, monotonic
from betdb._policy import rerun_transaction
from betdb._redact import redact_dsn
from betdb._replicas import Replica, ReplicaSet
from betdb._repository import UnifiedRepository
from betdb._runtime import PRIMARY, Runtime
from betdb._settings import BetdbSettings
from betdb.errors import BetdbError, DatabaseUnavailableError
from betdb.generated import init_connection
from betdb.stats import slowest_queries

logger = logging.getLogger("betdb.database")
T = TypeVar("T")

ConnectionInit = Callable[[asyncpg.Connection], Awaitable[None]]


class Database:
    """asyncpg pools with typed errors, retries, a circuit breaker, replicas and metrics.

    ``async with Database(settings) as db:`` opens the pools; ``db.repository()`` hands out the
    UnifiedRepository, ``db.transaction()`` the same bound to one transaction.
    """

    def __init__(
        self,
        settings: BetdbSettings | None = None,
        *,
        connection_init: ConnectionInit | None = None,
    ) -> None:
        self.settings = settings or BetdbSettings()
        self._connection_init = connection_init or init_connection
        self.runtime = Runtime.from_settings(self.settings)
        timeout = self.settings.command_timeout
        self._deadlines = CommandDeadlines(timeout) if timeout and INTERNALS_KNOWN else None
        self._pool: asyncpg.Pool | None = None
        self.replicas: ReplicaSet[asyncpg.Pool] = ReplicaSet(
            [Replica(dsn.get_secret_value()) for dsn in self.settings.replica_dsns]
            if self.settings.replicas_enabled
            else [],
            max_lag=self.settings.replica_max_lag,
            check_interval=self.settings.replica_check_interval,
        )

    @classmethod
    async def connect(cls, settings: BetdbSettings | None = None, **kw: Any) -> Self:
        database = cls(settings, **kw)
        await database.open()
        return database

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def metrics_registry(self) -> Metrics:
        return self.runtime.metrics

    @property
    def tracer(self) -> Tracer:
        return self.runtime.tracer

    @property
    def breaker(self) -> CircuitBreaker:
        """The primary's circuit breaker."""
        return self.runtime.breaker(PRIMARY)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise DatabaseUnavailableError("the database is not open: use `async with Database()`")
        return self._pool

    def _pool_options(self) -> dict[str, Any]:
        s = self.settings
        server_settings = {"application_name": "betdb"}
        if s.statement_timeout is not None:
            server_settings["statement_timeout"] = str(s.statement_timeout_ms)
        return {
            "min_size": s.pool_min_size,
            "max_size": s.pool_max_size,
            "command_timeout": s.command_timeout,
            "max_inactive_connection_lifetime": s.idle_lifetime,
            "statement_cache_size": s.statement_cache_size,
            "server_settings": server_settings,
            "ssl": s.ssl_context(),
            "init": self._connection_init,
            "timeout": s.acquire_timeout,
            "reset": self._deadlines.reset if self._deadlines else None,
        }

    async def _create_pool(self, dsn: str, **overrides: Any) -> asyncpg.Pool:
        options = {**self._pool_options(), **overrides}
        try:
            pool = await asyncpg.create_pool(self.settings.dsn_without_sslmode(dsn), **options)
        except Exception as error:
            raise DatabaseUnavailableError(
                f"cannot connect to {redact_dsn(dsn)}: {type(error).__name__}: {error}",
                sqlstate=getattr(error, "sqlstate", None),
            ) from error
        assert pool is not None
        return pool

    async def open(self) -> None:
        if self._pool is not None:
            return
        self._pool = await self._create_pool(self.settings.primary_dsn())
        logger.info("connected to %s", self.settings.redacted_dsn())
        for replica in self.replicas.replicas:
            try:
                replica.pool = await self._create_pool(replica.dsn, min_size=0)
                await refresh_replica(replica, timeout=self.settings.acquire_timeout)
            except BetdbError as error:
                logger.warning("replica %s is unavailable: %s", replica.name, error.message)

    async def close(self, timeout: float | None = None) -> None:
        """Wait for in-flight queries up to the close timeout, then terminate what is left."""
        timeout = self.settings.close_timeout if timeout is None else timeout
        pools = [r.pool for r in self.replicas.replicas if r.pool is not None]
        if self._pool is not None:
            pools.insert(0, self._pool)
        for pool in pools:
            try:
                await asyncio.wait_for(pool.close(), timeout)
            except TimeoutError:
                logger.warning("in-flight queries outlived the close timeout; terminating")
                pool.terminate()
        self._pool = None
        for replica in self.replicas.replicas:
            replica.pool = None

    def connection(
        self, pool: asyncpg.Pool | None = None, *, role: str = PRIMARY
    ) -> contextlib.AbstractAsyncContextManager[Any]:
        """A pooled connection, through the breaker; a connection that broke is discarded."""
        return PooledConnections(self.runtime, pool or self.pool, role=role).connection()

    def executor(self, *, read_only: bool = False) -> PoolExecutor | RoutedExecutor:
        primary = PoolExecutor(self.runtime, self.pool, deadlines=self._deadlines)
        if read_only and self.replicas.replicas:
            return RoutedExecutor(self.runtime, primary, self.replicas)
        return primary

    def repository(self, *, read_only: bool = False) -> UnifiedRepository:
        """The UnifiedRepository on the pool; read_only routes reads to replicas when healthy."""
        return UnifiedRepository(self.executor(read_only=read_only))

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> AsyncIterator[UnifiedRepository]:
        """The repository bound to one transaction: commit on success, rollback on error."""
        async with PoolExecutor(self.runtime, self.pool).transaction(
            isolation=isolation, readonly=readonly, deferrable=deferrable
        ) as executor:
            yield UnifiedRepository(executor)

    async def run_in_transaction(
        self,
        work: Callable[[UnifiedRepository], Awaitable[T]],
        *,
        retries: int = 5,
        isolation: str = "serializable",
        idempotent: bool = False,
    ) -> T:
        """Run work in a transaction, re-running the whole of it on serialization failures and
        deadlocks, and on a lost connection before COMMIT. A COMMIT whose outcome is unknown is
        re-run only when the caller marked the work idempotent."""
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self.transaction(isolation=isolation) as repository:
                    return await work(repository)
            except BetdbError as error:
                if not rerun_transaction(
                    error, attempt=attempt, retries=retries, idempotent=idempotent
                ):
                    raise
            await asyncio.sleep(self.settings.backoff_delay(attempt))

    def metrics(self) -> MetricsSnapshot:
        return self.metrics_registry.snapshot()

    async def health(self) -> HealthReport:
        """Reachability, latency, versions, pool usage, migrations, replicas and breaker state."""
        newest = newest_migration()
        pool = self._pool
        pool_health = PoolHealth(
            size=pool.get_size() if pool else 0,
            in_use=(pool.get_size() - pool.get_idle_size()) if pool else 0,
            idle=pool.get_idle_size() if pool else 0,
            min_size=self.settings.pool_min_size,
            max_size=self.settings.pool_max_size,
        )
        reachable, latency, version, applied, error = False, None, None, None, None
        slowest = None
        try:
            async with self.connection() as connection:
                started = monotonic()
                await connection.fetchval(LATENCY_SQL)
                latency = round((monotonic() - started) * 1000, 3)
                version = await connection.fetchval(VERSION_SQL)
                if await connection.fetchval(HAS_MIGRATIONS_SQL):
                    applied = await connection.fetchval(APPLIED_SQL)
                reachable = True
                slowest = await slowest_queries(connection)
        except Exception as failure:
            error = str(translate(failure, query="health"))
        replicas = []
        for replica in self.replicas.replicas:
            await refresh_replica(replica, timeout=self.settings.acquire_timeout)
            replicas.append(replica_health(self.replicas, replica))
        return HealthReport(
            reachable=reachable,
            latency_ms=latency,
            server_version=version,
            pool=pool_health,
            migration_applied=applied,
            migration_newest=newest,
            migrations_current=applied is not None and applied == newest,
            replicas=replicas,
            breaker=self.breaker.state.value,
            error=error,
            slowest_queries=slowest,
        )
