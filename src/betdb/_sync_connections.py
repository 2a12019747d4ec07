"""Where sync executors get connections: a psycopg_pool ConnectionPool, through its server's
breaker, and the replica a read may go to (the counterpart of ``_connections``)."""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # CPython's C module under signal
import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from betdb._observability import monotonic
from betdb._psycopg_errors import is_closed, is_connection_loss
from betdb._replicas import REPLICA_LAG_SQL, Replica, ReplicaSet
from betdb._runtime import PRIMARY, Runtime
from betdb.errors import DatabaseUnavailableError

logger = logging.getLogger("betdb.database")

# A wait for a connection looks this often whether the pool's last connect attempt failed.
_CONNECT_FAILURE_POLL = 0.05
_HOLD_SIGINT = hasattr(signal, "pthread_sigmask")  # POSIX only
_SIGINT = {signal.SIGINT}


# Given how long a failed login took, the SQLSTATE the server refused it with (or None).
RefusalProbe = Callable[[float], "str | None"]

CLOSED = "the database is closed"


class _ClosingError(Exception):
    """The pool's close began: no new loan (the breaker hears nothing of it)."""


class PoolWatch:
    """What betdb knows of a pool that psycopg_pool does not say: why its last connect attempt
    failed (the pool connects in the background and a waiting caller only hears that it timed
    out, so the reason and its SQLSTATE are kept for the caller and its breaker), and which
    connections are lent out (so that close() can stop what outlives its timeout)."""

    def __init__(self, refusal: RefusalProbe | None = None) -> None:
        self._lock = threading.Lock()
        self._failure: tuple[float, BaseException, str | None] | None = None
        self._refusal = refusal
        self._lent: set[Any] = set()
        self._all_back = threading.Condition(self._lock)
        self.closing = False

    def close_doors(self) -> None:
        """Refuse every loan from now on; those out already may finish."""
        with self._lock:
            self.closing = True

    def lent(self, connection: Any) -> None:
        with self._lock:
            if self.closing:  # under the lock: close() waits for this loan or it is refused
                raise _ClosingError
            self._lent.add(connection)

    def lent_count(self) -> int:
        with self._lock:
            return len(self._lent)

    def returned(self, connection: Any) -> None:
        with self._lock:
            self._lent.discard(connection)
            if not self._lent:
                self._all_back.notify_all()

    def wait_until_returned(self, timeout: float) -> list[Any]:
        """Wait up to timeout for every lent connection; those still out."""
        with self._lock:
            self._all_back.wait_for(lambda: not self._lent, timeout=max(timeout, 0.0))
            return list(self._lent)

    def failed(self, error: BaseException, *, failed_after: float = 0.0) -> None:
        sqlstate: str | None = getattr(error, "sqlstate", None)
        refused = isinstance(error, psycopg.OperationalError) and sqlstate is None
        if refused and self._refusal is not None:
            # psycopg keeps no SQLSTATE of a refused login: the probe asks the server again.
            sqlstate = self._refusal(failed_after)
        with self._lock:
            self._failure = (monotonic(), error, sqlstate)

    def succeeded(self) -> None:
        with self._lock:
            self._failure = None

    def failure_since(self, started: float) -> tuple[BaseException, str | None] | None:
        """The error and SQLSTATE of an attempt that failed after ``started`` with none
        succeeding since."""
        failure = self._failure
        return failure[1:] if failure is not None and failure[0] >= started else None

    def connection_class(self) -> type[psycopg.Connection[Any]]:
        """A psycopg Connection class whose connect() reports here."""
        watch = self

        class ReportingConnection(psycopg.Connection[Any]):
            @classmethod
            def connect(cls, conninfo: str = "", **kwargs: Any) -> Any:
                started = monotonic()
                try:
                    connection = super().connect(conninfo, **kwargs)
                except Exception as error:
                    watch.failed(error, failed_after=monotonic() - started)
                    raise
                watch.succeeded()
                return connection

        return ReportingConnection


class WatchedPool(ConnectionPool[Any]):
    """A psycopg_pool ConnectionPool with its PoolWatch."""

    def __init__(
        self, conninfo: str, *, refusal: RefusalProbe | None = None, **options: Any
    ) -> None:
        self.watch = PoolWatch(refusal)
        super().__init__(conninfo, connection_class=self.watch.connection_class(), **options)


