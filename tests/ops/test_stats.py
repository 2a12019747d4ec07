"""`betdb stats queries|tables` on the embedded server, which preloads pg_stat_statements."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb import BetdbSettings, Database, HealthReport, UnifiedRepository
from betdb.cli import app
from betdb.generated import init_connection
from betdb.generated.models import DataSource, Market
from betdb.movement import latest_odds
from betdb.sample import SAMPLE_GAME_PK
from betdb.stats import generated_queries, slowest_queries
from betdb.testing import PostgresServer, run_sync

QUERY_FILES = Path(__file__).resolve().parents[2] / "db" / "queries"


def stats(monkeypatch: pytest.MonkeyPatch, dsn: str, *args: str) -> object:
    monkeypatch.setenv("DATABASE_URL", dsn)
    result = CliRunner().invoke(app, ["stats", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_generated_sql_constant_starts_with_its_sqlc_name_line() -> None:
    declared = {
        match.group(1)
        for path in QUERY_FILES.glob("*.sql")
        for match in re.finditer(r"^-- name: (\w+) ", path.read_text(), re.M)
    }
    import betdb.generated as package

    constants = []
    for path in Path(package.__path__[0]).glob("*.py"):
        constants += re.findall(r'^([A-Z][A-Z0-9_]+) = """(.*?)\n', path.read_text(), re.M)
    assert constants, "no SQL constants found in the generated package"
    assert all(first.startswith("-- name: ") for _, first in constants), constants
    assert set(generated_queries()) == declared
    assert len(declared) > 30


async def _run_reads(dsn: str) -> int:
    """Reset this database's statistics, then GetLatestOdds three times, FindOddsByGame once
    and one statement of our own; returns the rows GetLatestOdds gave each time."""
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        await connection.execute(
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database"
            " WHERE datname = current_database()), 0)"
        )
        repo = UnifiedRepository(connection)
        game = await repo.games.find_game_by_external_id(
            source=DataSource.MLB, external_id=str(SAMPLE_GAME_PK)
        )
        assert game is not None
        for _ in range(3):
            latest = await latest_odds(repo, game, Market.MONEYLINE)
        await repo.odds.find_odds_by_game(game_id=game.game_id, market=None, sportsbook_id=None)
        await connection.fetchval("SELECT count(*) FROM teams WHERE team_id > $1", 0)
        return len(latest)
    finally:
        await connection.close()


