"""When betdb runs work again, decided once for both drivers: a read on a broken connection
(with backoff, while its server's breaker is closed), and a whole transaction that lost a
serialization conflict or its connection."""

from __future__ import annotations

from betdb._breaker import BreakerState, CircuitBreaker
from betdb._settings import BetdbSettings
from betdb.errors import (
    BetdbError,
    ConnectionLostError,
    DatabaseUnavailableError,
    OutcomeUnknownError,
    SerializationError,
)


class ReadRetry:
    """Retries of one statement: reads only (running a read twice is harmless), on a lost
    connection or an unavailable server, never while the breaker is failing fast; a write is
    never retried, as it may have applied."""

    def __init__(self, settings: BetdbSettings, *, read_only: bool) -> None:
        self._settings = settings
        self.read_only = read_only
        self.attempts = 1 + (settings.retry_attempts if read_only else 0)

    def delay(self, error: BetdbError, *, attempt: int, breaker: CircuitBreaker) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None: raise the error."""
        retryable = isinstance(error, ConnectionLostError | DatabaseUnavailableError)
        if not self.read_only or not retryable or attempt >= self.attempts:
            return None
        if breaker.state is not BreakerState.CLOSED:
            return None
        return self._settings.backoff_delay(attempt)


def rerun_transaction(
    error: BaseException, *, attempt: int, retries: int, idempotent: bool
) -> bool:
    """Whether run_in_transaction runs the whole work again after ``attempt`` failed: on a
    serialization failure or deadlock, on a connection lost before COMMIT, and on a COMMIT of
    unknown outcome only when the caller said the work is idempotent."""
    if attempt > retries:
        return False
    if isinstance(error, OutcomeUnknownError):
        return idempotent
    return isinstance(error, SerializationError | ConnectionLostError | DatabaseUnavailableError)
