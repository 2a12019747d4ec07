"""The command timeout of a pooled statement and of the reset that gives its connection back,
kept by betdb for the async executors rather than by asyncpg.

asyncpg arms a loop timer for every statement and another for the reset on release (each a
heap push and a cancel). Here one deadline covers a checkout, statement and reset, and one
timer serves every checkout of the event loop, set for the earliest deadline. A statement
past its deadline has its task cancelled, which does to the statement what asyncpg's timeout
does (the server gets a cancel request, the connection stays usable), and raises the
TimeoutError asyncpg would; a reset past it has its connection terminated, as asyncpg's
release would after its own timeout. The reset has what the statement left of the
deadline, where asyncpg gave it a timeout of its own. Deadlines are all the same length, so
they fall due in the order they were set.

Under an asyncpg release other than those read here (INTERNALS_KNOWN), where a connection does
not show its configuration, or where a pool does not reset through ``reset``, asyncpg keeps its
own timeouts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any

import asyncpg

from betdb._observability import monotonic

# The asyncpg releases whose internals this module and the pooled release rely on (a pooled
# connection's proxy, slot and configuration), read the same way in each: another release
# keeps asyncpg's own command timeout and Pool.release, whatever its attributes look like.
INTERNALS_KNOWN = asyncpg.__version__.startswith(("0.30.", "0.31.", "0.32."))


class Checkout:
    """The deadline of one checkout: its statement's task, then its connection's reset."""

    __slots__ = (
        "at",
        "cancelling",
        "config",
        "connection",
        "deadlines",
        "done",
        "fired",
        "resetting",
        "task",
    )

    def __init__(
        self,
        deadlines: CommandDeadlines,
        at: float,
        task: asyncio.Task[Any],
        connection: Any,
        config: Any,
    ) -> None:
        self.deadlines = deadlines
        self.at = at
        self.task = task
        self.cancelling = task.cancelling()  # cancellations the task had before its statement
        self.connection = connection  # asyncpg's Connection, under the pool's proxy
        self.config = config  # the connection's own configuration, to put back
        self.done = False
        self.fired = False
        self.resetting = False

    def statement_done(self) -> None:
        """The statement returned: the deadline now bounds the connection's reset."""
        self.resetting = True
        self.deadlines.resetting[self.connection] = self

    def statement_failed(self, raised: BaseException) -> BaseException:
        """The statement raised: what it raised, or the TimeoutError asyncpg's timeout would
        have raised if the deadline cancelled it. asyncpg's timeout is back on the connection
        for its release, which may have to wait for the server to confirm a cancellation."""
        self.finish()
        if (
            self.fired
            and isinstance(raised, asyncio.CancelledError)
            and self.task.uncancel() <= self.cancelling
        ):
            return TimeoutError()
        return raised

    def released(self) -> None:
        """The pool took the connection back (one it closed instead never reached reset)."""
        if not self.done:
            self.deadlines.resetting.pop(self.connection, None)
            self.finish()

    def finish(self) -> None:
        self.done = True
        self.connection._config = self.config

    def fire(self) -> None:
        self.fired = True
        if not self.resetting:
            self.task.cancel()
            return
        self.deadlines.resetting.pop(self.connection, None)
        self.finish()
        with contextlib.suppress(asyncpg.InterfaceError):
            self.connection.terminate()  # the reset's wait ends; the pool discards it


class CommandDeadlines:
    """Deadlines of the statements async executors run on a Database's pools."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.resetting: dict[Any, Checkout] = {}  # by asyncpg Connection
        self._checkouts: deque[Checkout] = deque()
        self._compact_at = 1024
        # The pool's connection configuration, and the same without the command timeout.
        self._configs: tuple[Any, Any] = (None, None)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    def keeps(self, pool: asyncpg.Pool) -> bool:
        """Whether the pool resets its connections here, so their timeout may be kept here."""
        return bool(getattr(pool, "_reset", None) == self.reset)

    def start(self, connection: Any, now: float) -> Checkout | None:
        """The deadline of the statement about to run on a pooled connection, asyncpg's own
        timeout taken off the connection until its reset; None where asyncpg keeps it."""
        driver_connection: Any = getattr(connection, "_con", None)
        config = getattr(driver_connection, "_config", None)
        timed, untimed = self._configs
        if config is None or config != timed:  # equal on every connection of the pools
            untimed = _without_command_timeout(config)
            if untimed is None:
                return None
            self._configs = (config, untimed)
        task = asyncio.current_task()
        assert task is not None
        checkout = Checkout(self, now + self.seconds, task, driver_connection, config)
        driver_connection._config = untimed
        self._watch(checkout, task.get_loop())
        return checkout

    async def reset(self, connection: asyncpg.Connection) -> None:
        """The pools' reset: asyncpg's own reset query, and asyncpg's timeout put back on a
        connection whose checkout kept it here."""
        checkout = self.resetting.pop(connection, None)
        try:
            query = connection.get_reset_query()
            if query:
                await connection.execute(query)
        finally:
            if checkout is not None:
                checkout.finish()

    def _watch(self, checkout: Checkout, loop: asyncio.AbstractEventLoop) -> None:
        checkouts = self._checkouts
        if loop is not self._loop:  # the Database was opened again on another event loop
            checkouts.clear()
            self.resetting.clear()
            self._loop, self._timer = loop, None
        while checkouts and checkouts[0].done:
            checkouts.popleft()  # finished checkouts leave from the front, keeping it short
        if len(checkouts) >= self._compact_at:
            # A long statement at the front holds back those finished behind it.
            self._checkouts = checkouts = deque(c for c in checkouts if not c.done)
            self._compact_at = max(1024, 2 * len(checkouts))
        checkouts.append(checkout)
        if self._timer is None:
            self._timer = loop.call_later(self.seconds, self._expire)

    def _expire(self) -> None:
        self._timer = None
        checkouts, now = self._checkouts, monotonic()
        while checkouts:
            checkout = checkouts[0]
            if not checkout.done:
                if checkout.at > now:
                    assert self._loop is not None
                    self._timer = self._loop.call_later(checkout.at - now, self._expire)
                    return
                checkout.fire()
            checkouts.popleft()


def _without_command_timeout(config: Any) -> Any:
    """asyncpg's connection configuration without its command timeout, or None (none to
    take off, or a configuration not shaped as asyncpg's)."""
    if getattr(config, "command_timeout", None) is None:
        return None
    try:
        return config._replace(command_timeout=None)
    except (AttributeError, TypeError, ValueError):
        return None
