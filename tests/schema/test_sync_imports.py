"""The importers, written against UnifiedRepository, run on a SyncUnifiedRepository through
run_on_sync_repository: the same reports, the same rows, the same rejections."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import psycopg
import pytest

from betdb import SyncUnifiedRepository, UnifiedRepository
from betdb.generated import init_connection
from betdb.importers import ImportReport, import_splits, run_on_sync_repository
from betdb.sample import load_sample
from betdb.testing import PostgresServer

# What the sample writes, without the times of writing (created_at and the like).
ROWS = {
    "games": "SELECT game_id, mlb_game_pk, official_date, home_team_id, away_team_id, status,"
    " home_score, away_score, venue FROM games ORDER BY game_id",
    "odds": "SELECT game_id, sportsbook_id, market, side, line, price, observed_at, is_opening,"
    " is_closing FROM odds ORDER BY game_id, sportsbook_id, market, side, observed_at",
    "betting_splits": "SELECT game_id, market, side, source, bet_pct, money_pct, captured_at"
    " FROM betting_splits ORDER BY game_id, market, side, source, captured_at",
    "betting_analyses": "SELECT game_id, strategy_name, confidence_score, features"
    " FROM betting_analyses ORDER BY analysis_id",
    "sharp_signals": "SELECT game_id, signal_type, signal_strength, detected_at"
    " FROM sharp_signals ORDER BY signal_id",
}


def counts(report: ImportReport) -> tuple[Any, ...]:
    rejected = [(r.line, r.reason) for r in report.rejected]
    return (report.read, report.imported, report.updated, report.unchanged, report.duplicates,
            report.skipped, report.committed, rejected)  # fmt: skip


@pytest.fixture
async def second_connection(
    postgres_server: PostgresServer, migrated_template: str
) -> AsyncIterator[asyncpg.Connection]:
    """A second migrated database, for the async side's import of the same files."""
    dsn = postgres_server.create_database(template=migrated_template)
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()
        await asyncio.to_thread(postgres_server.drop_database, urlsplit(dsn).path.lstrip("/"))


async def test_the_sample_loads_through_the_sync_repository_as_through_the_async_one(
    sync_connection: psycopg.Connection[Any],
    connection: asyncpg.Connection,
    second_connection: asyncpg.Connection,
    tmp_path: Path,
) -> None:
    sync_repo = SyncUnifiedRepository(sync_connection)
    by_sync = run_on_sync_repository(load_sample, sync_repo, rejects_dir=tmp_path / "sync")
    by_async = await load_sample(UnifiedRepository(second_connection), rejects_dir=tmp_path)
    assert {k: counts(r) for k, r in by_sync.items()} == {k: counts(r) for k, r in by_async.items()}
    assert by_sync["odds"].imported > 0
    for table, sql in ROWS.items():
        stored = [tuple(r) for r in await connection.fetch(sql)]
        assert stored, table
        assert stored == [tuple(r) for r in await second_connection.fetch(sql)], table
    again = run_on_sync_repository(load_sample, sync_repo, rejects_dir=tmp_path / "sync")
    assert again["odds"].imported == 0
    assert again["odds"].duplicates == by_sync["odds"].imported


async def test_a_rejected_record_is_rejected_alike_and_the_rest_imported(
    sync_connection: psycopg.Connection[Any],
    second_connection: asyncpg.Connection,
    connection: asyncpg.Connection,
    tmp_path: Path,
) -> None:
    await load_sample(UnifiedRepository(connection), rejects_dir=tmp_path / "sample")
    await load_sample(UnifiedRepository(second_connection), rejects_dir=tmp_path / "sample")
    game_pk = await connection.fetchval("SELECT min(mlb_game_pk) FROM games")
    split = {"source": "vsin", "external_game_id": str(game_pk), "game_source": "mlb",
             "market": "moneyline", "side": "home", "bet_pct": 0.61, "money_pct": 0.4,
             "captured_at": "2025-06-21T15:00:00+00:00"}  # fmt: skip
    path = tmp_path / "splits.jsonl"
    path.write_text(
        json.dumps(split) + "\n" + json.dumps({**split, "side": "away", "bet_pct": 62}) + "\n"
    )
    by_sync = run_on_sync_repository(
        import_splits,
        SyncUnifiedRepository(sync_connection),
        path,
        rejects=tmp_path / "sync.rejects.jsonl",
    )
    by_async = await import_splits(
        UnifiedRepository(second_connection), path, rejects=tmp_path / "async.rejects.jsonl"
    )
    assert counts(by_sync) == counts(by_async)
    assert (by_sync.imported, len(by_sync.rejected)) == (1, 1)
    assert "55% is 0.55" in next(iter(by_sync.rejected)).reason
    assert (tmp_path / "sync.rejects.jsonl").read_text() == (
        tmp_path / "async.rejects.jsonl"
    ).read_text()


def test_a_function_that_waits_on_an_event_loop_is_refused_naming_why(
    sync_connection: psycopg.Connection[Any],
) -> None:
    async def sleeps(repository: UnifiedRepository) -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="waited on something other than the sync repo"):
        run_on_sync_repository(sleeps, SyncUnifiedRepository(sync_connection))
