"""The runtime an executor runs in: settings, breakers, tracer and metrics, and nothing of the
Database that made it, so that executors depend on this and never on the Database. Driver
neutral: the async and the sync executors share it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from betdb._breaker import CircuitBreaker
from betdb._observability import Metrics, Tracer
from betdb._settings import BetdbSettings

query_logger = logging.getLogger("betdb.query")

PRIMARY = "primary"


def replica_role(name: str) -> str:
    """The role, and breaker name, of the replica with this (redacted) name."""
    return f"replica:{name}"


@dataclass
class Runtime:
    """What every statement needs besides its connection: made once per Database."""

    settings: BetdbSettings
    tracer: Tracer
    metrics: Metrics = field(default_factory=Metrics)
    _breakers: dict[str, CircuitBreaker] = field(default_factory=dict, repr=False)

    @classmethod
    def from_settings(cls, settings: BetdbSettings) -> Runtime:
        return cls(settings=settings, tracer=Tracer(settings.otel_enabled))

    def breaker(self, role: str = PRIMARY) -> CircuitBreaker:
        """The breaker of one server (the primary, or one replica), made on first use."""
        breaker = self._breakers.get(role)
        if breaker is None:
            breaker = self._breakers[role] = CircuitBreaker(
                failure_threshold=self.settings.breaker_failure_threshold,
                reset_timeout=self.settings.breaker_reset_timeout,
                name=role,
            )
        return breaker

    def record_query(self, name: str, seconds: float, *, rows: int | None, failed: bool) -> None:
        settings = self.settings
        if settings.metrics_enabled:
            self.metrics.record_query(name, seconds, failed=failed)
        slow = not failed and seconds >= settings.slow_query_threshold
        # The record's extras are built only when a record is made: most queries log nothing.
        if not slow and not query_logger.isEnabledFor(logging.DEBUG):
            return
        extra = {"query": name, "duration_ms": round(seconds * 1000, 3), "rows": rows}
        if failed:
            query_logger.debug("query %s failed after %.1f ms", name, seconds * 1000, extra=extra)
        elif slow:
            query_logger.warning("slow query %s: %.1f ms", name, seconds * 1000, extra=extra)
        else:
            query_logger.debug(
                "query %s: %.1f ms, %s rows", name, seconds * 1000, rows, extra=extra
            )

    def record_pool_wait(self, seconds: float) -> None:
        self.metrics.record_pool_wait(seconds)