def test_stats_queries_names_each_generated_query_and_groups_the_rest_apart(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    rows_each = run_sync(_run_reads(sample_url))
    assert rows_each > 0
    report = stats(monkeypatch, sample_url, "queries")
    assert isinstance(report, dict)
    by_name = {item["name"]: item for item in report["betdb"]}
    assert by_name["GetLatestOdds"]["calls"] == 3
    assert by_name["GetLatestOdds"]["rows"] == 3 * rows_each
    assert by_name["FindOddsByGame"]["calls"] == 1
    assert by_name["FindGameByExternalId"]["calls"] == 1
    assert 0 < by_name["GetLatestOdds"]["hit_ratio"] <= 1
    totals = [item["total_ms"] for item in report["betdb"]]
    assert totals == sorted(totals, reverse=True)
    other = [item["query"] for item in report["other"]]
    assert "SELECT count(*) FROM teams WHERE team_id > $1" in other
    assert all(item["name"] is None for item in report["other"])
    assert not any(text.startswith("EXPLAIN") for text in other)


def test_the_health_report_gets_the_slowest_named_queries_by_mean_time(sample_url: str) -> None:
    run_sync(_run_reads(sample_url))

    async def slowest() -> list[str]:
        connection = await asyncpg.connect(sample_url)
        try:
            found = await slowest_queries(connection, limit=2)
            assert found is not None
            means = [item.mean_ms for item in found]
            assert means == sorted(means, reverse=True)
            return [item.name or "" for item in found]
        finally:
            await connection.close()

    names = run_sync(slowest())
    assert len(names) == 2
    assert set(names) <= {"GetLatestOdds", "FindOddsByGame", "FindGameByExternalId"}


def test_slowest_queries_is_none_where_the_extension_is_not_installed(database_url: str) -> None:
    async def slowest() -> object:
        connection = await asyncpg.connect(database_url)
        try:
            return await slowest_queries(connection)
        finally:
            await connection.close()

    assert run_sync(slowest()) is None


async def _use_an_index_and_leave_dead_rows(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SET enable_seqscan = off")
        await connection.fetch("SELECT signal_id FROM sharp_signals ORDER BY signal_strength DESC")
        await connection.execute(
            "DELETE FROM odds_partitions.odds_default WHERE ctid IN"
            " (SELECT ctid FROM odds_partitions.odds_default LIMIT 10)"
        )
        await connection.execute("ANALYZE games")
    finally:
        await connection.close()  # a backend flushes its statistics when it exits


async def _count(dsn: str, table: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await connection.close()


def _tables_report(
    monkeypatch: pytest.MonkeyPatch, dsn: str, ready: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        report = stats(monkeypatch, dsn, "tables")
        assert isinstance(report, dict)
        if ready(report) or time.monotonic() > deadline:
            return report
        time.sleep(0.2)  # statistics reach the shared view a moment after the backend ends


def test_stats_tables_sizes_every_table_and_partition_and_names_unused_indexes(
    monkeypatch: pytest.MonkeyPatch, sample_url: str
) -> None:
    before = stats(monkeypatch, sample_url, "tables")
    assert isinstance(before, dict)
    assert "public.sharp_signals_strength_idx" in before["unused_indexes"]
    assert "public.games_pkey" not in before["unused_indexes"]  # it enforces a key

    run_sync(_use_an_index_and_leave_dead_rows(sample_url))

    def ready(report: dict[str, Any]) -> bool:
        tables = {t["table"]: t for t in report["tables"]}
        return bool(tables["odds_partitions.odds_default"]["dead_rows"])

    report = _tables_report(monkeypatch, sample_url, ready)
    tables = {t["table"]: t for t in report["tables"]}
    default = tables["odds_partitions.odds_default"]
    assert default["kind"] == "partition"
    assert default["parent"] == "odds"
    assert default["dead_rows"] == 10
    assert default["total_bytes"] > 0
    assert default["index_bytes"] > 0
    june = tables["odds_partitions.odds_y2026m06"]
    odds = tables["public.odds"]
    assert odds["kind"] == "partitioned"
    partitions = [t for t in tables.values() if t["parent"] == "odds"]
    assert len(partitions) == 25  # 24 months and the default
    assert odds["total_bytes"] == sum(t["total_bytes"] for t in partitions)
    assert june["total_bytes"] > 0
    assert tables["public.games"]["last_analyze"] is not None
    assert tables["public.games"]["row_estimate"] == run_sync(_count(sample_url, "games"))
    assert "public.sharp_signals_strength_idx" not in report["unused_indexes"]  # type: ignore[operator]
    strength = next(
        i for i in report["indexes"] if i["index"] == "public.sharp_signals_strength_idx"
    )  # type: ignore[attr-defined]
    assert strength["scans"] >= 1


async def _health(dsn: str) -> HealthReport:
    async with Database(BetdbSettings(dsn=dsn, sslmode="disable")) as database:  # type: ignore[arg-type]
        return await database.health()


def test_database_health_lists_the_slowest_queries_where_statistics_are_kept(
    sample_url: str, postgres_server: PostgresServer, migrated_template: str
) -> None:
    run_sync(_run_reads(sample_url))  # installs the extension in sample_url's database only
    report = run_sync(_health(sample_url))
    assert report.slowest_queries is not None
    assert 0 < len(report.slowest_queries) <= 5
    assert all(query.name for query in report.slowest_queries)
    other = postgres_server.create_database(template=migrated_template)
    assert run_sync(_health(other)).slowest_queries is None
