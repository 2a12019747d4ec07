"""Correlation ids, structured logs and per-query metrics."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import statistics
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from betdb._redact import redact_secrets

logger = logging.getLogger("betdb")

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "betdb_correlation_id", default=None
)


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:16]


def current_correlation_id() -> str:
    """The id of the current unit of work; one is made (and kept) when none was set."""
    value = _correlation_id.get()
    if value is None:
        value = new_correlation_id()
        _correlation_id.set(value)
    return value


@contextlib.contextmanager
def correlation_id(value: str | None = None) -> Iterator[str]:
    """Run a unit of work under one correlation id (a fresh one when value is None)."""
    token = _correlation_id.set(value or new_correlation_id())
    try:
        yield _correlation_id.get() or ""
    finally:
        _correlation_id.reset(token)


class CorrelationFilter(logging.Filter):
    """Puts the correlation id of the current unit of work on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = current_correlation_id()
        return True


_STANDARD_ATTRIBUTES = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, correlation id and extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_secrets(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = redact_secrets(self.formatException(record.exc_info))
        return json.dumps(payload, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(correlation_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact_secrets(super().format(record))


def configure_logging(*, json_format: bool, level: int | str = logging.INFO) -> logging.Handler:
    """Attach one handler to the betdb logger: JSON lines in production, readable text else."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_format else TextFormatter())
    handler.addFilter(CorrelationFilter())
    for existing in list(logger.handlers):
        if getattr(existing, "_betdb", False):
            logger.removeHandler(existing)
    handler._betdb = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


class QueryStats(BaseModel):
    """Counts and latency percentiles (seconds) of one named query."""

    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float


class MetricsSnapshot(BaseModel):
    queries: dict[str, QueryStats]
    pool_wait_p50: float
    pool_wait_p99: float
    pool_acquisitions: int


def _percentiles(samples: deque[float]) -> tuple[float, float, float, float]:
    if not samples:
        return 0.0, 0.0, 0.0, 0.0
    ordered = sorted(samples)
    if len(ordered) == 1:
        only = ordered[0]
        return only, only, only, only
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98], ordered[-1]


@dataclass
class _Series:
    count: int = 0
    errors: int = 0
    samples: deque[float] = field(default_factory=lambda: deque(maxlen=4096))


class Metrics:
    """Per-query counters and a bounded window of latencies (the newest 4096 per query)."""

    def __init__(self) -> None:
        self._queries: dict[str, _Series] = {}
        self._pool_wait: deque[float] = deque(maxlen=4096)
        self._acquisitions = 0

    def record_query(self, name: str, seconds: float, *, failed: bool) -> None:
        series = self._queries.get(name)
        if series is None:  # not setdefault: that would build a series (and its deque) per call
            series = self._queries[name] = _Series()
        series.count += 1
        series.errors += failed
        series.samples.append(seconds)

    def record_pool_wait(self, seconds: float) -> None:
        self._acquisitions += 1
        self._pool_wait.append(seconds)

    def snapshot(self) -> MetricsSnapshot:
        queries = {}
        for name, series in sorted(self._queries.items()):
            p50, p95, p99, worst = _percentiles(series.samples)
            queries[name] = QueryStats(
                count=series.count, errors=series.errors, p50=p50, p95=p95, p99=p99, max=worst
            )
        wait50, _, wait99, _ = _percentiles(self._pool_wait)
        return MetricsSnapshot(
            queries=queries,
            pool_wait_p50=wait50,
            pool_wait_p99=wait99,
            pool_acquisitions=self._acquisitions,
        )


class Tracer:
    """An OpenTelemetry span per query when enabled and the `otel` extra is installed (spans go
    to the global tracer provider); otherwise nothing."""

    def __init__(self, enabled: bool) -> None:
        self._tracer: Any = None
        if enabled:
            try:
                from opentelemetry import trace
            except ImportError:
                logger.warning("otel is enabled but opentelemetry-api is not installed")
            else:
                self._tracer = trace.get_tracer("betdb")

    @property
    def enabled(self) -> bool:
        return self._tracer is not None

    def span(self, query: str) -> contextlib.AbstractContextManager[QuerySpan]:
        """A client span named after the query; an error ends it with status ERROR, the
        exception recorded and `error.type` set to the betdb error class. Without a tracer, a
        shared context that does nothing (a generator per query costs a µs or two)."""
        if self._tracer is None:
            return _NO_SPAN_CONTEXT
        return self._span(query)

    @contextlib.contextmanager
    def _span(self, query: str) -> Iterator[QuerySpan]:
        from opentelemetry.trace import SpanKind, Status, StatusCode

        attributes = {
            "db.system.name": "postgresql",
            "db.query.summary": query,
            "betdb.correlation_id": current_correlation_id(),
        }
        with self._tracer.start_as_current_span(
            query,
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                yield QuerySpan(span)
            except Exception as error:
                span.record_exception(error)
                span.set_attribute("error.type", type(error).__name__)
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                raise


class QuerySpan:
    """What an executor adds to its query's span once the result is in."""

    __slots__ = ("_span",)

    def __init__(self, span: Any) -> None:
        self._span = span

    def returned_rows(self, rows: int | None) -> None:
        if self._span is not None and rows is not None:
            self._span.set_attribute("db.response.returned_rows", rows)


_NO_SPAN = QuerySpan(None)


class _NoSpanContext:
    """``with tracer.span(name) as span`` when tracing is off: the no-op span, nothing else."""

    __slots__ = ()

    def __enter__(self) -> QuerySpan:
        return _NO_SPAN

    def __exit__(self, *exc: object) -> None:
        return None


_NO_SPAN_CONTEXT = _NoSpanContext()


def monotonic() -> float:
    return time.perf_counter()
