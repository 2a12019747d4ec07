"""The SyncDatabase: psycopg_pool pools for the primary and replicas, for callers outside an
event loop (scripts, notebooks, task runners, WSGI apps), with the guarantees of Database."""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

import psycopg

import betdb.generated as generated
from betdb._breaker import CircuitBreaker
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
from betdb._login_refusal import login_refusal_sqlstate
from betdb._observability import MetricsSnapshot, monotonic
from betdb._policy import rerun_transaction
from betdb._psycopg_errors import translate
from betdb._redact import redact_dsn
from betdb._replicas import Replica, ReplicaSet
from betdb._runtime import PRIMARY, Runtime
from betdb._settings import BetdbSettings, SslMode
from betdb._sync_connections import SyncPooledConnections, WatchedPool, refresh_replica
from betdb._sync_executor import SyncPoolExecutor, SyncRoutedExecutor
from betdb._sync_repository import IsolationLevel, SyncUnifiedRepository
from betdb._watchdog import Watchdog, stop_statement
from betdb.errors import BetdbError, DatabaseUnavailableError

logger = logging.getLogger("betdb.database")
T = TypeVar("T")

Configure = Callable[[psycopg.Connection[Any]], None]


def _default_configure() -> Configure | None:
    """The generated package's sync connection setup, once the plugin generates one."""
    configure: Configure | None = getattr(generated, "configure_sync_connection", None)
    return configure


