"""Client-side statement timeouts for the sync runtime: one thread per SyncDatabase watches
the deadlines of running statements (psycopg has no timeout of its own, asyncpg's
``command_timeout`` does this for the async side).

Past its deadline a statement gets a cancel request (the server stops it: QueryCanceled, so
nothing of it applied). A server that does not answer within the grace that follows (a cut
network) gets its socket shut down, which ends the wait with the connection broken: for a
write, an outcome that is unknown, as with asyncpg.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import math
import os
import socket
import threading
from collections.abc import Iterator
from typing import Any

from betdb._observability import monotonic

logger = logging.getLogger("betdb.database")


class Alarm:
    """One statement's deadline; ``fired`` once the watchdog acted on it. The lock keeps the
    watchdog from acting on a connection whose statement ended (it may run another by then)."""

    __slots__ = ("connection", "done", "fired", "lock")

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.done = False
        self.fired = False
        self.lock = threading.Lock()


class Watchdog:
    def __init__(self, *, grace: float = 1.0) -> None:
        self.grace = grace
        self._heap: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()
        self._wakeup = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._sleeping_until = math.inf  # when the watchdog thread wakes next on its own

    @contextlib.contextmanager
    def deadline(self, connection: Any, seconds: float) -> Iterator[Alarm]:
        """Watch the statement run inside the block."""
        alarm = self.arm(connection, seconds)
        try:
            yield alarm
        finally:
            disarm(alarm)

    def arm(self, connection: Any, seconds: float) -> Alarm:
        """Watch the connection's statement from now on, until ``disarm(alarm)``."""
        alarm = Alarm(connection)
        with self._wakeup:
            self._push(monotonic() + seconds, alarm)
        return alarm

    def _push(self, when: float, alarm: Alarm) -> None:
        heap = self._heap
        while heap and heap[0][2].done:
            heapq.heappop(heap)  # finished statements leave from the top, keeping it small
        heapq.heappush(heap, (when, next(self._order), alarm))
        if self._thread is None and not self._stopped:
            self._thread = threading.Thread(target=self._watch, name="betdb-watchdog", daemon=True)
            self._thread.start()
        elif when < self._sleeping_until:
            # Only a deadline sooner than the one the thread sleeps towards wakes it: waking it
            # for every statement would cost each one a thread switch.
            self._wakeup.notify()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        with self._wakeup:
            self._stopped = True
            self._wakeup.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _watch(self) -> None:
        while True:
            due = self._next_due()
            if due is None:
                return
            alarm, first = due
            with alarm.lock:
                if alarm.done:
                    continue
                alarm.fired = True
                if first:
                    stop_statement(alarm.connection, grace=self.grace)
                else:
                    _shut(alarm.connection)

    def _next_due(self) -> tuple[Alarm, bool] | None:
        """The next alarm past its deadline, and whether this is its first (cancel) stage;
        None once stopped."""
        heap = self._heap
        with self._wakeup:
            while not self._stopped:
                if not heap:
                    self._sleeping_until = math.inf
                    self._wakeup.wait()
                    continue
                when, _, alarm = heap[0]
                wait = when - monotonic()
                if wait > 0:
                    # Until the first deadline, even a finished statement's: dropping it now
                    # would leave the thread asleep for good, and the next statement would wake
                    # it, a thread switch per statement (milliseconds on a busy machine).
                    self._sleeping_until = when
                    self._wakeup.wait(wait)
                    continue
                heapq.heappop(heap)
                if alarm.done:
                    continue
                first = not alarm.fired
                if first:  # the second stage, should the cancel not end the statement
                    heapq.heappush(heap, (when + self.grace, next(self._order), alarm))
                return alarm, first
        return None


def disarm(alarm: Alarm) -> None:
    """The statement ended: the watchdog leaves its connection alone from now on."""
    with alarm.lock:
        alarm.done = True


def stop_statement(connection: Any, *, grace: float) -> None:
    """Ask the server to cancel what the connection runs; a cancel request that cannot reach
    the server within the grace is a cut network: shut the socket at once."""
    try:
        connection.cancel_safe(timeout=grace)
    except Exception as error:
        logger.info("cancel request failed: %s", type(error).__name__)
        _shut(connection)


def _shut(connection: Any) -> None:
    logger.warning("a statement outlived its timeout and its cancel: closing its socket")
    try:
        with socket.socket(fileno=os.dup(connection.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError as error:
        logger.info("could not shut the socket down: %s", error)