class SyncPooledConnections:
    """Connections from one psycopg pool, counted by the breaker of the server it reaches."""

    def __init__(
        self,
        runtime: Runtime,
        pool: WatchedPool,
        *,
        role: str = PRIMARY,
    ) -> None:
        self.runtime = runtime
        self.pool = pool
        self.role = role

    def _acquire(self, loan: _Loan) -> None:
        """Wait for a pooled connection into loan (interruptible: Ctrl-C lands between polls)."""
        settings = self.runtime.settings
        started = monotonic()
        deadline = started + settings.acquire_timeout
        while True:
            if self.pool.watch.closing:
                raise _ClosingError
            remaining = deadline - monotonic()
            try:
                self._getconn(max(min(remaining, _CONNECT_FAILURE_POLL), 0.001), loan, started)
                return
            except PoolClosed as closed:
                raise _ClosingError from closed
            except PoolTimeout as timeout:
                failure = self.pool.watch.failure_since(started)
                if failure is not None:
                    error, sqlstate = failure
                    raise DatabaseUnavailableError(
                        f"cannot connect: {type(error).__name__}: {error}", sqlstate=sqlstate
                    ) from error
                if remaining <= _CONNECT_FAILURE_POLL:
                    raise TimeoutError(
                        f"no connection free within {settings.acquire_timeout}s "
                        f"(pool of {self.pool.max_size})"
                    ) from timeout

    def _getconn(self, timeout: float, loan: _Loan, started: float) -> None:
        # psycopg_pool hands a connection to a waiter that Ctrl-C interrupted, and it is lost:
        # SIGINT is held back during the (short) wait and the bookkeeping after it (one hold,
        # not two: each costs system calls), and raises after, the connection returned.
        try:
            with ctrl_c_held():
                loan.connection = self.pool.getconn(timeout=timeout)
                self.runtime.record_pool_wait(monotonic() - started)
                self.pool.watch.lent(loan.connection)
        except KeyboardInterrupt:
            self._give_back(loan)
            raise
        except _ClosingError:
            self._give_back(loan)
            raise

    @contextlib.contextmanager
    def connection(self) -> Iterator[Any]:
        """A pooled connection, through the breaker; a connection that broke is discarded."""
        loan = self.lend()
        try:  # from here on, Ctrl-C anywhere leaves by settle, which gives the loan back
            yield loan.connection
        except BaseException as error:
            self.settle(loan, error)
            raise
        self.settle(loan, None)

    def lend(self) -> _Loan:
        """A pooled connection through the breaker, in a loan that ``settle`` ends (whenever
        Ctrl-C lands, a connection taken goes back before it is raised)."""
        breaker = self.runtime.breaker(self.role)
        breaker.before_call()
        loan = _Loan()
        try:
            self._lend(breaker, loan)
        except KeyboardInterrupt:
            self._give_back(loan)
            raise
        return loan

    def settle(self, loan: _Loan, error: BaseException | None) -> None:
        """Tell the breaker how the loan's work ended (error: what it raised) and give the
        connection back; one that broke is discarded by the pool."""
        breaker = self.runtime.breaker(self.role)
        try:
            if error is None:
                breaker.record_success()
            elif isinstance(error, Exception):
                if is_connection_loss(error, connection_closed=is_closed(loan.connection)):
                    breaker.record_failure()
                else:
                    breaker.record_success()  # the server answered, even if with an error
            else:
                breaker.release_probe()  # KeyboardInterrupt and the like prove nothing
        finally:
            self._give_back(loan)

    def _lend(self, breaker: Any, loan: _Loan) -> None:
        try:
            self._acquire(loan)
        except _ClosingError as closing:
            breaker.release_probe()
            raise DatabaseUnavailableError(CLOSED) from closing
        except TimeoutError as error:
            breaker.release_probe()
            raise DatabaseUnavailableError(str(error)) from error
        except DatabaseUnavailableError:
            breaker.record_failure()
            raise
        except BaseException:
            breaker.release_probe()  # interrupted while waiting
            raise

    def _give_back(self, loan: _Loan) -> None:
        """Return the connection to the pool (which rolls back what is left open and drops a
        connection that broke), whenever Ctrl-C lands: a KeyboardInterrupt from before the
        hold, or held back during it, is raised once the connection is back."""
        interrupted: KeyboardInterrupt | None = None
        while loan.connection is not None:
            try:
                with ctrl_c_held():
                    if loan.connection is not None:
                        self.pool.watch.returned(loan.connection)
                        self.pool.putconn(loan.connection)
                        loan.connection = None
            except KeyboardInterrupt as error:
                interrupted = error
        if interrupted is not None:
            raise interrupted


class _Loan:
    """The connection lent out, until it is back in the pool."""

    __slots__ = ("connection",)

    def __init__(self) -> None:
        self.connection: Any = None


def ctrl_c_held() -> contextlib.AbstractContextManager[None]:
    """Ctrl-C (SIGINT, which only the main thread receives) held back during the block and
    raised as KeyboardInterrupt at its end: betdb's bookkeeping of a connection is never cut
    in half. Elsewhere than POSIX's main thread, nothing."""
    return _CtrlCHeld()


class _CtrlCHeld:
    """ctrl_c_held's block: a class, not a generator, as it runs twice per statement."""

    __slots__ = ("_unblock",)

    def __enter__(self) -> None:
        self._unblock = False
        if not _HOLD_SIGINT or threading.current_thread() is not threading.main_thread():
            return
        # The mask before the block comes back from blocking: no system call of its own to
        # ask. _signal's, not signal's: that wrapper turns every mask into enum members.
        self._unblock = signal.SIGINT not in _signal.pthread_sigmask(signal.SIG_BLOCK, _SIGINT)

    def __exit__(self, *exc: object) -> None:
        if self._unblock:
            _signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGINT)
            _let_signals_land()


def _let_signals_land() -> None:
    """Nothing: calling it is where Python runs the handler of a signal that just arrived."""


def refresh_replica(replica: Replica[WatchedPool], *, timeout: float) -> None:
    """Measure the replica's reachability and lag now."""
    if replica.pool is None:
        replica.record_unreachable("pool not open")
        return
    try:
        with replica.pool.connection(timeout=timeout) as connection:
            row = connection.execute(REPLICA_LAG_SQL).fetchone()
    except Exception as error:
        replica.record_unreachable(error)
        return
    replica.record(None if row is None else tuple(row))


def choose_replica(
    replicas: ReplicaSet[WatchedPool],
) -> Replica[WatchedPool] | None:
    """A replica that may serve a read now (measured again when due), or None."""
    for replica in replicas.in_turn():
        if replicas.due(replica):
            refresh_replica(replica, timeout=replicas.check_interval)
        if replicas.usable(replica):
            return replica
    return None
