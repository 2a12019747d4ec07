"""OpenTelemetry: with otel enabled, every query is a client span named after the query."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from betdb import Database, correlation_id
from betdb.errors import UniqueViolationError

from .conftest import settings_for

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    # The global provider can be set once per process; later calls are ignored with a warning.
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


async def test_each_query_is_a_client_span_with_its_name_rows_and_correlation_id(
    database_url: str, spans: InMemorySpanExporter
) -> None:
    async with Database(settings_for(database_url, otel_enabled=True)) as db:
        with correlation_id("trace-me"):
            teams = await db.repository().teams.list_teams()
    (span,) = [s for s in spans.get_finished_spans() if s.name == "ListTeams"]
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert span.attributes is not None
    assert span.attributes["db.system.name"] == "postgresql"
    assert span.attributes["db.query.summary"] == "ListTeams"
    assert span.attributes["db.response.returned_rows"] == len(teams) == 30
    assert span.attributes["betdb.correlation_id"] == "trace-me"


async def test_a_failed_query_ends_its_span_with_the_typed_error(
    database_url: str, spans: InMemorySpanExporter
) -> None:
    async with Database(settings_for(database_url, otel_enabled=True)) as db:
        sportsbooks = db.repository().sportsbooks
        await sportsbooks.upsert_sportsbook(key="tracebook", name="Trace", is_active=True)
        with pytest.raises(UniqueViolationError):
            await db.executor().execute(
                "-- name: DuplicateBook :exec\n"
                "INSERT INTO sportsbooks (key, name) VALUES ('tracebook', 'Again')"
            )
    (span,) = [s for s in spans.get_finished_spans() if s.name == "DuplicateBook"]
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None
    assert span.attributes["error.type"] == "UniqueViolationError"
    (event,) = span.events
    assert event.name == "exception"
    assert event.attributes is not None
    assert event.attributes["exception.type"].endswith("UniqueViolationError")


async def test_without_otel_enabled_no_span_is_made(
    database_url: str, spans: InMemorySpanExporter
) -> None:
    async with Database(settings_for(database_url)) as db:
        await db.repository().teams.list_teams()
    assert spans.get_finished_spans() == ()
