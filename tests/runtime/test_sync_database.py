"""SyncDatabase: raw SQL through the sync executor ($1 placeholders, rows as tuples),
transactions and savepoints, streaming, COPY, health, metrics, spans and the repository."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from betdb import (
    BetdbSettings,
    SyncDatabase,
    SyncUnifiedRepository,
    configure_logging,
    correlation_id,
    errors,
)
from betdb._observability import logger
from betdb._sync_executor import SyncConnectionExecutor

from .conftest import settings_for
from .test_tracing import spans  # noqa: F401  (the fixture)

Admin = psycopg.Connection[tuple[object, ...]]
ADD_ALIAS = "-- name: AddAlias :exec\nINSERT INTO team_aliases (alias, team_id) VALUES ($1, $2)"
ALIASES = "SELECT count(*) FROM team_aliases WHERE alias LIKE $1"


class AbandonError(Exception):
    """Raised inside a transaction block to abandon it."""


def test_raw_sql_runs_with_dollar_placeholders_and_returns_tuples(sync_db: SyncDatabase) -> None:
    executor = sync_db.executor()
    assert executor.fetchval("SELECT $1::int + $2::int", 40, 2) == 42
    assert executor.fetchrow("SELECT abbreviation, name FROM teams WHERE team_id = $1", 147) == (
        "NYY",
        "New York Yankees",
    )
    assert executor.fetchrow("SELECT 1 WHERE false") is None
    assert executor.fetchval("SELECT 1 WHERE false") is None
    rows = executor.fetch("SELECT team_id FROM teams WHERE league = $1 ORDER BY team_id", "AL")
    assert len(rows) == 15
    assert rows[0] == (108,)
    assert executor.fetchval("SELECT 1, 'second'", column=1) == "second"


def test_values_decode_to_the_python_types_the_async_side_returns(sync_db: SyncDatabase) -> None:
    row = sync_db.executor().fetchrow(
        "SELECT 1.50::numeric(6,2), '2025-06-21 19:05:00+00'::timestamptz, '2025-06-21'::date,"
        " '{\"a\": [1, 2]}'::jsonb, ARRAY[1, NULL, 3]::int[], true"
    )
    assert row is not None
    price, starts_at, day, document, numbers, flag = row
    assert price == Decimal("1.50")
    assert isinstance(price, Decimal)
    assert starts_at == dt.datetime(2025, 6, 21, 19, 5, tzinfo=dt.UTC)
    assert starts_at.tzinfo is not None
    assert day == dt.date(2025, 6, 21)
    assert document == {"a": [1, 2]}
    assert numbers == [1, None, 3]
    assert flag is True


def test_writes_report_their_status_and_batches_run_for_every_parameter_set(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    executor = sync_db.executor()
    assert executor.execute(ADD_ALIAS, "AAA", 147) == "INSERT 0 1"
    executor.executemany(ADD_ALIAS, [("AAB", 147), ("AAC", 111)])
    returned = executor.fetchmany(
        "INSERT INTO team_aliases (alias, team_id) VALUES ($1, $2) RETURNING alias, team_id",
        [("AAD", 147), ("AAE", 111)],
    )
    assert returned == [("AAD", 147), ("AAE", 111)]
    assert executor.execute("UPDATE team_aliases SET team_id = 147 WHERE alias LIKE 'AA%'") == (
        "UPDATE 5"
    )
    assert sync_admin.execute(ALIASES.replace("$1", "%s"), ("AA%",)).fetchone() == (5,)


def test_copy_writes_every_record_in_one_statement(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    status = sync_db.executor().copy_records_to_table(
        "team_aliases", records=[("CPA", 147), ("CPB", 111), ("CPC", 121)]
    )
    assert status == "COPY 3"
    rows = sync_admin.execute(
        "SELECT alias, team_id FROM team_aliases WHERE alias LIKE 'CP%' ORDER BY alias"
    ).fetchall()
    assert rows == [("CPA", 147), ("CPB", 111), ("CPC", 121)]
    assert sync_db.metrics().queries["copy:team_aliases"].count == 1


def test_copy_into_chosen_columns_takes_enum_and_numeric_values(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    sync_admin.execute(
        "CREATE TYPE mood AS ENUM ('happy', 'sad');"
        "CREATE TABLE moods (id serial PRIMARY KEY, mood mood NOT NULL, score numeric(4,2),"
        " noted_at timestamptz)"
    )
    noted = dt.datetime(2025, 6, 21, 12, 0, tzinfo=dt.UTC)
    sync_db.executor().copy_records_to_table(
        "moods",
        records=[("happy", Decimal("1.25"), noted), ("sad", None, None)],
        columns=["mood", "score", "noted_at"],
    )
    rows = sync_admin.execute("SELECT mood::text, score, noted_at FROM moods ORDER BY id")
    assert rows.fetchall() == [("happy", Decimal("1.25"), noted), ("sad", None, None)]


def test_a_transaction_commits_and_a_failed_one_rolls_back(
    sync_db: SyncDatabase, sync_admin: Admin
) -> None:
    def write_then_abandon() -> None:
        with sync_db.transaction() as tx:
            tx.executor.execute(ADD_ALIAS, "TRA", 147)
            raise AbandonError

    def write_twice() -> None:
        with sync_db.transaction() as tx:
            tx.executor.execute(ADD_ALIAS, "TRB", 147)
            tx.executor.execute(ADD_ALIAS, "TRB", 147)

    with sync_db.transaction() as tx:
        tx.executor.execute(ADD_ALIAS, "TCA", 147)
        tx.executor.execute(ADD_ALIAS, "TCB", 147)
    with pytest.raises(AbandonError):
        write_then_abandon()
    with pytest.raises(errors.UniqueViolationError):
        write_twice()
    assert sync_admin.execute(ALIASES.replace("$1", "%s"), ("TC%",)).fetchone() == (2,)
    assert sync_admin.execute(ALIASES.replace("$1", "%s"), ("TR%",)).fetchone() == (0,)


def test_a_nested_transaction_is_a_savepoint(sync_db: SyncDatabase, sync_admin: Admin) -> None:
    def abandoned(tx: SyncUnifiedRepository) -> None:
        with tx.transaction() as inner:
            assert inner is tx
            inner.executor.execute(ADD_ALIAS, "SPB", 147)
            raise AbandonError

    with sync_db.transaction() as tx:
        tx.executor.execute(ADD_ALIAS, "SPA", 147)
        with pytest.raises(AbandonError):
            abandoned(tx)
        with tx.transaction() as inner:
            inner.executor.execute(ADD_ALIAS, "SPC", 147)
    rows = sync_admin.execute("SELECT alias FROM team_aliases WHERE alias LIKE 'SP%' ORDER BY 1")
    assert rows.fetchall() == [("SPA",), ("SPC",)]


def test_isolation_and_read_only_reach_the_server(sync_db: SyncDatabase) -> None:
    with sync_db.transaction(isolation="serializable", readonly=True, deferrable=True) as tx:
        assert tx.executor.fetchval("SHOW transaction_isolation") == "serializable"
        assert tx.executor.fetchval("SHOW transaction_read_only") == "on"
        with pytest.raises(errors.QueryError) as raised:
            tx.executor.execute(ADD_ALIAS, "ROA", 147)
    assert raised.value.sqlstate == "25006"
    assert sync_db.executor().fetchval("SHOW transaction_isolation") == "read committed"


def test_streaming_needs_a_transaction_and_then_yields_every_row(sync_db: SyncDatabase) -> None:
    with pytest.raises(errors.TransactionError, match="needs a transaction"):
        sync_db.executor().cursor("SELECT team_id FROM teams")
    with sync_db.transaction() as tx:
        streamed = list(
            tx.executor.cursor("SELECT team_id FROM teams ORDER BY team_id", prefetch=7)
        )  # type: ignore[attr-defined]
        assert tx.executor.fetchval("SELECT 1") == 1  # the connection is free again
    assert len(streamed) == 30
    assert streamed == sorted(streamed)


def test_a_bare_psycopg_connection_is_an_executor_too(database_url: str, sync_admin: Admin) -> None:
    with psycopg.connect(database_url, autocommit=True, cursor_factory=psycopg.RawCursor) as conn:
        repository = SyncUnifiedRepository(conn)
        assert isinstance(repository.executor, SyncConnectionExecutor)
        assert (
            repository.executor.fetchval("SELECT count(*) FROM teams WHERE team_id = $1", 147) == 1
        )

        def write_then_abandon() -> None:
            with repository.transaction() as tx:
                tx.executor.execute(ADD_ALIAS, "BCA", 147)
                raise AbandonError

        with pytest.raises(AbandonError):
            write_then_abandon()
        with repository.transaction() as tx:
            tx.executor.execute(ADD_ALIAS, "BCB", 147)
        with pytest.raises(errors.UniqueViolationError):
            repository.executor.execute(ADD_ALIAS, "BCB", 147)
    rows = sync_admin.execute("SELECT alias FROM team_aliases WHERE alias LIKE 'BC%'").fetchall()
    assert rows == [("BCB",)]


def test_a_transaction_on_a_connection_not_in_autocommit_is_betdbs_alone(
    database_url: str, sync_admin: Admin
) -> None:
    # psycopg's default mode opens a transaction of its own before the first statement
    with psycopg.connect(database_url, cursor_factory=psycopg.RawCursor) as conn:
        notices: list[str] = []
        conn.add_notice_handler(lambda notice: notices.append(str(notice.message_primary)))
        executor = SyncConnectionExecutor(conn)
        with executor.transaction(isolation="serializable", readonly=True) as tx:
            assert tx.fetchval("SHOW transaction_isolation") == "serializable"
            assert tx.fetchval("SHOW transaction_read_only") == "on"
        with executor.transaction() as tx:
            tx.execute(ADD_ALIAS, "NAC", 147)
        assert notices == []  # no "there is already a transaction in progress"
        assert conn.autocommit is False
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    # committed by betdb's COMMIT, not left in psycopg's transaction for close() to drop
    rows = sync_admin.execute("SELECT alias FROM team_aliases WHERE alias = 'NAC'").fetchall()
    assert rows == [("NAC",)]


def test_the_repository_names_each_area_and_says_when_its_sync_querier_is_missing(
    sync_db: SyncDatabase,
) -> None:
    from betdb.generated import teams

    repository = sync_db.repository()
    if hasattr(teams, "SyncQuerier"):
        assert isinstance(repository.teams, teams.SyncQuerier)
        assert len(repository.teams.list_teams()) == 30
    else:
        with pytest.raises(AttributeError, match=r"betdb\.generated\.teams has no SyncQuerier"):
            repository.teams.list_teams()


def test_health_reports_the_server_the_pool_and_the_migrations(sync_db: SyncDatabase) -> None:
    health = sync_db.health()
    assert health.reachable
    assert health.error is None
    assert health.server_version is not None
    assert int(health.server_version.split(".")[0]) >= 15
    assert health.migrations_current
    assert health.migration_applied == health.migration_newest
    assert health.pool.max_size == 4
    assert health.pool.size >= 1
    assert health.breaker == "closed"
    assert health.replicas == []


def test_errors_and_logs_carry_the_correlation_id_and_metrics_count_each_query(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = configure_logging(json_format=True, level=logging.DEBUG)
    try:
        with SyncDatabase(settings_for(database_url, slow_query_threshold=0.05)) as db:
            with correlation_id("sync-req-9"):
                db.executor().fetchval("-- name: Quick :one\nSELECT 1")
                db.executor().fetchval("-- name: Slow :one\nSELECT 1 FROM pg_sleep(0.1)")
                with pytest.raises(errors.UniqueViolationError) as raised:
                    db.executor().execute(ADD_ALIAS, "ARI", 109)
            snapshot = db.metrics()
        records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    finally:
        logger.removeHandler(handler)
    assert raised.value.correlation_id == "sync-req-9"
    quick = next(r for r in records if r.get("query") == "Quick")
    assert quick["correlation_id"] == "sync-req-9"
    assert quick["rows"] == 1
    slow = next(r for r in records if r.get("query") == "Slow")
    assert slow["level"] == "WARNING"
    assert slow["duration_ms"] >= 100
    assert snapshot.queries["Slow"].count == 1
    assert snapshot.queries["Slow"].p50 >= 0.1
    assert snapshot.queries["AddAlias"].errors == 1
    assert snapshot.pool_acquisitions >= 3


def test_each_sync_query_is_a_client_span_and_a_failure_ends_it_with_the_typed_error(
    database_url: str,
    spans: InMemorySpanExporter,  # noqa: F811
) -> None:
    with SyncDatabase(settings_for(database_url, otel_enabled=True)) as db:
        with correlation_id("sync-trace"):
            db.executor().fetch("-- name: ListIds :many\nSELECT team_id FROM teams")
        with pytest.raises(errors.UniqueViolationError):
            db.executor().execute(ADD_ALIAS, "ARI", 109)
    finished = {span.name: span for span in spans.get_finished_spans()}
    listed, failed = finished["ListIds"], finished["AddAlias"]
    assert listed.kind is SpanKind.CLIENT
    assert listed.attributes is not None
    assert listed.attributes["db.response.returned_rows"] == 30
    assert listed.attributes["betdb.correlation_id"] == "sync-trace"
    assert failed.status.status_code is StatusCode.ERROR
    assert failed.attributes is not None
    assert failed.attributes["error.type"] == "UniqueViolationError"


def test_a_database_that_is_not_open_says_how_to_open_it(database_url: str) -> None:
    database = SyncDatabase(settings_for(database_url))
    with pytest.raises(errors.DatabaseUnavailableError, match="with SyncDatabase"):
        database.executor()


def test_a_wrong_password_fails_at_open_without_showing_it(database_url: str) -> None:
    secret = "s3cret-Pw"
    parts = urlsplit(database_url)
    wrong = urlunsplit(parts._replace(netloc=f"nobody:{secret}@{parts.hostname}:{parts.port}"))
    with pytest.raises(errors.DatabaseUnavailableError) as raised:
        SyncDatabase(settings_for(wrong)).open()
    assert secret not in str(raised.value)
    assert "cannot connect to postgresql://nobody:***@" in str(raised.value)


def test_a_database_closed_and_opened_again_serves_and_keeps_its_timeouts(
    database_url: str,
) -> None:
    database = SyncDatabase(settings_for(database_url))
    with database:
        assert database.executor().fetchval("SELECT 1") == 1
    with database:
        assert database.executor().fetchval("SELECT 2") == 2
        with pytest.raises(errors.QueryTimeoutError):
            database.executor().fetchval("SELECT pg_sleep(5)", timeout=0.2)


def test_the_async_surface_does_not_load_psycopg_until_the_sync_client_is_used() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, betdb; before = 'psycopg' in sys.modules; "
        "from betdb import SyncDatabase; print(before, 'psycopg' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert shown.split() == ["False", "True"]


def test_connections_are_opened_as_the_settings_say(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    settings = BetdbSettings(
        dsn="postgresql://app:pw@db.internal/betdb?sslmode=disable",  # type: ignore[arg-type]
        sslmode="verify-full",  # type: ignore[arg-type]
        ssl_root_cert=ca,
        statement_timeout=2.5,
        statement_cache_size=0,
    )
    options = SyncDatabase(settings).connect_options()
    assert options["sslmode"] == "disable"  # the DSN's own sslmode wins, as on the async side
    assert options["options"] == "-c statement_timeout=2500"
    assert options["prepare_threshold"] is None  # PgBouncer in transaction mode
    assert options["application_name"] == "betdb"
    assert options["autocommit"] is True
    assert options["cursor_factory"] is psycopg.RawCursor

    verified = SyncDatabase(
        BetdbSettings(
            dsn="postgresql://app:pw@db.internal/betdb", sslmode="verify-full", ssl_root_cert=ca
        )  # type: ignore[arg-type]
    ).connect_options()
    assert verified["sslmode"] == "verify-full"
    assert verified["sslrootcert"] == str(ca)
    assert "prepare_threshold" not in verified
