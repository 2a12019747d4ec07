"""The Database: asyncpg pools for the primary and replicas, and everything around them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import asyncpg
from pydantic import BaseModel

from betdb._breaker import CircuitBreaker
from betdb._executor import PoolExecutor, TransactionExecutor, is_read_only, query_name
from betdb._observability import Metrics, MetricsSnapshot, Tracer, monotonic
from betdb._redact import redact_dsn
from betdb._replicas import Replica, ReplicaSet
from betdb._settings import BetdbSettings
from betdb.errors import (
    BetdbError,
    ConnectionLostError,
    DatabaseUnavailableError,
    OutcomeUnknownError,
    SerializationError,
    is_connection_loss,
    translate,
)
from betdb.migrate import migration_versions
from betdb.stats import QueryStatistics, slowest_queries

if TYPE_CHECKING:
    from betdb._repository import UnifiedRepository

logger = logging.getLogger("betdb.database")
query_logger = logging.getLogger("betdb.query")
T = TypeVar("T")

ConnectionInit = Callable[[asyncpg.Connection], Awaitable[None]]


class PoolHealth(BaseModel):
    size: int
    in_use: int
    idle: int
    min_size: int
    max_size: int


class ReplicaHealth(BaseModel):
    dsn: str
    reachable: bool
    lag_seconds: float | None
    serving_reads: bool
    error: str | None


class HealthReport(BaseModel):
    reachable: bool
    latency_ms: float | None
    server_version: str | None
    pool: PoolHealth
    migration_applied: str | None
    migration_newest: str | None
    migrations_current: bool
    replicas: list[ReplicaHealth]
    breaker: str
    error: str | None = None
    slowest_queries: list[QueryStatistics] | None = None
    """Generated queries with the highest mean time (pg_stat_statements; None without it)."""


def _default_connection_init() -> ConnectionInit | None:
    """The codec installer the generated package exports, when there is one."""
    try:
        from betdb import generated
    except ImportError:
        return None
    init: ConnectionInit | None = getattr(generated, "init_connection", None)
    return init


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
        self._connection_init = connection_init or _default_connection_init()
        self.metrics_registry = Metrics()
        self.tracer = Tracer(self.settings.otel_enabled)
        self.breaker = CircuitBreaker(
            failure_threshold=self.settings.breaker_failure_threshold,
            reset_timeout=self.settings.breaker_reset_timeout,
        )
        self._replica_breakers: dict[str, CircuitBreaker] = {}
        self._pool: asyncpg.Pool | None = None
        self.replicas = ReplicaSet(
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
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise DatabaseUnavailableError("the database is not open: use `async with Database()`")
        return self._pool

    def _pool_options(self) -> dict[str, Any]:
        s = self.settings
        server_settings = {"application_name": "betdb"}
        if s.statement_timeout is not None:
            server_settings["statement_timeout"] = str(int(s.statement_timeout * 1000))
        return {
            "min_size": s.pool_min_size,
            "max_size": s.pool_max_size,
            "command_timeout": s.command_timeout,
            "max_inactive_connection_lifetime": s.idle_lifetime,
            "statement_cache_size": s.statement_cache_size,
            "server_settings": server_settings,
            "ssl": s.ssl_context(),
            "init": self._init_connection,
            "timeout": s.acquire_timeout,
        }

    async def _init_connection(self, connection: asyncpg.Connection) -> None:
        if self._connection_init is not None:
            await self._connection_init(connection)

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
                await replica.refresh(timeout=self.settings.acquire_timeout)
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

    def breaker_for(self, role: str) -> CircuitBreaker:
        if role == "primary":
            return self.breaker
        if role not in self._replica_breakers:
            self._replica_breakers[role] = CircuitBreaker(
                failure_threshold=self.settings.breaker_failure_threshold,
                reset_timeout=self.settings.breaker_reset_timeout,
                name=role,
            )
        return self._replica_breakers[role]

    @contextlib.asynccontextmanager
    async def connection(
        self, pool: asyncpg.Pool | None = None, *, role: str = "primary"
    ) -> AsyncIterator[Any]:
        """A pooled connection, through the breaker; a connection that broke is discarded."""
        pool = pool or self.pool
        breaker = self.breaker_for(role)
        breaker.before_call()
        started = monotonic()
        try:
            connection = await pool.acquire(timeout=self.settings.acquire_timeout)
        except BaseException as error:
            if isinstance(error, asyncio.CancelledError):
                breaker.release_probe()
                raise
            if isinstance(error, TimeoutError):
                breaker.release_probe()
                raise DatabaseUnavailableError(
                    f"no connection free within {self.settings.acquire_timeout}s "
                    f"(pool of {pool.get_max_size()})"
                ) from error
            breaker.record_failure()
            if isinstance(error, Exception):
                raise DatabaseUnavailableError(
                    f"cannot connect: {type(error).__name__}: {error}",
                    sqlstate=getattr(error, "sqlstate", None),
                ) from error
            raise
        self.metrics_registry.record_pool_wait(monotonic() - started)
        broken = False
        try:
            yield connection
        except BaseException as error:
            broken = isinstance(error, Exception) and is_connection_loss(error)
            if broken:
                breaker.record_failure()
            elif isinstance(error, asyncio.CancelledError):
                breaker.release_probe()
            else:
                breaker.record_success()  # the server answered, even if with an error
            raise
        else:
            breaker.record_success()
        finally:
            # A connection that died is detached from its proxy by asyncpg already.
            with contextlib.suppress(asyncpg.InterfaceError):
                if broken or connection.is_closed():
                    connection.terminate()
            try:
                # After a cancellation mid-query, release() resets or discards the connection.
                await pool.release(connection)
            except Exception as error:
                # The reset failed, so asyncpg terminated the connection. The work's outcome
                # stands: a commit is not undone, and the body's own error is not replaced.
                logger.info("discarded a connection whose reset failed: %s", type(error).__name__)

    def record_query(self, name: str, seconds: float, *, rows: int | None, failed: bool) -> None:
        if self.settings.metrics_enabled:
            self.metrics_registry.record_query(name, seconds, failed=failed)
        extra = {"query": name, "duration_ms": round(seconds * 1000, 3), "rows": rows}
        if failed:
            query_logger.debug("query %s failed after %.1f ms", name, seconds * 1000, extra=extra)
        elif seconds >= self.settings.slow_query_threshold:
            query_logger.warning("slow query %s: %.1f ms", name, seconds * 1000, extra=extra)
        else:
            query_logger.debug(
                "query %s: %.1f ms, %s rows", name, seconds * 1000, rows, extra=extra
            )

    def executor(self, *, read_only: bool = False) -> PoolExecutor | RoutedExecutor:
        primary = PoolExecutor(self, self.pool)
        if read_only and self.replicas.replicas:
            return RoutedExecutor(self, primary)
        return primary

    def repository(self, *, read_only: bool = False) -> UnifiedRepository:
        """The UnifiedRepository on the pool; read_only routes reads to replicas when healthy."""
        from betdb._repository import UnifiedRepository

        return UnifiedRepository(self.executor(read_only=read_only))

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, isolation: str | None = None, readonly: bool = False, deferrable: bool = False
    ) -> AsyncIterator[UnifiedRepository]:
        """The repository bound to one transaction: commit on success, rollback on error."""
        from betdb._repository import UnifiedRepository

        async with PoolExecutor(self, self.pool).transaction(
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
            except OutcomeUnknownError:
                if not idempotent or attempt > retries:
                    raise
            except (SerializationError, ConnectionLostError, DatabaseUnavailableError):
                if attempt > retries:
                    raise
            await asyncio.sleep(self.settings.backoff_delay(attempt))

    def metrics(self) -> MetricsSnapshot:
        return self.metrics_registry.snapshot()

    async def health(self) -> HealthReport:
        """Reachability, latency, versions, pool usage, migrations, replicas and breaker state."""
        versions = migration_versions()
        newest = versions[-1] if versions else None
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
                await connection.fetchval("SELECT 1")
                latency = round((monotonic() - started) * 1000, 3)
                version = await connection.fetchval("SHOW server_version")
                if await connection.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL"):
                    applied = await connection.fetchval(
                        "SELECT max(version) FROM schema_migrations"
                    )
                reachable = True
                slowest = await slowest_queries(connection)
        except Exception as failure:
            error = str(translate(failure, query="health"))
        replicas = []
        for replica in self.replicas.replicas:
            await replica.refresh(timeout=self.settings.acquire_timeout)
            replicas.append(
                ReplicaHealth(
                    dsn=replica.name,
                    reachable=replica.reachable,
                    lag_seconds=replica.lag_seconds,
                    serving_reads=self.replicas.usable(replica),
                    error=replica.last_error,
                )
            )
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


class RoutedExecutor:
    """Sends reads to a healthy replica within the lag bound, and everything else, or any read
    whose replica fails, to the primary."""

    def __init__(self, database: Database, primary: PoolExecutor) -> None:
        self._db = database
        self.primary = primary

    async def _route(self, sql: str, call: Callable[[PoolExecutor], Awaitable[T]]) -> T:
        if not is_read_only(sql):
            return await call(self.primary)
        replica = await self._db.replicas.choose()
        if replica is None or replica.pool is None:
            return await call(self.primary)
        try:
            return await call(PoolExecutor(self._db, replica.pool, role=f"replica:{replica.name}"))
        except (ConnectionLostError, DatabaseUnavailableError) as error:
            self._db.replicas.mark_down(replica, error)
            query_logger.info("read %s falls back to the primary", query_name(sql))
            return await call(self.primary)

    async def fetch(self, query: str, *args: Any, timeout: float | None = None) -> list[Any]:
        return await self._route(query, lambda e: e.fetch(query, *args, timeout=timeout))

    async def fetchrow(self, query: str, *args: Any, timeout: float | None = None) -> Any:
        return await self._route(query, lambda e: e.fetchrow(query, *args, timeout=timeout))

    async def fetchval(
        self, query: str, *args: Any, column: int = 0, timeout: float | None = None
    ) -> Any:
        return await self._route(
            query, lambda e: e.fetchval(query, *args, column=column, timeout=timeout)
        )

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        return await self.primary.execute(query, *args, timeout=timeout)

    async def executemany(self, command: str, args: Any, *, timeout: float | None = None) -> None:
        await self.primary.executemany(command, args, timeout=timeout)

    async def fetchmany(self, query: str, args: Any, *, timeout: float | None = None) -> list[Any]:
        return await self.primary.fetchmany(query, args, timeout=timeout)

    async def copy_records_to_table(self, table_name: str, **kw: Any) -> str:
        return await self.primary.copy_records_to_table(table_name, **kw)

    def cursor(self, query: str, *args: Any, prefetch: int | None = None) -> Any:
        return self.primary.cursor(query, *args, prefetch=prefetch)

    def transaction(self, **kw: Any) -> contextlib.AbstractAsyncContextManager[TransactionExecutor]:
        return self.primary.transaction(**kw)
