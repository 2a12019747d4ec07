"""A circuit breaker: after N consecutive connection failures, fail fast until a cool-down."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from enum import StrEnum

from betdb.errors import DatabaseUnavailableError

logger = logging.getLogger("betdb.breaker")


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts connection failures only; a query the server rejects proves it is reachable.

    Driver neutral and thread safe: the async runtime and the sync one (threads) share it.
    """

    def __init__(
        self,
        *,
        failure_threshold: int,
        reset_timeout: float,
        name: str = "primary",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.name = name
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def before_call(self) -> None:
        """Raise DatabaseUnavailableError without touching the network while the breaker is open;
        after the cool-down, let exactly one probe through."""
        if self._state is BreakerState.CLOSED:
            return
        with self._lock:
            self._admit()

    def _admit(self) -> None:
        if self._state is BreakerState.CLOSED:
            return
        if self._state is BreakerState.OPEN:
            waited = self._clock() - self._opened_at
            if waited < self.reset_timeout:
                raise DatabaseUnavailableError(
                    f"circuit breaker for {self.name} is open after {self._failures} "
                    f"consecutive connection failures; retrying in "
                    f"{self.reset_timeout - waited:.1f}s"
                )
            self._transition(BreakerState.HALF_OPEN)
        if self._probe_in_flight:
            raise DatabaseUnavailableError(
                f"circuit breaker for {self.name} is half-open and a probe is in flight"
            )
        self._probe_in_flight = True

    def record_success(self) -> None:
        if self._state is BreakerState.CLOSED and not self._failures:
            return  # the common case, without the lock
        with self._lock:
            self._probe_in_flight = False
            self._failures = 0
            if self._state is not BreakerState.CLOSED:
                self._transition(BreakerState.CLOSED)

    def record_failure(self) -> None:
        with self._lock:
            self._probe_in_flight = False
            self._failures += 1
            if self._state is BreakerState.HALF_OPEN or (
                self._state is BreakerState.CLOSED and self._failures >= self.failure_threshold
            ):
                self._opened_at = self._clock()
                self._transition(BreakerState.OPEN)

    def release_probe(self) -> None:
        """The probe ended without proving anything either way (e.g. it was cancelled)."""
        self._probe_in_flight = False

    def _transition(self, state: BreakerState) -> None:
        previous, self._state = self._state, state
        level = logging.WARNING if state is BreakerState.OPEN else logging.INFO
        logger.log(
            level,
            "circuit breaker %s: %s -> %s",
            self.name,
            previous.value,
            state.value,
            extra={"breaker": self.name, "breaker_state": state.value},
        )