class SyncDatabase:
    """psycopg pools with typed errors, retries, a circuit breaker, replicas and metrics.

    ``with SyncDatabase(settings) as db:`` opens the pools; ``db.repository()`` hands out the
    SyncUnifiedRepository, ``db.transaction()`` the same bound to one transaction. Safe to
    share between threads.
    """

    def __init__(
        self,
        settings: BetdbSettings | None = None,
        *,
        configure: Configure | None = None,
    ) -> None:
        self.settings = settings or BetdbSettings()
        self._configure = configure or _default_configure()
        self.runtime = Runtime.from_settings(self.settings)
        self.watchdog = Watchdog()
        self._pool: WatchedPool | None = None
        self.replicas: ReplicaSet[WatchedPool] = ReplicaSet(
            [Replica(dsn.get_secret_value()) for dsn in self.settings.replica_dsns]
            if self.settings.replicas_enabled
            else [],
            max_lag=self.settings.replica_max_lag,
            check_interval=self.settings.replica_check_interval,
        )

    @classmethod
    def connect(cls, settings: BetdbSettings | None = None, **kw: Any) -> Self:
        database = cls(settings, **kw)
        database.open()
        return database

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def breaker(self) -> CircuitBreaker:
        """The primary's circuit breaker."""
        return self.runtime.breaker(PRIMARY)

    @property
    def pool(self) -> WatchedPool:
        if self._pool is None:
            raise DatabaseUnavailableError("the database is not open: use `with SyncDatabase()`")
        return self._pool

    def connect_options(self) -> dict[str, Any]:
        """What every psycopg connection is opened with (libpq keywords win over the DSN's,
        so the settings decide TLS, as on the async side)."""
        s = self.settings
        options: dict[str, Any] = {
            "autocommit": True,  # a statement outside transaction() commits on its own
            "cursor_factory": psycopg.RawCursor,  # $1 placeholders, as the SQL constants have
            "application_name": "betdb",
            "connect_timeout": max(1, round(s.acquire_timeout)),
            "sslmode": s.effective_sslmode().value,
        }
        if s.statement_cache_size == 0:
            options["prepare_threshold"] = None  # PgBouncer in transaction mode
        if s.statement_timeout is not None:
            options["options"] = f"-c statement_timeout={int(s.statement_timeout * 1000)}"
        if s.effective_sslmode() in {SslMode.VERIFY_CA, SslMode.VERIFY_FULL}:
            # libpq reads ~/.postgresql/root.crt by default; asyncpg's side trusts the system's.
            options["sslrootcert"] = str(s.ssl_root_cert) if s.ssl_root_cert else "system"
        if s.ssl_cert is not None:
            options["sslcert"] = str(s.ssl_cert)
        if s.ssl_key is not None:
            options["sslkey"] = str(s.ssl_key)
        return options

    def _create_pool(self, dsn: str, *, min_size: int) -> WatchedPool:
        s = self.settings
        pool = WatchedPool(
            dsn,
            refusal=functools.partial(self._login_refusal, dsn),
            min_size=min_size,
            max_size=s.pool_max_size,
            kwargs=self.connect_options(),
            configure=self._configure,
            timeout=s.acquire_timeout,
            max_idle=s.idle_lifetime or 10**9,
            # No reconnecting in the background: the next request connects, and a failure
            # reaches it (and the breaker) at once, as asyncpg's pool does.
            reconnect_timeout=0,
            name="betdb",
            open=False,
        )
        pool.open()
        try:
            # The first connection now, so that a wrong DSN fails here, naming why.
            with SyncPooledConnections(self.runtime, pool).connection():
                pass
        except DatabaseUnavailableError as error:
            pool.close()
            why = error.message.removeprefix("cannot connect: ")
            raise DatabaseUnavailableError(
                f"cannot connect to {redact_dsn(dsn)}: {why}", sqlstate=error.sqlstate
            ) from error
        return pool

    def _login_refusal(self, dsn: str, failed_after: float) -> str | None:
        timeout = self.connect_options()["connect_timeout"]
        return login_refusal_sqlstate(
            self.settings, dsn, failed_after=failed_after, timeout=float(timeout)
        )

    def open(self) -> None:
        if self._pool is not None:
            return
        if self.watchdog.stopped:
            self.watchdog = Watchdog()  # closed and opened again
        self._pool = self._create_pool(
            self.settings.primary_dsn(), min_size=self.settings.pool_min_size
        )
        logger.info("connected to %s", self.settings.redacted_dsn())
        for replica in self.replicas.replicas:
            try:
                replica.pool = self._create_pool(replica.dsn, min_size=0)
                refresh_replica(replica, timeout=self.settings.acquire_timeout)
            except BetdbError as error:
                logger.warning("replica %s is unavailable: %s", replica.name, error.message)

    def close(self, timeout: float | None = None) -> None:
        """Refuse new work at once (DatabaseUnavailableError, even through a repository taken
        before), wait for in-flight queries up to the close timeout, then stop what is left (a
        cancel request, then the socket shut), and close the pools."""
        timeout = self.settings.close_timeout if timeout is None else timeout
        deadline = monotonic() + timeout
        pools = [r.pool for r in self.replicas.replicas if r.pool is not None]
        if self._pool is not None:
            pools.insert(0, self._pool)
        for pool in pools:
            pool.watch.close_doors()
        for pool in pools:
            left = pool.watch.wait_until_returned(deadline - monotonic())
            if left:
                logger.warning("in-flight queries outlived the close timeout; stopping them")
            for connection in left:
                stop_statement(connection, grace=1.0)
        for pool in pools:
            pool.close(timeout=max(deadline - monotonic(), 1.0))
        self._pool = None
        for replica in self.replicas.replicas:
            replica.pool = None
        self.watchdog.stop()

    def connection(self, *, role: str = PRIMARY) -> contextlib.AbstractContextManager[Any]:
        """A pooled psycopg connection, through the breaker (autocommit, RawCursor)."""
        return SyncPooledConnections(self.runtime, self.pool, role=role).connection()

    def executor(self, *, read_only: bool = False) -> SyncPoolExecutor | SyncRoutedExecutor:
        primary = SyncPoolExecutor(self.runtime, self.pool, watchdog=self.watchdog)
        if read_only and self.replicas.replicas:
            return SyncRoutedExecutor(self.runtime, primary, self.replicas, watchdog=self.watchdog)
        return primary

    def repository(self, *, read_only: bool = False) -> SyncUnifiedRepository:
        """The SyncUnifiedRepository on the pool; read_only routes reads to replicas when
        healthy."""
        return SyncUnifiedRepository(self.executor(read_only=read_only))

    @contextlib.contextmanager
    def transaction(
        self,
        *,
        isolation: IsolationLevel | None = None,
        readonly: bool = False,
        deferrable: bool = False,
    ) -> Iterator[SyncUnifiedRepository]:
        """The repository bound to one transaction: commit on success, rollback on error."""
        primary = SyncPoolExecutor(self.runtime, self.pool, watchdog=self.watchdog)
        with primary.transaction(
            isolation=isolation, readonly=readonly, deferrable=deferrable
        ) as executor:
            yield SyncUnifiedRepository(executor)

    def run_in_transaction(
        self,
        work: Callable[[SyncUnifiedRepository], T],
        *,
        retries: int = 5,
        isolation: IsolationLevel = "serializable",
        idempotent: bool = False,
    ) -> T:
        """Run work in a transaction, re-running the whole of it on serialization failures and
        deadlocks, and on a lost connection before COMMIT. A COMMIT whose outcome is unknown is
        re-run only when the caller marked the work idempotent."""
        attempt = 0
        while True:
            attempt += 1
            try:
                with self.transaction(isolation=isolation) as repository:
                    return work(repository)
            except BetdbError as error:
                if not rerun_transaction(
                    error, attempt=attempt, retries=retries, idempotent=idempotent
                ):
                    raise
            time.sleep(self.settings.backoff_delay(attempt))

    def metrics(self) -> MetricsSnapshot:
        return self.runtime.metrics.snapshot()

    def health(self) -> HealthReport:
        """Reachability, latency, versions, pool usage, migrations, replicas and breaker state."""
        pool = self._pool
        stats = pool.get_stats() if pool else {}
        size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
        pool_health = PoolHealth(
            size=size,
            # Lent out by betdb: psycopg_pool's size also counts connections still opening.
            in_use=pool.watch.lent_count() if pool else 0,
            idle=idle,
            min_size=self.settings.pool_min_size,
            max_size=self.settings.pool_max_size,
        )
        reachable, latency, version, applied, error = False, None, None, None, None
        try:
            with self.connection() as connection:
                started = monotonic()
                connection.execute(LATENCY_SQL).fetchone()
                latency = round((monotonic() - started) * 1000, 3)
                version = _value(connection, VERSION_SQL)
                if _value(connection, HAS_MIGRATIONS_SQL):
                    applied = _value(connection, APPLIED_SQL)
                reachable = True
        except Exception as failure:
            error = str(translate(failure, query="health"))
        replicas = []
        for replica in self.replicas.replicas:
            refresh_replica(replica, timeout=self.settings.acquire_timeout)
            replicas.append(replica_health(self.replicas, replica))
        newest = newest_migration()
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
        )


def _value(connection: Any, query: str) -> Any:
    row = connection.execute(query).fetchone()
    return None if row is None else row[0]
